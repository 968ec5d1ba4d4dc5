/**
 * The real marts for the Superset tests and the dashboards benchmark: the sample company seeded into
 * temporary source databases, every layer materialised ('*') into a temporary warehouse and a
 * temporary ClickHouse database. The location module reads its configuration when imported, so the
 * environment is set first (as bench/daily.ts does).
 */
import { addDays, type Location } from '@vitrina/core';
import { openTestStorage, type TestStorage } from '@vitrina/core/testing';
// By path: @vitrina/assets depends on this package (its dashboards close the lineage).
import { materializeAll, type SampleSystems, sampleSystems } from '../../assets/src/testing/index.ts';

export interface RealMarts {
  /** The ClickHouse database holding the marts, as VITRINA_CLICKHOUSE_URL spells it. */
  clickhouseUrl: string;
  first: string;
  last: string;
  drop: () => Promise<void>;
}

/** Seeds `days` days ending yesterday (Europe/Minsk) at `scale` and materialises every asset of them. */
export async function fillRealMarts(options: { days: number; scale: number }): Promise<RealMarts> {
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Minsk' });
  const last = addDays(today, -1);
  const first = addDays(last, -(options.days - 1));
  const systems: SampleSystems = await sampleSystems({
    start: first,
    prefix: 'vitrina_ss',
    clickhouse: true,
  });
  let runs: TestStorage | undefined;
  let location: Location | undefined;
  let resources: unknown;
  const drop = async () => {
    if (location && resources !== undefined) await location.resources.close(resources);
    await runs?.dispose();
    await systems.drop();
  };
  try {
    Object.assign(process.env, systems.env);
    location = (await import('../../assets/src/index.ts')).default as Location;
    await systems.seed({ scale: options.scale, seed: 1 }, first, last);
    runs = await openTestStorage('postgres');
    resources = await location.resources.open();
    await materializeAll({
      graph: location.graph,
      storage: runs.storage,
      resources,
      pools: location.pools,
      request: { selection: '*', from: first, to: last },
      maxParallel: 8,
    });
    return { clickhouseUrl: systems.env.VITRINA_CLICKHOUSE_URL!, first, last, drop };
  } catch (error) {
    await drop();
    throw error;
  }
}
