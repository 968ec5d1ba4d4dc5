import {
  type CheckDefinition,
  type CheckResult,
  DefinitionError,
  defineAsset,
  type MaterializeResult,
  type StepContext,
} from '@vitrina/core';
import { tempDatabase } from '@vitrina/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CheckSpec,
  checkSpecSchema,
  columnCheckSchema,
  columnChecks,
  genericCheck,
  partitionScope,
  referencedTables,
  sqlChecks,
} from '../src/checks/index.ts';

interface Resources {
  db: pg.Pool;
}

let pool: pg.Pool;
let url: string;
let drop: () => Promise<void>;

const DAY1 = '2026-11-01';
const DAY2 = '2026-11-02';

beforeAll(async () => {
  const database = await tempDatabase('vitrina_checks');
  drop = database.drop;
  url = database.url;
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await pool.query(`
    create schema raw; create schema clean;
    create table raw.stations (id int primary key, name text not null);
    insert into raw.stations values (1, 'Lenina'), (2, 'Kirova'), (3, 'Pobedy');
    create table clean.trips (
      trip_id int, day date not null, station_id int, kind text, started_at timestamptz, "order" int
    );
    insert into clean.trips values
      (1, '${DAY1}', 1, 'member', now() - interval '2 hours', 1),
      (2, '${DAY1}', 2, 'casual', now() - interval '3 hours', 2),
      (3, '${DAY1}', 3, 'member', now() - interval '4 hours', 3),
      (1, '${DAY2}', 1, 'member', now() - interval '5 hours', 4),     -- trip 1 again, a day later
      (4, '${DAY2}', null, 'casual', now() - interval '5 hours', 5),  -- no station
      (5, '${DAY2}', 99, 'member', now() - interval '5 hours', 6),    -- a station that does not exist
      (6, '${DAY2}', 2, 'tourist', now() - interval '5 hours', null), -- a kind not accepted, no order
      (7, '${DAY2}', 3, null, now() - interval '6 hours', 8),         -- null kind: not a wrong one
      (7, '${DAY2}', 3, 'casual', now() - interval '6 hours', 9);     -- trip 7 twice
    create table clean.good_trips as select * from clean.trips where day = '${DAY1}';
    create table clean.empty_trips as select * from clean.trips where false;
  `);
});

afterAll(async () => {
  await pool?.end();
  await drop?.();
});

function context(partition = '', signal = new AbortController().signal) {
  const ctx: StepContext<Resources> & { materialization: MaterializeResult } = {
    key: 'clean.trips',
    partition,
    window: null,
    runId: 'test-run',
    signal,
    resources: { db: pool },
    cursors: { getCursor: async () => null, setCursor: async () => {} },
    log: () => {},
    materialization: { rows: 0 },
  };
  return ctx;
}

const dayScope = partitionScope<Resources>('day');
const target = (table: string) => ({ table, db: (r: Resources) => r.db, scope: dayScope });
const run = (spec: CheckSpec, table: string, partition = ''): Promise<CheckResult> =>
  genericCheck(spec, target(table)).run(context(partition));

const stationQuery = `select s.id, count(*) as trips from {{ this }} t join raw.stations s on s.id = t.station_id
  where {{ scope }} group by s.id having count(*) > 1;`;

/** Each kind, with what it finds in clean.trips as a whole, in DAY1 and in DAY2 (counted by hand above). */
const kinds: Array<{ spec: CheckSpec; whole: number; day1: number; day2: number }> = [
  { spec: { unique: ['trip_id'] }, whole: 2, day1: 1, day2: 2 },
  { spec: { unique: ['trip_id', 'day'] }, whole: 1, day1: 0, day2: 1 },
  { spec: { not_null: 'station_id' }, whole: 1, day1: 0, day2: 1 },
  { spec: { not_null: 'order' }, whole: 1, day1: 0, day2: 1 },
  { spec: { accepted_values: { column: 'kind', values: ['member', 'casual'] } }, whole: 1, day1: 0, day2: 1 },
  { spec: { accepted_values: { column: 'station_id', values: [1, 2, 3] } }, whole: 1, day1: 0, day2: 1 },
  {
    spec: { relationships: { column: 'station_id', to: 'raw.stations', field: 'id' } },
    whole: 1,
    day1: 0,
    day2: 1,
  },
  { spec: { sql: stationQuery, name: 'busy_stations' }, whole: 3, day1: 0, day2: 1 },
];

