import { tempDatabase } from '@vitrina/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../src/index.ts';

let db: { url: string; drop: () => Promise<void> };
let pool: pg.Pool;
beforeAll(async () => {
  db = await tempDatabase('vitrina_tables');
  pool = new pg.Pool({ connectionString: db.url, max: 10 });
  await pool.query('create schema stage');
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const typesOf = async (table: string) =>
  (
    await pool.query<{ name: string; type: string }>(
      `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
       where attrelid = $1::regclass and attnum > 0 and not attisdropped order by attnum`,
      [table],
    )
  ).rows.map((row) => `${row.name} ${row.type}`);
const rowsOf = async (table: string) =>
  (await pool.query(`select * from ${table} order by 1`)).rows as Array<Record<string, unknown>>;

describe('ensureTable', () => {
  const v1 =
    'create table stage.sales (day date not null, amount numeric(12,2));\ncreate index on stage.sales (day)';

  it('creates a table once however many processes ask at the same time', async () => {
    const others = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: db.url, max: 1 }));
    try {
      // The race is one of timing: twenty rounds made it show nearly every time before the fix.
      for (let round = 0; round < 20; round++) {
        await pool.query('drop table if exists stage.sales');
        await Promise.all([pool, ...others].map((p) => ensureTable(p, 'stage.sales', v1)));
      }
    } finally {
      await Promise.all(others.map((p) => p.end()));
    }
    expect(await typesOf('stage.sales')).toEqual(['day date', 'amount numeric(12,2)']);
    await pool.query("insert into stage.sales values ('2026-01-01', 10.5), ('2026-01-02', 20)");
  });

  it('keeps the rows when the DDL adds a column or an index, also when migrations race', async () => {
    const v2 = `${v1.replace('numeric(12,2))', 'numeric(12,2), note text)')};\ncreate index on stage.sales (amount)`;
    await Promise.all([ensureTable(pool, 'stage.sales', v2), ensureTable(pool, 'stage.sales', v2)]);
    expect(await typesOf('stage.sales')).toEqual(['day date', 'amount numeric(12,2)', 'note text']);
    expect((await rowsOf('stage.sales')).map((row) => [row.amount, row.note])).toEqual([
      ['10.50', null],
      ['20.00', null],
    ]);
    const indexes = await pool.query("select count(*)::int as n from pg_indexes where tablename = 'sales'");
    expect(indexes.rows[0].n).toBe(2);
  });

  it('fails naming the column and both types when a changed type meets rows, keeping table and rows', async () => {
    const widened = 'create table stage.sales (day date not null, amount numeric(14,2), note varchar(20))';
    const error: Error = await ensureTable(pool, 'stage.sales', widened).then(
      () => new Error('no error'),
      (failure: Error) => failure,
    );
    expect(error.message).toBe(
      'stage.sales holds rows and its DDL changed: column amount is numeric(12,2) in the table but numeric(14,2) in the DDL; column note is text in the table but character varying(20) in the DDL. It is not rebuilt silently: empty it, migrate it by hand, or rebuild it (ensureTable with { rebuild: true }: dropped and re-created empty, its asset reloads it).',
    );
    expect(await typesOf('stage.sales')).toEqual(['day date', 'amount numeric(12,2)', 'note text']);
    expect(await rowsOf('stage.sales')).toHaveLength(2);
    const dropped = 'create table stage.sales (day date not null, note text)';
    await expect(ensureTable(pool, 'stage.sales', dropped)).rejects.toThrow(
      /column amount \(numeric\(12,2\)\) is no longer in the DDL/,
    );

    await ensureTable(pool, 'stage.sales', widened, { rebuild: true });
    expect(await typesOf('stage.sales')).toEqual([
      'day date',
      'amount numeric(14,2)',
      'note character varying(20)',
    ]);
    expect(await rowsOf('stage.sales')).toEqual([]);
  });

  it('re-creates an empty table with the new types, and never keeps the types of a table made elsewhere', async () => {
    await ensureTable(pool, 'stage.sales', 'create table stage.sales (day date not null, amount bigint)');
    expect(await typesOf('stage.sales')).toEqual(['day date', 'amount bigint']);

    await pool.query(
      'create table stage.legacy (id int, amount real); insert into stage.legacy values (1, 2.5)',
    );
    await expect(
      ensureTable(pool, 'stage.legacy', 'create table stage.legacy (id bigint, amount numeric(14,2))'),
    ).rejects.toThrow(
      /column id is integer in the table but bigint in the DDL; column amount is real in the table but numeric\(14,2\)/,
    );
    expect(await typesOf('stage.legacy')).toEqual(['id integer', 'amount real']);
  });
});
