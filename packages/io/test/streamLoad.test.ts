import { tempDatabase } from '@vitrina/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadValidated, quarantineDdl } from '../src/index.ts';

let warehouse: { url: string; drop: () => Promise<void> };
let pool: pg.Pool;
beforeAll(async () => {
  warehouse = await tempDatabase('vitrina_stream_load');
  pool = new pg.Pool({ connectionString: warehouse.url });
  await pool.query(`create schema stage; ${quarantineDdl}`);
  await pool.query('create table stage.days (day date not null, id bigint, amount numeric(10,2))');
  await pool.query('create table stage.deals (id int primary key, stage text)');
  await pool.query('create table stage.first (id int primary key, stage text)');
  await pool.query("create table stage.wide (id int primary key, stage text, note text default 'kept')");
});
afterAll(async () => {
  await pool?.end();
  await warehouse?.drop();
});

type Day = { day: string; id: string; amount: string };
const daySchema = z.object({ day: z.string(), id: z.string(), amount: z.string() });

const loadDays = (rows: Day[], to = '2026-03-02') =>
  loadValidated({
    pool,
    rows: (async function* () {
      yield rows;
    })(),
    schema: daySchema,
    toValues: (row) => [row.day, row.id, row.amount],
    target: {
      table: 'stage.days',
      columns: ['day', 'id', 'amount'],
      partition: { column: 'day', from: '2026-03-01', to },
    },
    partitionOf: (raw) => (raw as Day).day,
    deduplicateBy: ['id'],
    guard: { allowEmpty: true, maxQuarantinedShare: 1 },
    quarantine: { source: 'days', asset: 'stage.days', partition: to, runId: 'run' },
  });

const deal = z.object({ id: z.number(), stage: z.string() });
const upsert = (table: string, rows: Array<z.infer<typeof deal>>) =>
  loadValidated({
    pool,
    rows: (async function* () {
      yield rows;
    })(),
    schema: deal,
    toValues: (row) => [row.id, row.stage],
    target: { table, columns: ['id', 'stage'], mergeKey: ['id'] },
    guard: { allowEmpty: true },
    quarantine: { source: 'crm', asset: table, partition: '2026-03-01', runId: 'run' },
  });

describe('a load versions its days from the stream', () => {
  const rows: Day[] = [
    { day: '2026-03-01', id: '1', amount: '1.50' },
    { day: '2026-03-01', id: '2', amount: '2.00' },
    { day: '2026-03-02', id: '3', amount: '3.00' },
  ];

  it('gives the same rows in any order the same versions, and a changed row a new one for its day', async () => {
    const first = await loadDays(rows);
    expect(first.partitions.map((p) => [p.partition, p.rows])).toEqual([
      ['2026-03-01', 2],
      ['2026-03-02', 1],
    ]);
    const reversed = await loadDays([...rows].reverse());
    expect(reversed.partitions).toEqual(first.partitions);
    const changed = await loadDays([rows[0]!, { ...rows[1]!, amount: '2.01' }, rows[2]!]);
    expect(changed.partitions[0]!.dataVersion).not.toBe(first.partitions[0]!.dataVersion);
    expect(changed.partitions[1]).toEqual(first.partitions[1]);
  });

  it('counts what duplicates left: integers PostgreSQL reads as one are one key', async () => {
    // '007' and '7' are one bigint: the copy goes to quarantine although its text differs.
    const result = await loadDays([...rows, { day: '2026-03-02', id: '003', amount: '3.00' }]);
    expect(result).toMatchObject({ read: 4, loaded: 3, quarantined: 1 });
    const plain = await loadDays(rows);
    expect(result.partitions.map((p) => p.rows)).toEqual([2, 1]);
    expect(result.partitions[0]).toEqual(plain.partitions[0]);
    const stored = await pool.query<{ n: number }>(
      "select count(*)::int as n from stage.days where day = '2026-03-02'",
    );
    expect(stored.rows[0]!.n).toBe(1);
  });

  it('versions a row outside the range from the table, as it lies there', async () => {
    const result = await loadDays([...rows, { day: '2026-03-05', id: '9', amount: '9.00' }], '2026-03-02');
    expect(result.loaded).toBe(4);
    expect(result.partitions.map((p) => [p.partition, p.rows])).toEqual([
      ['2026-03-01', 2],
      ['2026-03-02', 1],
    ]);
  });
});

describe('an upsert', () => {
  it('replaces the rows of keys that do not repeat, and keeps the last row of a key that does', async () => {
    await upsert('stage.deals', [
      { id: 1, stage: 'NEW' },
      { id: 2, stage: 'NEW' },
    ]);
    await upsert('stage.deals', [
      { id: 2, stage: 'WON' },
      { id: 3, stage: 'NEW' },
    ]);
    await upsert('stage.deals', [
      { id: 3, stage: 'LOST' },
      { id: 3, stage: 'WON' },
    ]);
    const { rows } = await pool.query('select id, stage from stage.deals order by id');
    expect(rows).toEqual([
      { id: 1, stage: 'NEW' },
      { id: 2, stage: 'WON' },
      { id: 3, stage: 'WON' },
    ]);
  });

  it('copies a first load straight in, and still lets the last row of a repeated key win', async () => {
    const result = await upsert('stage.first', [
      { id: 1, stage: 'NEW' },
      { id: 2, stage: 'NEW' },
      { id: 1, stage: 'WON' },
      { id: 1, stage: 'LOST' },
    ]);
    expect(result).toMatchObject({ read: 4, loaded: 4, quarantined: 0 });
    const { rows } = await pool.query('select id, stage from stage.first order by id');
    expect(rows).toEqual([
      { id: 1, stage: 'LOST' },
      { id: 2, stage: 'NEW' },
    ]);
    expect(result.partitions.map((p) => [p.partition, p.rows])).toEqual([['', 2]]);
  });

  it('keeps the columns it does not load', async () => {
    await pool.query("insert into stage.wide values (1, 'NEW', 'by hand')");
    await upsert('stage.wide', [{ id: 1, stage: 'WON' }]);
    const { rows } = await pool.query('select id, stage, note from stage.wide');
    expect(rows).toEqual([{ id: 1, stage: 'WON', note: 'by hand' }]);
  });
});
