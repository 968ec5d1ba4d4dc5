import { isTransient } from '@vitrina/core';
import { tempDatabase } from '@vitrina/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type CopyValue,
  type LoadGuard,
  loadValidated,
  quarantineDdl,
  replaceQuarantine,
  restoreQuarantinedRaw,
  SilentLossError,
} from '../src/index.ts';

let warehouse: { url: string; drop: () => Promise<void> };
let pool: pg.Pool;
beforeAll(async () => {
  warehouse = await tempDatabase('vitrina_load');
  pool = new pg.Pool({ connectionString: warehouse.url });
  await pool.query(`create schema stage; ${quarantineDdl}`);
});
afterAll(async () => {
  await pool?.end();
  await warehouse?.drop();
});

const count = async (sql: string, params: unknown[] = []) =>
  (await pool.query<{ n: number }>(`select count(*)::int as n from ${sql}`, params)).rows[0]!.n;

async function* batch<T>(rows: T[]) {
  yield rows;
}

describe('the quarantine stores any raw row', () => {
  it('keeps NUL bytes, undecodable bytes and raw bytes: readable as text, restorable exactly', async () => {
    const raws: unknown[] = [
      {
        line: 3,
        raw: 'a\u0000b',
        bytes: Buffer.from([0x61, 0xc3, 0x00]),
        city: 'Гродн\udcc3',
        'key\u0000': 1n,
      },
      Buffer.from([0xd0, 0x9c, 0xff, 0x00]),
      'plain\u0000text',
      { ok: 'Минск 😀', amount: Number.NaN },
    ];
    const client = await pool.connect();
    try {
      await replaceQuarantine(
        client,
        { source: 'files', asset: 'stage.raw', partition: '2026-01-01', runId: 'r' },
        raws.map((raw, i) => ({ reason: `reason ${i} with NUL \u0000`, raw })),
      );
    } finally {
      client.release();
    }
    const { rows } = await pool.query<{ reason: string; raw: unknown; raw_exact: string | null }>(
      "select reason, raw, raw_exact from quarantine.rows where asset = 'stage.raw' order by id",
    );
    expect(rows.map((row) => row.raw)).toEqual([
      { line: 3, raw: 'a\\x00b', bytes: 'a\\xC3\\x00', city: 'Гродн\\xC3', 'key\\x00': '1' },
      'М\\xFF\\x00',
      'plain\\x00text',
      { ok: 'Минск 😀', amount: 'NaN' },
    ]);
    expect(rows[0]!.reason).toBe('reason 0 with NUL \\x00');
    for (const [i, row] of rows.entries()) expect(restoreQuarantinedRaw(row.raw_exact!)).toEqual(raws[i]);
  });
});

