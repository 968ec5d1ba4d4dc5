import {
  type Asset,
  type CheckDefinition,
  daily,
  defineAsset,
  defineLocation,
  parseEnv,
} from '@vitrina/core';
import { ensureDatabase, replacePartition, replaceTable } from '@vitrina/io';
import pg from 'pg';
import { z } from 'zod';
import { columns } from './columns.ts';
import { sql } from './sql.ts';

/**
 * An example asset graph — a city bike rental — that writes real PostgreSQL tables. It exists to show
 * and test the engine on something that is not the payments warehouse:
 *
 *   raw.stations ─┐
 *   raw.trips ────┴─► clean.trips ─► report.station_daily ─┬─► report.district_weekly (7-day window)
 *                                                           └─► report.station_ranking (all days)
 */
export interface BikeResources {
  db: pg.Pool;
  /** Runs a table's DDL once per process: parallel partitions must not race to create it. */
  ensure: (ddl: string) => Promise<void>;
}

const hasRows: CheckDefinition<BikeResources> = {
  name: 'has_rows',
  severity: 'warn',
  description: 'the partition is not empty',
  run: async ({ materialization }) => ({
    passed: (materialization.rows ?? 0) > 0,
    message: `${materialization.rows ?? 0} rows`,
  }),
};

function dailyTable(
  key: string,
  spec: { ddl: string; fill: string },
): Pick<Asset<BikeResources>, 'sql'> & {
  materialize: NonNullable<Asset<BikeResources>['materialize']>;
} {
  return {
    sql: [spec.ddl, spec.fill],
    materialize: async ({ resources, partition }) => {
      await resources.ensure(spec.ddl);
      const rows = await replacePartition(resources.db, {
        table: key,
        column: 'day',
        partition,
        insert: spec.fill,
      });
      return { rows };
    },
  };
}

function wholeTable(key: string, spec: { ddl: string; fill: string }) {
  return {
    sql: [spec.ddl, spec.fill],
    materialize: async ({ resources }: { resources: BikeResources }) => {
      await resources.ensure(spec.ddl);
      return { rows: await replaceTable(resources.db, key, spec.fill) };
    },
  };
}

/** The example's assets for daily partitions from `start`. */
export function bikeAssets(start: string) {
  const days = daily(start, 'Europe/Minsk');
  return [
    defineAsset<BikeResources>({
      key: 'raw.stations',
      description: 'Docking stations with their district and capacity.',
      group: 'raw',
      storage: 'postgres',
      pool: 'source',
      columns: columns.stations,
      ...wholeTable('raw.stations', sql.stations),
    }),
    defineAsset<BikeResources>({
      key: 'raw.trips',
      description: 'Trips as the rental system logs them, one partition per day (some with bad durations).',
      group: 'raw',
      storage: 'postgres',
      partitions: days,
      pool: 'source',
      retry: { maxRetries: 3, initialDelayMs: 200 },
      columns: columns.trips,
      ...dailyTable('raw.trips', sql.trips),
    }),
    defineAsset<BikeResources>({
      key: 'clean.trips',
      description: 'Trips with a positive duration from a known station, with the station district.',
      group: 'clean',
      storage: 'postgres',
      partitions: days,
      deps: ['raw.trips', { key: 'raw.stations', mapping: { kind: 'all' } }],
      checks: [
        hasRows,
        {
          name: 'positive_minutes',
          severity: 'error',
          description: 'no trip of zero or negative duration survives cleaning',
          run: async ({ resources, partition }) => {
            const { rows } = await resources.db.query<{ bad: string }>(
              'select count(*) as bad from clean.trips where day = $1 and minutes <= 0',
              [partition],
            );
            const bad = Number(rows[0]?.bad ?? 0);
            return { passed: bad === 0, message: `${bad} trips with minutes <= 0`, metadata: { bad } };
          },
        },
      ],
      columns: columns.cleanTrips,
      ...dailyTable('clean.trips', sql.cleanTrips),
    }),
    defineAsset<BikeResources>({
      key: 'report.station_daily',
      description: 'Trips and minutes ridden per station and day.',
      group: 'report',
      storage: 'postgres',
      partitions: days,
      deps: ['clean.trips'],
      checks: [hasRows],
      columns: columns.stationDaily,
      ...dailyTable('report.station_daily', sql.stationDaily),
    }),
    defineAsset<BikeResources>({
      key: 'report.district_weekly',
      description: 'Rolling seven-day trips and minutes per district.',
      group: 'report',
      storage: 'postgres',
      partitions: days,
      deps: [{ key: 'report.station_daily', mapping: { kind: 'window', startOffset: -6, endOffset: 0 } }],
      columns: columns.districtWeekly,
      ...dailyTable('report.district_weekly', sql.districtWeekly),
    }),
    defineAsset<BikeResources>({
      key: 'report.station_ranking',
      description: 'Stations ranked by all trips ever started there.',
      group: 'report',
      storage: 'postgres',
      deps: ['report.station_daily'],
      freshness: { cron: '0 6 * * *', maximumLagMinutes: 24 * 60 },
      columns: columns.stationRanking,
      ...wholeTable('report.station_ranking', sql.stationRanking),
    }),
  ];
}

/** The example as a code location writing to the database at `databaseUrl` (created when missing). */
export function bikesLocation(options: { databaseUrl: string; start: string }) {
  return defineLocation<BikeResources>({
    name: 'bikes',
    assets: bikeAssets(options.start),
    pools: { source: 1 },
    warehouseUrl: options.databaseUrl,
    schedules: [
      {
        name: 'daily',
        cron: '30 0 * * *',
        timezone: 'Europe/Minsk',
        selection: '*',
        description: 'the nightly load of yesterday and anything stale',
      },
    ],
    resources: {
      open: async () => {
        await ensureDatabase(options.databaseUrl);
        const db = new pg.Pool({ connectionString: options.databaseUrl, max: 8 });
        db.on('error', () => {}); // an idle connection dropped by the server: the next query reconnects
        await db.query(
          'create schema if not exists raw; create schema if not exists clean; create schema if not exists report',
        );
        const created = new Map<string, Promise<unknown>>();
        const ensure = async (ddl: string) => {
          if (!created.has(ddl)) created.set(ddl, db.query(ddl));
          await created.get(ddl);
        };
        return { db, ensure };
      },
      close: async ({ db }) => db.end(),
    },
  });
}

const env = parseEnv(
  z.object({
    VITRINA_EXAMPLE_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'expected a postgres:// URL')
      .default('postgres://postgres@127.0.0.1:5432/vitrina_example'),
    VITRINA_EXAMPLE_START: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
      .default('2026-11-01'),
  }),
);

export default bikesLocation({
  databaseUrl: env.VITRINA_EXAMPLE_DATABASE_URL,
  start: env.VITRINA_EXAMPLE_START,
});
