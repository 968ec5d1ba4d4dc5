import { tempDatabase } from '@vitrina/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildTarget, buildModel } from '../src/build.ts';

let pool: pg.Pool;
let drop: () => Promise<void>;
const logged: string[] = [];
const log = (message: string) => logged.push(message);
const day = (d: string) => ({ start: d, end: d });
const ALL = day('2000-01-01');

const target = (over: Partial<BuildTarget>): BuildTarget => ({
  table: 'report.t',
  kind: 'table',
  query: 'select 1 as id',
  timeColumn: null,
  uniqueKey: [],
  newestBy: null,
  description: 'A test model.',
  columns: {},
  ...over,
});
const rows = async (sql: string) => (await pool.query(sql)).rows;

beforeAll(async () => {
  const database = await tempDatabase('vitrina_models');
  drop = database.drop;
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await pool.query(`create schema raw;
    create table raw.loans (day date, loan_id int, member_id int, minutes int);
    insert into raw.loans values
      ('2026-11-01', 1, 10, 30), ('2026-11-01', 2, 11, 0), ('2026-11-02', 3, 10, 45), ('2026-11-02', 4, 12, 15);`);
});
afterAll(async () => {
  await pool.end();
  await drop();
});

describe('building models in PostgreSQL', () => {
  it('a view is created once, with its description as the comment', async () => {
    const view = target({ table: 'report.v', kind: 'view', query: 'select loan_id from raw.loans' });
    expect((await buildModel(pool, view, ALL, log)).rows).toBeUndefined();
    expect(await rows('select count(*)::int as n from report.v')).toEqual([{ n: 4 }]);
    expect(await rows("select obj_description('report.v'::regclass, 'pg_class') as c")).toEqual([
      { c: expect.stringMatching(/^A test model\. \[vitrina [0-9a-f]{16}\]$/) },
    ]);
  });

  it('a table is rebuilt whole each time, and re-created when its query changes shape', async () => {
    const table = target({ table: 'report.members', query: 'select distinct member_id from raw.loans' });
    expect((await buildModel(pool, table, ALL, log)).rows).toBe(3);
    expect((await buildModel(pool, table, ALL, log)).rows).toBe(3);
    const wider = { ...table, query: 'select member_id, count(*)::int as loans from raw.loans group by 1' };
    await buildModel(pool, wider, ALL, log);
    expect(await rows('select * from report.members order by member_id')).toEqual([
      { member_id: 10, loans: 2 },
      { member_id: 11, loans: 1 },
      { member_id: 12, loans: 1 },
    ]);
  });

  it('a re-created table takes the views reading it along, and says which', async () => {
    const base = target({ table: 'report.base', query: 'select loan_id from raw.loans' });
    await buildModel(pool, base, ALL, log);
    await buildModel(
      pool,
      target({ table: 'report.on_base', kind: 'view', query: 'select * from report.base' }),
      ALL,
      log,
    );
    const result = await buildModel(pool, { ...base, query: 'select loan_id, day from raw.loans' }, ALL, log);
    expect(result.metadata.dropped).toBe('report.on_base');
    expect(logged.at(-1)).toMatch(/dropped with it, to materialise again: report\.on_base/);
  });

  it('a view Vitrina did not make blocks the re-creation of the table it reads, naming it', async () => {
    const base = target({ table: 'report.guarded', query: 'select loan_id from raw.loans' });
    await buildModel(pool, base, ALL, log);
    await pool.query('create view report.hand_view as select * from report.guarded');
    await expect(
      buildModel(pool, { ...base, query: 'select loan_id, day from raw.loans' }, ALL, log),
    ).rejects.toThrow(/report\.hand_view \(not made by Vitrina\) reads it/);
    expect(await rows('select count(*)::int as n from report.hand_view')).toEqual([{ n: 4 }]);
  });

  it('a daily model replaces its day and refuses rows of other days', async () => {
    const daily = target({
      table: 'report.daily',
      kind: 'daily',
      timeColumn: 'day',
      query:
        'select day, loan_id, minutes from raw.loans where minutes > 0 and day between {{ start }} and {{ end }}',
    });
    expect((await buildModel(pool, daily, day('2026-11-01'), log)).rows).toBe(1);
    expect((await buildModel(pool, daily, day('2026-11-02'), log)).rows).toBe(2);
    expect((await buildModel(pool, daily, day('2026-11-01'), log)).rows).toBe(1);
    expect(await rows('select count(*)::int as n from report.daily')).toEqual([{ n: 3 }]);
    const leaky = { ...daily, query: 'select day, loan_id, minutes from raw.loans where day <= {{ end }}' };
    await expect(buildModel(pool, leaky, day('2026-11-02'), log)).rejects.toThrow(
      /returned 2 of 4 rows outside 2026-11-02…2026-11-02/,
    );
  });

  it('an incremental model merges each day’s rows by its key', async () => {
    const latest = target({
      table: 'report.last_loan',
      kind: 'incremental',
      uniqueKey: ['member_id'],
      query:
        'select member_id, max(loan_id) as loan_id from raw.loans where day between {{ start }} and {{ end }} group by 1',
    });
    await buildModel(pool, latest, day('2026-11-01'), log);
    await buildModel(pool, latest, day('2026-11-02'), log);
    const merged = [
      { member_id: 10, loan_id: 3 },
      { member_id: 11, loan_id: 2 },
      { member_id: 12, loan_id: 4 },
    ];
    expect(await rows('select * from report.last_loan order by member_id')).toEqual(merged);
    // Without newest_by the last day built wins, even an older one built again…
    await buildModel(pool, latest, day('2026-11-01'), log);
    expect(await rows('select loan_id from report.last_loan where member_id = 10')).toEqual([{ loan_id: 1 }]);
    // …with it, an older day built after a newer one leaves the newer rows.
    const newest = { ...latest, table: 'report.last_loan_kept', newestBy: 'loan_id' };
    await buildModel(pool, newest, day('2026-11-02'), log);
    await buildModel(pool, newest, day('2026-11-01'), log);
    expect(await rows('select * from report.last_loan_kept order by member_id')).toEqual(merged);
  });

  it('never drops a table it did not make', async () => {
    await pool.query('create table report.hand_made (x int); insert into report.hand_made values (1)');
    await expect(buildModel(pool, target({ table: 'report.hand_made' }), ALL, log)).rejects.toThrow(
      /was not made by Vitrina/,
    );
    expect(await rows('select x from report.hand_made')).toEqual([{ x: 1 }]);
  });

  it('column descriptions become column comments, and an edited one shows at the next build', async () => {
    const described = target({
      table: 'report.described',
      query: 'select 1 as id',
      columns: { id: 'The row’s id.' },
    });
    await buildModel(pool, described, ALL, log);
    expect(await rows("select col_description('report.described'::regclass, 1) as c")).toEqual([
      { c: 'The row’s id.' },
    ]);
    const oid = await rows("select 'report.described'::regclass::oid as oid");
    await buildModel(
      pool,
      { ...described, description: 'Edited.', columns: { id: 'Its number.' } },
      ALL,
      log,
    );
    expect(await rows("select 'report.described'::regclass::oid as oid")).toEqual(oid); // not re-created
    expect(
      await rows(
        "select obj_description('report.described'::regclass, 'pg_class') as t, col_description('report.described'::regclass, 1) as c",
      ),
    ).toEqual([{ t: expect.stringMatching(/^Edited\. \[vitrina [0-9a-f]{16}\]$/), c: 'Its number.' }]);
  });
});