describe('values a column cannot take are quarantined per row, never sent to COPY', () => {
  it('names the column and the value, loads the rest, and read = loaded + quarantined', async () => {
    await pool.query(`create table stage.values (
      day date not null, id int, big bigint, amount numeric(6,2), note text, at timestamptz,
      code varchar(3), flag boolean, doc jsonb, uid uuid)`);
    const good = {
      id: 1,
      big: '9223372036854775807',
      amount: 9999.994,
      note: 'ok',
      at: '2026-01-05 10:00:00+03',
      code: 'BYN',
      flag: 'yes',
      doc: { a: 1 },
      uid: '6f1c2a4e-0b7d-4c0e-9a51-3f2d8e7b9c10',
    };
    type Row = Record<string, unknown>;
    const cases: Array<[Row, RegExp]> = [
      [{ note: 'a\u0000b' }, /^column note: "a\\u0000b" contains NUL/],
      [{ note: 'Гродн\udcc3' }, /^column note: .* unpaired surrogate/],
      [{ id: 2 ** 31 }, /^column id: 2147483648 is out of range for integer$/],
      [{ id: 1.5 }, /^column id: 1\.5 is not an integer/],
      [{ big: '9223372036854775808' }, /^column big: "9223372036854775808" is out of range for bigint$/],
      [{ amount: 12345.678 }, /^column amount: 12345\.678 does not fit numeric\(6,2\)$/],
      [{ amount: '9999.995' }, /^column amount: "9999\.995" does not fit numeric\(6,2\)$/],
      [{ amount: '12,5O' }, /^column amount: "12,5O" is not a number/],
      [
        { at: '2026-02-30 10:00:00' },
        /^column at: "2026-02-30 10:00:00" is not a valid timestamp: day 30 of month 2$/,
      ],
      [{ at: '2026-01-05 25:00:00' }, /impossible time of day/],
      [{ at: new Date('never') }, /^column at: Invalid Date is not a valid date$/],
      [{ code: 'ABCD' }, /^column code: "ABCD" is longer than character varying\(3\) allows$/],
      [{ flag: 'maybe' }, /^column flag: "maybe" is not a boolean$/],
      [{ doc: { a: 'x\u0000' } }, /^column doc: .* holds NUL/],
      [{ doc: { big: 1n } }, /^column doc: .* cannot be written as JSON/],
      [{ uid: 'not-a-uuid' }, /^column uid: "not-a-uuid" is not a uuid$/],
    ];
    const rows: Row[] = [
      good,
      ...cases.map(([change], i) => ({ ...good, id: 100 + i, case: i, ...change })),
      { ...good, id: 2 },
    ];
    const columns = ['day', 'id', 'big', 'amount', 'note', 'at', 'code', 'flag', 'doc', 'uid'];
    const result = await loadValidated({
      pool,
      rows: batch(rows),
      schema: z.record(z.string(), z.unknown()),
      toValues: (row) => ['2026-01-05', ...columns.slice(1).map((name) => row[name] as CopyValue)],
      target: { table: 'stage.values', columns, partition: { column: 'day', value: '2026-01-05' } },
      quarantine: { source: 'test', asset: 'stage.values', partition: '2026-01-05', runId: 'r' },
      guard: { maxQuarantinedShare: 1 },
    });
    expect(result).toMatchObject({ read: cases.length + 2, loaded: 2, quarantined: cases.length });
    expect(result.read).toBe(result.loaded + result.quarantined);
    const reasons = (
      await pool.query<{ reason: string }>(
        "select reason from quarantine.rows where asset = 'stage.values' order by (raw->>'case')::int",
      )
    ).rows.map((row) => row.reason);
    for (const [i, [, reason]] of cases.entries()) expect(reasons[i], `case ${i}`).toMatch(reason);
    const loaded = await pool.query('select id, amount::text, flag from stage.values order by id');
    expect(loaded.rows).toEqual([
      { id: 1, amount: '9999.99', flag: true },
      { id: 2, amount: '9999.99', flag: true },
    ]);
  });
});

