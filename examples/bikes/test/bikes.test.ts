import {
  AssetGraph,
  addDays,
  codeVersionOf,
  execute,
  indexStates,
  type Location,
  type PlanRequest,
  planRun,
  resolveSelection,
  tablesReadBy,
} from '@vitrina/core';
import { openTestStorage, storageKinds, type TestStorage, tempDatabase } from '@vitrina/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BikeResources, bikeAssets, bikesLocation } from '../src/index.ts';
import { sql } from '../src/sql.ts';

const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Minsk' });
const start = addDays(today, -6);
const days = [0, 1, 2, 3, 4, 5].map((n) => addDays(start, n)); // the complete days: start … yesterday

describe('lineage of the example', () => {
  it('declares as upstreams exactly the tables its SQL reads', () => {
    for (const asset of bikeAssets(start)) {
      const read = new Set(asset.sql.flatMap(tablesReadBy));
      read.delete(asset.key); // a table may read itself (none here), never counts as an upstream
      expect([...read].sort(), asset.key).toEqual(asset.deps.map((dep) => dep.key).sort());
    }
  });
});

describe.each(storageKinds)('the bikes example on real PostgreSQL, %s run storage', (kind) => {
  let test: TestStorage;
  let warehouse: { url: string; drop: () => Promise<void> };
  let location: Location<BikeResources>;
  let resources: BikeResources;

  beforeAll(async () => {
    test = await openTestStorage(kind);
    warehouse = await tempDatabase('vitrina_bikes');
    location = bikesLocation({ databaseUrl: warehouse.url, start });
    resources = await location.resources.open();
  });
  afterAll(async () => {
    if (resources) await location.resources.close(resources);
    await test?.dispose();
    await warehouse?.drop();
  });

  const materialize = async (request: PlanRequest, loc: Location<BikeResources> = location) => {
    const plan = await planRun(loc.graph, test.storage, request);
    const outcome = await execute({
      graph: loc.graph,
      plan,
      storage: test.storage,
      resources,
      pools: loc.pools,
      maxParallel: 4,
    });
    return { plan, ...outcome };
  };
  const stale = async (loc: Location<BikeResources> = location) =>
    (await planRun(loc.graph, test.storage, { selection: '*' })).steps.map(
      (s) => `${s.assetKey}[${s.partition}]`,
    );
  const query = async <T extends object>(text: string) => (await resources.db.query<T>(text)).rows;

  it('materialises every partition, and the reports agree with the raw rows', async () => {
    const { run, steps } = await materialize({ selection: '*' });
    expect(run.status).toBe('success');
    expect(steps).toHaveLength(1 + days.length * 4 + 1);

    // Recompute the reports in TypeScript from the raw tables.
    const stations = new Map(
      (
        await query<{ station_id: number; district: string }>('select station_id, district from raw.stations')
      ).map((s) => [s.station_id, s.district]),
    );
    const trips = await query<{ day: string; from_station: number; minutes: number }>(
      "select to_char(day, 'YYYY-MM-DD') as day, from_station, minutes from raw.trips",
    );
    const daily = new Map<string, { trips: number; minutes: number }>();
    for (const trip of trips) {
      if (trip.minutes <= 0 || !stations.has(trip.from_station)) continue;
      const key = `${trip.day}|${trip.from_station}`;
      const entry = daily.get(key) ?? { trips: 0, minutes: 0 };
      entry.trips++;
      entry.minutes += trip.minutes;
      daily.set(key, entry);
    }
    const stored = await query<{ day: string; station_id: number; trips: number; minutes: string }>(
      "select to_char(day, 'YYYY-MM-DD') as day, station_id, trips, minutes from report.station_daily",
    );
    expect(
      new Map(
        stored.map((r) => [`${r.day}|${r.station_id}`, { trips: r.trips, minutes: Number(r.minutes) }]),
      ),
    ).toEqual(daily);

    const lastDay = days.at(-1)!;
    const weekly = new Map<string, number>();
    for (const [key, value] of daily) {
      const [day, station] = key.split('|');
      if (day! < addDays(lastDay, -6)) continue;
      const district = stations.get(Number(station))!;
      weekly.set(district, (weekly.get(district) ?? 0) + value.trips);
    }
    const storedWeekly = await query<{ district: string; trips_7d: number }>(
      `select district, trips_7d from report.district_weekly where day = '${lastDay}'`,
    );
    expect(new Map(storedWeekly.map((r) => [r.district, r.trips_7d]))).toEqual(weekly);

    const [ranking] = await query<{ total: string }>(
      'select sum(trips) as total from report.station_ranking',
    );
    expect(Number(ranking!.total)).toBe([...daily.values()].reduce((sum, v) => sum + v.trips, 0));
    expect(await stale()).toEqual([]);
  });

  it('documents exactly the columns of every table, in table order', async () => {
    for (const asset of location.graph.assets()) {
      const [schema, table] = asset.key.split('.');
      const actual = await query<{ name: string }>(
        `select column_name as name from information_schema.columns
         where table_schema = '${schema}' and table_name = '${table}' order by ordinal_position`,
      );
      expect(
        asset.columns.map((column) => column.name),
        asset.key,
      ).toEqual(actual.map((column) => column.name));
    }
  });

  it('replaces a partition atomically: running it again leaves the same rows', async () => {
    const day = days[2]!;
    const before = await query<{ n: string }>(`select count(*) as n from raw.trips where day = '${day}'`);
    const { run } = await materialize({ selection: 'raw.trips', from: day, to: day, force: true });
    expect(run.status).toBe('success');
    const after = await query<{ n: string }>(`select count(*) as n from raw.trips where day = '${day}'`);
    expect(after).toEqual(before);
  });

  it('marks downstream partitions stale after an upstream day was re-materialised', async () => {
    // The previous test re-materialised raw.trips on days[2]: what reads it is stale now.
    const day = days[2]!;
    const windowDays = days.filter((d) => d >= day && d <= addDays(day, 6));
    expect(await stale()).toEqual([
      `clean.trips[${day}]`,
      `report.station_daily[${day}]`,
      ...windowDays.map((d) => `report.district_weekly[${d}]`),
      'report.station_ranking[]',
    ]);
    const plan = await planRun(location.graph, test.storage, { selection: '*' });
    expect(plan.steps[0]!.reasons.map((r) => r.message)).toEqual(['upstream raw.trips has newer data']);
    expect(plan.steps[1]!.reasons.map((r) => r.kind)).toEqual(['upstream_planned']);
    await materialize({ selection: '*' });
    expect(await stale()).toEqual([]);
  });

  it('marks an asset and its downstream stale when its SQL changes', async () => {
    const edited = location.graph.assets().map((asset) => {
      if (asset.key !== 'clean.trips') return asset;
      const text = [sql.cleanTrips.ddl, sql.cleanTrips.fill.replace('t.minutes > 0', 't.minutes > 1')];
      return { ...asset, sql: text, codeVersion: codeVersionOf(text) };
    });
    const graph = new AssetGraph(edited);
    const staleKeys = new Set((await stale({ ...location, graph })).map((step) => step.replace(/\[.*$/, '')));
    expect(staleKeys).toEqual(resolveSelection(graph, 'clean.trips+'));
    const plan = await planRun(graph, test.storage, { selection: 'clean.trips' });
    expect(plan.steps[0]!.reasons[0]!.kind).toBe('code_changed');
    expect(indexStates(await test.storage.assetPartitions(['clean.trips'])).get('clean.trips')?.size).toBe(
      days.length,
    );
  });
});
