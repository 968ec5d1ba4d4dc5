import { openTestStorage, type TestStorage, tempDatabase } from '@vitrina/core/testing';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { extractIncrementally, loadValidated, quarantineDdl, streamMysql } from '../src/index.ts';
import { tempMysqlDatabase } from '../src/testing/index.ts';

const deal = z.object({
  ID: z.coerce.number().int().positive(),
  OPPORTUNITY: z.coerce.number().nonnegative(),
  DATE_MODIFY: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
});

/** A timestamp string shifted by whole days (the watermark's lookback). */
const minusDays = (timestamp: string, days: number) =>
  new Date(new Date(`${timestamp.replace(' ', 'T')}Z`).getTime() - days * 86_400_000)
    .toISOString()
    .slice(0, 19)
    .replace('T', ' ');

describe('incremental extraction by a cursor with a lookback (MySQL CRM → stage, upsert)', () => {
  let crm: { url: string; drop: () => Promise<void> };
  let warehouse: { url: string; drop: () => Promise<void> };
  let pool: pg.Pool;
  let runs: TestStorage;
  let source: mysql.Connection;

  beforeAll(async () => {
    [crm, warehouse, runs] = await Promise.all([
      tempMysqlDatabase(),
      tempDatabase('vitrina_inc'),
      openTestStorage('pglite'),
    ]);
    pool = new pg.Pool({ connectionString: warehouse.url });
    await pool.query(
      `create schema stage; create table stage.crm_deals (id int primary key, opportunity numeric(18,2), date_modify timestamp); ${quarantineDdl}`,
    );
    source = await mysql.createConnection({ uri: crm.url });
    await source.query(
      'create table b_crm_deal (ID int primary key, OPPORTUNITY decimal(18,2), DATE_MODIFY datetime)',
    );
    await source.query(
      "insert into b_crm_deal values (1, 10, '2026-01-01 10:00:00'), (2, 20, '2026-01-01 10:00:00'), (3, 30, '2026-01-01 09:00:00')",
    );
  });
  afterAll(async () => {
    await source?.end();
    await pool?.end();
    await runs?.dispose();
    await Promise.all([crm?.drop(), warehouse?.drop()]);
  });

  const extract = (runId: string, rows?: (from: string) => AsyncIterable<readonly unknown[]>) =>
    extractIncrementally({
      storage: runs.storage,
      source: 'crm.b_crm_deal',
      cursor: 'DATE_MODIFY',
      runId,
      initial: '1970-01-01 00:00:00',
      lookback: (watermark) => minusDays(watermark, 1),
      extract: async (from) => {
        let maxCursor: string | null = null;
        const result = await loadValidated({
          pool,
          rows: rows
            ? rows(from)
            : streamMysql(
                crm.url,
                'select ID, OPPORTUNITY, DATE_MODIFY from b_crm_deal where DATE_MODIFY >= ?',
                [from],
              ),
          schema: deal.transform((row) => {
            if (maxCursor === null || row.DATE_MODIFY > maxCursor) maxCursor = row.DATE_MODIFY;
            return row;
          }),
          toValues: (row) => [row.ID, row.OPPORTUNITY, row.DATE_MODIFY],
          target: {
            table: 'stage.crm_deals',
            columns: ['id', 'opportunity', 'date_modify'],
            mergeKey: ['id'],
          },
          quarantine: { source: 'crm', asset: 'stage.crm_deals', partition: '', runId },
        });
        return { result, maxCursor };
      },
    });

  const stage = async () =>
    (
      await pool.query<{ id: number; opportunity: string }>(
        'select id, opportunity from stage.crm_deals order by id',
      )
    ).rows.map((row) => [row.id, Number(row.opportunity)]);

  it('loads everything the first time and stores the watermark', async () => {
    const { from, watermark, result } = await extract('r1');
    expect(from).toBe('1970-01-01 00:00:00');
    expect(result).toMatchObject({ read: 3, loaded: 3, quarantined: 0 });
    expect(watermark).toBe('2026-01-01 10:00:00');
    expect((await runs.storage.getCursor('crm.b_crm_deal', 'DATE_MODIFY'))?.value).toBe(
      '2026-01-01 10:00:00',
    );
    expect(await stage()).toEqual([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
  });

  it('picks up updates, new rows and late rows within the lookback, upserting', async () => {
    await source.query(
      "update b_crm_deal set OPPORTUNITY = 25, DATE_MODIFY = '2026-01-02 09:00:00' where ID = 2",
    );
    await source.query(
      "insert into b_crm_deal values (4, 40, '2026-01-02 08:00:00'), (5, 50, '2026-01-01 09:30:00')",
    );
    const { from, watermark } = await extract('r2');
    expect(from).toBe('2025-12-31 10:00:00');
    expect(watermark).toBe('2026-01-02 09:00:00');
    expect(await stage()).toEqual([
      [1, 10],
      [2, 25],
      [3, 30],
      [4, 40],
      [5, 50],
    ]);
  });

  it('does not advance the watermark when the load fails, and loses nothing', async () => {
    await source.query("insert into b_crm_deal values (6, 60, '2026-01-03 08:00:00')");
    async function* dropsHalfWay() {
      yield [{ ID: 6, OPPORTUNITY: '60', DATE_MODIFY: '2026-01-03 08:00:00' }];
      throw new Error('connection reset by the CRM');
    }
    await expect(extract('r3', () => dropsHalfWay())).rejects.toThrow(/connection reset/);
    expect((await runs.storage.getCursor('crm.b_crm_deal', 'DATE_MODIFY'))?.value).toBe(
      '2026-01-02 09:00:00',
    );
    expect(await stage()).toHaveLength(5);
    const { watermark } = await extract('r4');
    expect(watermark).toBe('2026-01-03 08:00:00');
    expect(await stage()).toContainEqual([6, 60]);
  });
});
