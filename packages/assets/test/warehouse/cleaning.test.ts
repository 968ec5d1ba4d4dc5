import { readFileSync } from 'node:fs';
import { tempDatabase } from '@vitrina/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retentionSchema } from '../../src/dimension/cleanup.ts';
import { dimensionAssets } from '../../src/dimension/index.ts';
import { procedureFile } from '../../src/sql.ts';

let database: Awaited<ReturnType<typeof tempDatabase>>;
let pool: pg.Pool;

beforeAll(async () => {
  database = await tempDatabase('vitrina_cleaning');
  pool = new pg.Pool({ connectionString: database.url });
  await pool.query(readFileSync(procedureFile('dimension.normalizers'), 'utf8'));
  await pool.query(readFileSync(procedureFile('maintenance.cleanup'), 'utf8'));
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const one = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows[0]?.value ?? null;

describe('the cleaning functions', () => {
  it('normalises every way the sources type a Belarusian phone, and refuses the rest', async () => {
    const typed = ['+375 29 123-45-67', '80291234567', '375291234567', '+375291234567', '8 (029) 123-45-67'];
    for (const phone of typed)
      expect(await one('select dimension.normalize_phone($1) as value', [phone]), phone).toBe(
        '+375291234567',
      );
    for (const phone of ['12345', '+7 916 123-45-67', '', null])
      expect(await one('select dimension.normalize_phone($1) as value', [phone]), String(phone)).toBeNull();
  });

  it('trims, de-spaces and lower-cases e-mails; strips stray symbols from text', async () => {
    expect(await one('select dimension.normalize_email($1) as value', ['  Olga.Ivanova@TUT.BY '])).toBe(
      'olga.ivanova@tut.by',
    );
    expect(await one('select dimension.normalize_email($1) as value', ['not an address'])).toBeNull();
    expect(await one('select dimension.clean_text($1) as value', ['  Евроопт\u0007  ★ Минск  '])).toBe(
      'Евроопт Минск',
    );
    expect(await one('select dimension.identifier($1) as value', [' Google_Ads '])).toBe('google_ads');
  });
});

describe('the clean-up', () => {
  it('drops leftover tmp_ tables and prunes the stage day that just left the retention, logging both', async () => {
    await pool.query(`create schema if not exists stage;
      create table stage.events (day date not null, n integer);
      insert into stage.events select date '2026-10-31' - k, k from generate_series(0, 20) k;
      create table stage.tmp_left_over (n integer);`);
    await pool.query("call maintenance.fill_cleanup('2026-10-31', 10)");
    const { rows } = await pool.query<{ oldest: string; left: string; pruned: string }>(
      `select min(day)::text as oldest, to_regclass('stage.tmp_left_over')::text as left,
         count(*) filter (where day = date '2026-10-20')::text as pruned from stage.events`,
    );
    // Only the 11th day before: older ones were their own partitions' to prune, once read.
    expect(rows[0]).toEqual({ oldest: '2026-10-11', left: null, pruned: '0' });
    const log = await pool.query(
      'select action, target, rows from maintenance.cleanup order by action, target',
    );
    expect(log.rows).toEqual([
      { action: 'dropped_table', target: 'stage.tmp_left_over', rows: '0' },
      { action: 'pruned_partitions', target: 'stage.events', rows: '1' },
    ]);
  });

  it('waits until the day it prunes has been loaded and read by the dimension layer', () => {
    const cleanup = dimensionAssets('2026-10-01').find((asset) => asset.key === 'maintenance.cleanup')!;
    const day = { kind: 'window', startOffset: -91, endOffset: -91 };
    expect(cleanup.deps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'stage.payments', mapping: day }),
        expect.objectContaining({ key: 'stage.nbrb_rates', mapping: day }),
        expect.objectContaining({ key: 'dimension.payments', mapping: day }),
        expect.objectContaining({ key: 'dimension.currency_rates', mapping: day }),
      ]),
    );
  });

  it('validates the retention setting', () => {
    expect(retentionSchema.parse({}).VITRINA_STAGE_RETENTION_DAYS).toBe(90);
    expect(retentionSchema.safeParse({ VITRINA_STAGE_RETENTION_DAYS: '3' }).success).toBe(false);
  });
});
