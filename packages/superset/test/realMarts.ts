/**
 * The real marts for the Superset tests and the dashboards benchmark: the sample company seeded into
 * temporary source databases, every layer materialised ('*') day by day into a temporary warehouse
 * and a temporary ClickHouse database. The location module reads its configuration when imported,
 * so the environment is set first (as bench/daily.ts does).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, execute, type Location, planRun } from '@vitrina/core';
import {
  openTestStorage,
  type TestStorage,
  tempDatabase,
  tempMysqlDatabase,
  testClickhouseUrl,
} from '@vitrina/core/testing';

export interface RealMarts {
  /** The ClickHouse database holding the marts, as VITRINA_CLICKHOUSE_URL spells it. */
  clickhouseUrl: string;
  first: string;
  last: string;
  drop: () => Promise<void>;
}

interface Resources {
  clickhouse: { query: (sql: string) => Promise<unknown> };
}

/** Seeds `days` days ending yesterday (Europe/Minsk) at `scale` and materialises every asset of them. */
export async function fillRealMarts(options: { days: number; scale: number }): Promise<RealMarts> {
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Minsk' });
  const last = addDays(today, -1);
  const first = addDays(last, -(options.days - 1));
  const databases = await Promise.all([
    tempDatabase('vitrina_ss_payments'),
    tempDatabase('vitrina_ss_registry'),
    tempMysqlDatabase('vitrina_ss_bitrix'),
    tempDatabase('vitrina_ss_warehouse'),
  ]);
  const [payments, registry, crm, warehouse] = databases;
  const folder = mkdtempSync(join(tmpdir(), 'vitrina-superset-marts-'));
  const mart = `vitrina_superset_marts_${process.pid}_${Date.now() % 100_000}`;
  const clickhouseUrl = `${new URL(testClickhouseUrl).origin}/${mart}`;
  let runs: TestStorage | undefined;
  let resources: Resources | undefined;
  let location: Location<Resources> | undefined;
  const drop = async () => {
    if (location && resources) {
      await resources.clickhouse.query(`DROP DATABASE IF EXISTS ${mart}`).catch(() => {});
      await location.resources.close(resources);
    } else {
      await fetch(new URL(testClickhouseUrl).origin, {
        method: 'POST',
        body: `DROP DATABASE IF EXISTS ${mart}`,
      }).catch(() => {});
    }
    await runs?.dispose();
    await Promise.all(databases.map((database) => database.drop()));
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    Object.assign(process.env, {
      VITRINA_WAREHOUSE_URL: warehouse.url,
      VITRINA_PAYMENTS_URL: payments.url,
      VITRINA_REGISTRY_URL: registry.url,
      VITRINA_CRM_URL: crm.url,
      VITRINA_CLICKHOUSE_URL: clickhouseUrl,
      VITRINA_INBOX: join(folder, 'inbox'),
      VITRINA_REPLAY_FIXTURES: join(folder, 'replay'),
      VITRINA_START: first,
    });
    location = (await import('../../assets/src/index.ts')).default as unknown as Location<Resources>;
    const { seedCompany } = await import('../../assets/src/company/index.ts');
    const { loadWarehouseConfig } = await import('../../assets/src/config.ts');
    const config = loadWarehouseConfig();
    await seedCompany(
      {
        crmUrl: crm.url,
        paymentsUrl: payments.url,
        registryUrl: registry.url,
        inbox: config.VITRINA_INBOX,
        replay: config.VITRINA_REPLAY_FIXTURES,
      },
      { scale: options.scale, seed: 1, from: first, to: last, start: first },
    );
    runs = await openTestStorage('postgres');
    resources = await location.resources.open();
    const plan = await planRun(location.graph, runs.storage, { selection: '*', from: first, to: last });
    const outcome = await execute({
      graph: location.graph,
      plan,
      storage: runs.storage,
      resources,
      pools: location.pools,
      maxParallel: 8,
    });
    const failed = outcome.steps.filter((step) => step.status !== 'success');
    if (failed.length > 0)
      throw new Error(
        `materialising ${first}…${last} failed: ${failed.map((s) => `${s.assetKey} ${s.partition}: ${s.error}`).join('; ')}`,
      );
    return { clickhouseUrl, first, last, drop };
  } catch (error) {
    await drop();
    throw error;
  }
}