describe('checks on the failing rows', () => {
  it.each(kinds)('$spec passes on good data', async ({ spec }) => {
    const result = await run(spec, 'clean.good_trips');
    expect(result).toMatchObject({ passed: true, metadata: { failing: 0 } });
    expect(result.message).toMatch(/^0 .*clean\.good_trips/);
  });

  it.each(kinds)('$spec counts the failing rows of the whole table', async ({ spec, whole }) => {
    const result = await run(spec, 'clean.trips');
    expect(result.passed).toBe(false);
    expect(result.metadata?.failing).toBe(whole);
    expect(result.metadata?.sample).toHaveLength(Math.min(whole, 5));
    expect(result.message).toContain(`${whole} `);
    expect(result.message).toContain('clean.trips');
  });

  it.each(kinds)('$spec checks only the rows of the scope', async ({ spec, day1, day2 }) => {
    expect((await run(spec, 'clean.trips', DAY1)).metadata?.failing).toBe(day1);
    expect((await run(spec, 'clean.trips', DAY2)).metadata?.failing).toBe(day2);
  });

  it('samples the failing rows whole, in plain words', async () => {
    const nulls = await run({ not_null: 'station_id' }, 'clean.trips');
    expect(nulls.message).toBe('1 row of clean.trips where station_id is null');
    expect(nulls.metadata?.sample).toEqual([expect.objectContaining({ trip_id: 4, station_id: null })]);
    const kinds = await run(
      { accepted_values: { column: 'kind', values: ['member', 'casual'] } },
      'clean.trips',
    );
    expect(kinds.message).toBe("1 row of clean.trips where kind is not one of 'member', 'casual'");
    expect(kinds.metadata?.sample).toEqual([expect.objectContaining({ trip_id: 6, kind: 'tourist' })]);
    const orphans = await run(
      { relationships: { column: 'station_id', to: 'raw.stations', field: 'id' } },
      'clean.trips',
      DAY2,
    );
    expect(orphans.message).toBe(
      `1 row of clean.trips ("day" = '${DAY2}') where station_id is missing from raw.stations.id`,
    );
    expect(orphans.metadata?.sample).toEqual([expect.objectContaining({ trip_id: 5, station_id: 99 })]);
  });

  it('finds the keys of a partition that occur anywhere else in the table', async () => {
    const day1 = await run({ unique: ['trip_id'] }, 'clean.trips', DAY1);
    expect(day1.metadata?.sample).toEqual([{ trip_id: 1, occurrences: 2 }]);
    const whole = await run({ unique: ['trip_id'] }, 'clean.trips');
    expect(whole.message).toBe('2 duplicate trip_id in clean.trips');
    const sample = whole.metadata?.sample as Array<{ trip_id: number }>;
    expect(sample.map((row) => row.trip_id).sort()).toEqual([1, 7]);
  });

  it('ignores nulls in unique, accepted_values and relationships', async () => {
    await pool.query(
      `create table clean.sparse as select trip_id, null::int as station_id, null::text as kind from clean.good_trips`,
    );
    await pool.query('insert into clean.sparse values (null, null, null), (null, null, null)');
    for (const spec of [
      { unique: ['trip_id'] },
      { unique: ['trip_id', 'station_id'] },
      { accepted_values: { column: 'kind', values: ['member'] } },
      { relationships: { column: 'station_id', to: 'raw.stations', field: 'id' } },
    ])
      expect(await run(spec, 'clean.sparse')).toMatchObject({ passed: true });
  });

  it('caps the sample at five rows but counts them all', async () => {
    const result = await run({ row_count: { max: 100 } }, 'clean.trips');
    expect(result.passed).toBe(true);
    const many = await run({ sql: 'select g from generate_series(1, 12) g', name: 'twelve' }, 'clean.trips');
    expect(many.metadata?.failing).toBe(12);
    expect(many.metadata?.sample).toHaveLength(5);
  });
});