describe('the guard against silent loss', () => {
  const schema = z.object({ day: z.string(), id: z.number().int().positive() });
  type Row = z.infer<typeof schema>;
  const day = '2026-03-02';
  const load = (rows: unknown[], guard?: LoadGuard, range?: { from: string; to: string }) =>
    loadValidated({
      pool,
      rows: batch(rows),
      schema,
      toValues: (row: Row) => [row.day, row.id],
      target: {
        table: 'stage.sales',
        columns: ['day', 'id'],
        partition: range ? { column: 'day', ...range } : { column: 'day', value: day },
      },
      quarantine: { source: 'test', asset: 'stage.sales', partition: range?.to ?? day, runId: 'r' },
      partitionOf: (raw) => (raw as Row).day,
      ...(guard ? { guard } : {}),
    });
  const rowsOf = (n: number, on = day) => Array.from({ length: n }, (_, i) => ({ day: on, id: i + 1 }));
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('the load was not refused');
      },
      (error: unknown) => error as SilentLossError,
    );
  const held = () => count('stage.sales where day = $1', [day]);

  beforeAll(async () => {
    await pool.query('create table stage.sales (day date not null, id int not null)');
  });

  it('refuses to replace a partition that holds rows with none, keeping them, unless allowEmpty', async () => {
    await load(rowsOf(10));
    const error = await failure(load([]));
    expect(error).toBeInstanceOf(SilentLossError);
    expect(error).toMatchObject({
      table: 'stage.sales',
      partition: day,
      read: 0,
      loaded: 0,
      quarantined: 0,
      previousRows: 10,
    });
    expect(error.message).toBe(
      `stage.sales ${day}: read 0 rows, loaded 0, quarantined 0, which would leave ${day} empty where it holds 10 rows; the previous 10 rows are kept. If this delivery is right, set guard.allowEmpty for this asset and re-run.`,
    );
    expect(isTransient(error)).toBe(false);
    expect(await held()).toBe(10);
    // Every row bad: read > 0, loaded 0: the share trips first.
    await expect(load(rowsOf(3).map((row) => ({ ...row, id: -row.id })))).rejects.toThrow(/100 % > 20 %/);
    expect(await held()).toBe(10);
    expect(await load([], { allowEmpty: true })).toMatchObject({ read: 0, loaded: 0 });
    expect(await held()).toBe(0);
    // An empty load over an empty partition loses nothing.
    expect(await load([])).toMatchObject({ read: 0 });
  });

  it('refuses a load with more quarantined than allowed, before commit, with its own override text', async () => {
    await load(rowsOf(118));
    const delivery = [...rowsOf(10), ...Array.from({ length: 110 }, () => ({ day, id: -1 }))];
    const error = await failure(load(delivery));
    expect(error.message).toBe(
      `stage.sales ${day}: read 120 rows, loaded 10, quarantined 110 (92 % > 20 %); the previous 118 rows are kept. If this delivery is right, set guard.maxQuarantinedShare for this asset and re-run.`,
    );
    expect(error).toMatchObject({ read: 120, loaded: 10, quarantined: 110, previousRows: 118 });
    expect(await held()).toBe(118);
    expect(await count("quarantine.rows where asset = 'stage.sales'")).toBe(0);
    // 21 of 100 is above 20 % though it rounds to 21; 201 of 1000 would show as 20.1 %.
    const slightly = [...rowsOf(799), ...Array.from({ length: 201 }, () => ({ day, id: -1 }))];
    const custom = await failure(load(slightly, { override: 'accept it with --accept' }));
    expect(custom.message).toMatch(
      /quarantined 201 \(20\.1 % > 20 %\); the previous 118 rows are kept\. If this delivery is right, accept it with --accept and re-run\.$/,
    );
    expect(await load(delivery, { maxQuarantinedShare: 0.95, maxShrinkShare: 1 })).toMatchObject({
      loaded: 10,
      quarantined: 110,
    });
    expect(await held()).toBe(10);
  });

  it('refuses to replace a day with much less, as a cut file would, unless allowed', async () => {
    await load(rowsOf(100));
    const error = await failure(load(rowsOf(60)));
    expect(error).toMatchObject({ read: 60, loaded: 60, quarantined: 0, previousRows: 100 });
    expect(error.message).toBe(
      `stage.sales ${day}: read 60 rows, loaded 60, quarantined 0, which would replace 100 rows with 60 (40 % fewer > 20 %): a cut or partial delivery? the previous 100 rows are kept. If this delivery is right, set guard.allowEmpty for this asset and re-run.`,
    );
    expect(await held()).toBe(100);
    // A fifth fewer is within the default; more, when allowed.
    expect(await load(rowsOf(80))).toMatchObject({ loaded: 80 });
    expect(await load(rowsOf(10), { maxShrinkShare: 0.95 })).toMatchObject({ loaded: 10 });
    expect(await held()).toBe(10);
  });

  it('refuses a range load that would empty one of its days, naming the day', async () => {
    const range = { from: '2026-03-10', to: '2026-03-12' };
    const all = [...rowsOf(2, '2026-03-10'), ...rowsOf(3, '2026-03-11'), ...rowsOf(4, '2026-03-12')];
    await load(all, undefined, range);
    const error = await failure(
      load(
        all.filter((row) => row.day !== '2026-03-11'),
        undefined,
        range,
      ),
    );
    expect(error).toMatchObject({ partition: '2026-03-11', previousRows: 3, read: 6, loaded: 6 });
    expect(error.message).toMatch(
      /^stage\.sales 2026-03-11 \(loading 2026-03-10 to 2026-03-12\): read 6 rows, loaded 6, quarantined 0, which would leave 2026-03-11 empty where it holds 3 rows; the previous 3 rows are kept\./,
    );
    expect(await count("stage.sales where day between '2026-03-10' and '2026-03-12'")).toBe(9);
  });

  it('guards a whole table, and lets an upsert of nothing pass', async () => {
    await pool.query(
      'create table stage.ref (id int primary key, name text); insert into stage.ref values (1, $$a$$), (2, $$b$$)',
    );
    const refSchema = z.object({ id: z.number(), name: z.string() });
    const replace = (rows: unknown[], mergeKey?: string[]) =>
      loadValidated({
        pool,
        rows: batch(rows),
        schema: refSchema,
        toValues: (row) => [row.id, row.name],
        target: { table: 'stage.ref', columns: ['id', 'name'], ...(mergeKey ? { mergeKey } : {}) },
        quarantine: { source: 'test', asset: 'stage.ref', partition: '', runId: 'r' },
      });
    await expect(replace([])).rejects.toThrow(
      /^stage\.ref: read 0 rows, loaded 0, quarantined 0, which would leave the table empty where it holds 2 rows; the previous 2 rows are kept\./,
    );
    expect(await count('stage.ref')).toBe(2);
    expect(await replace([], ['id'])).toMatchObject({ read: 0, loaded: 0 });
    expect(await count('stage.ref')).toBe(2);
  });
});