describe('row_count and freshness', () => {
  it('counts the rows of the scope against min and max', async () => {
    const whole = await run({ row_count: { min: 1, max: 5 } }, 'clean.trips');
    expect(whole).toMatchObject({ passed: false, metadata: { rows: 9 } });
    expect(whole.message).toBe('clean.trips has 9 rows, expected between 1 and 5 rows');
    expect(await run({ row_count: { min: 3, max: 3 } }, 'clean.trips', DAY1)).toMatchObject({ passed: true });
    const empty = await run({ row_count: { min: 1 } }, 'clean.trips', '2026-11-03');
    expect(empty).toMatchObject({ passed: false, metadata: { rows: 0 } });
    expect(empty.message).toContain('0 rows');
  });

  it('compares the newest value of the whole table with now()', async () => {
    const fresh = await run({ freshness: { column: 'started_at', max_age_hours: 24 } }, 'clean.trips');
    expect(fresh.passed).toBe(true);
    expect(fresh.metadata?.age_hours).toBeCloseTo(2, 1);
    const stale = await run({ freshness: { column: 'started_at', max_age_hours: 1.5 } }, 'clean.trips');
    expect(stale.passed).toBe(false);
    expect(stale.message).toMatch(/^the newest started_at in clean\.trips is 2 hours old, more than 1\.5$/);
    // A partition without rows changes nothing: freshness is the table's, not the step's.
    const scoped = await run(
      { freshness: { column: 'started_at', max_age_hours: 24 } },
      'clean.trips',
      '2030-01-01',
    );
    expect(scoped.passed).toBe(true);
    const empty = await run({ freshness: { column: 'started_at', max_age_hours: 24 } }, 'clean.empty_trips');
    expect(empty).toMatchObject({ passed: false, message: 'clean.empty_trips has no started_at values' });
  });

  it('reads a date column as midnight', async () => {
    const result = await run({ freshness: { column: 'day', max_age_hours: 1 } }, 'clean.trips');
    expect(result.passed).toBe(false);
    expect(result.metadata?.newest).toMatch(/^2026-11-02T00:00:00/);
  });
});

describe('safety', () => {
  it('treats accepted values as values, never as SQL', async () => {
    const values = ['member', 'casual', "x') or true or ('", "'; drop table raw.stations; --", '$1'];
    const result = await run({ accepted_values: { column: 'kind', values } }, 'clean.trips');
    expect(result.metadata?.failing).toBe(1);
    const { rows } = await pool.query("select to_regclass('raw.stations') is not null as present");
    expect(rows[0].present).toBe(true);
    const planted = await run(
      { accepted_values: { column: 'kind', values: ["x') or true or ('"] } },
      'clean.trips',
    );
    expect(planted.metadata?.failing).toBe(8);
  });

  it('quotes column names, so a keyword works and nothing else gets in', async () => {
    expect((await run({ not_null: 'Order' }, 'clean.trips')).metadata?.failing).toBe(1);
    expect(() => genericCheck({ not_null: 'kind is null or true' }, target('clean.trips'))).toThrow(
      DefinitionError,
    );
    expect(() => genericCheck({ not_null: 'kind' }, target('clean.trips; drop table x'))).toThrow(
      /schema-qualified table/,
    );
  });

  it('lets a query error propagate', async () => {
    await expect(run({ not_null: 'nope' }, 'clean.trips')).rejects.toThrow(/column "nope" does not exist/);
    await expect(
      run({ accepted_values: { column: 'station_id', values: ['one'] } }, 'clean.trips'),
    ).rejects.toThrow(/invalid input syntax for type integer/);
  });

  it('cancels the query when the step is aborted, even with no connection to spare', async () => {
    const single = new pg.Pool({ connectionString: url, max: 1 });
    const slow = genericCheck(
      { sql: 'select 1 as x from pg_sleep(30)', name: 'slow' },
      { ...target('clean.trips'), db: () => single },
    );
    const abort = new AbortController();
    const started = Date.now();
    setTimeout(() => abort.abort(new Error('run cancelled')), 300);
    try {
      await expect(slow.run(context('', abort.signal))).rejects.toThrow('run cancelled');
      expect(Date.now() - started).toBeLessThan(10_000);
      const { rows } = await single.query(
        "select count(*)::int as n from pg_stat_activity where state = 'active' and query like '%pg\\_sleep(30)%'",
      );
      expect(rows[0].n).toBe(0);
      await expect(slow.run(context('', abort.signal))).rejects.toThrow('run cancelled');
    } finally {
      await single.end();
    }
  });
});

describe('definitions', () => {
  it('names and describes each check, severity error unless given', () => {
    const checks = sqlChecks<Resources>((r) => r.db, 'clean.trips');
    const made: CheckDefinition<Resources>[] = [
      checks.unique('trip_id'),
      checks.unique(['day', 'station_id'], { severity: 'warn' }),
      checks.notNull('station_id'),
      checks.acceptedValues('kind', ['member', 'casual']),
      checks.relationships('station_id', 'raw.stations', 'id'),
      checks.rowCount({ min: 1 }),
      checks.freshness('started_at', 24, { name: 'recent_trips' }),
      checks.sql('busy_stations', stationQuery, { description: 'no station has two trips' }),
    ];
    expect(made.map(({ name, severity, description }) => [name, severity, description])).toEqual([
      ['unique_trip_id', 'error', 'trip_id is unique'],
      ['unique_day_station_id', 'warn', 'day, station_id are unique together'],
      ['not_null_station_id', 'error', 'station_id is never null'],
      ['accepted_values_kind', 'error', "kind is one of 'member', 'casual'"],
      ['relationships_station_id', 'error', 'every station_id exists in raw.stations.id'],
      ['row_count', 'error', 'clean.trips has at least 1 row'],
      ['recent_trips', 'error', 'the newest started_at is at most 24 hours old'],
      ['busy_stations', 'error', 'no station has two trips'],
    ]);
  });

  it('makes a changed check change the asset’s code version', () => {
    const version = (values: string[]) =>
      defineAsset<Resources>({
        key: 'clean.trips',
        description: 'Trips.',
        group: 'clean',
        storage: 'postgres',
        checks: [sqlChecks<Resources>((r) => r.db, 'clean.trips').acceptedValues('kind', values)],
        materialize: async () => ({ rows: 0 }),
      }).codeVersion;
    expect(version(['member'])).toBe(version(['member']));
    expect(version(['member'])).not.toBe(version(['member', 'casual']));
  });

  it('names the other tables a check reads', () => {
    expect(referencedTables({ relationships: { column: 'a', to: 'Raw.Stations', field: 'id' } })).toEqual([
      'raw.stations',
    ]);
    expect(referencedTables({ not_null: 'a' })).toEqual([]);
  });
});

describe('schemas', () => {
  const issues = (input: unknown) => {
    const parsed = checkSpecSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    return parsed.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('accepts the YAML forms, a single unique column as a list', () => {
    expect(checkSpecSchema.parse({ unique: 'Trip_Id', severity: 'warn' })).toEqual({
      unique: ['trip_id'],
      severity: 'warn',
    });
    expect(checkSpecSchema.parse({ row_count: { min: 0 } })).toEqual({ row_count: { min: 0 } });
  });

  it('rejects malformed checks saying what is wrong', () => {
    expect(issues({ unique: 'a', not_null: 'b' })).toEqual([
      ': expected a check of one kind, found unique and not_null',
    ]);
    expect(issues({ uniq: 'a' })[0]).toMatch(/^: expected a check with one of: unique, not_null/);
    expect(issues('unique')[0]).toMatch(/expected a check with one of/);
    expect(issues({ accepted_values: { column: 'kind', values: [] } })).toEqual([
      'accepted_values.values: expected at least one accepted value',
    ]);
    expect(issues({ relationships: { column: 'a', to: 'stations', field: 'id' } })).toEqual([
      'relationships.to: expected a schema-qualified table, schema.table',
    ]);
    expect(issues({ row_count: { min: 5, max: 1 } })).toEqual(['row_count: expected min ≤ max']);
    expect(issues({ row_count: {} })).toEqual(['row_count: expected min, max or both']);
    expect(issues({ sql: 'select 1' })).toEqual(['name: Invalid input: expected string, received undefined']);
    expect(issues({ not_null: 'a', severity: 'fatal' })[0]).toMatch(/^severity: /);
    expect(issues({ not_null: 'a', extra: 1 })[0]).toMatch(/Unrecognized key: "extra"/);
    expect(issues({ freshness: { column: 'a', max_age_hours: -1 } })).toEqual([
      'freshness.max_age_hours: expected max_age_hours above 0',
    ]);
  });

  it('reads the column shorthand of a model header', () => {
    const checks = ['unique', 'not_null', { accepted_values: ['a', 1], severity: 'warn' }].map((check) =>
      columnCheckSchema.parse(check),
    );
    checks.push(
      columnCheckSchema.parse({ relationships: { to: 'raw.stations', field: 'id' }, name: 'known' }),
    );
    expect(columnChecks('station_id', checks)).toEqual([
      { unique: ['station_id'] },
      { not_null: 'station_id' },
      { accepted_values: { column: 'station_id', values: ['a', 1] }, severity: 'warn' },
      { relationships: { column: 'station_id', to: 'raw.stations', field: 'id' }, name: 'known' },
    ]);
    expect(columnCheckSchema.safeParse('uniq').error?.issues[0]?.message).toBe('expected unique or not_null');
    expect(columnCheckSchema.safeParse({ unique: false }).error?.issues[0]?.path).toEqual(['unique']);
  });
});
