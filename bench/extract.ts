/**
 * Extraction benchmark: 1,000,000 payments from the PostgreSQL source and 1,000,000 deals from
 * MySQL into a stage table through Vitrina's path (streamed source → zod validation per row →
 * COPY FROM STDIN, quarantine, atomic replace), against the raw baseline on the same data in the
 * same run: `psql COPY TO | psql COPY FROM` and `mysql --batch --quick | psql COPY FROM`.
 * Writes bench/results/extract.json.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadValidated, streamMysql, streamPostgres } from '@vitrina/core';
import { tempDatabase, tempMysqlDatabase } from '@vitrina/core/testing';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { z } from 'zod';

const ROWS = Number(process.env.BENCH_EXTRACT_ROWS ?? 1_000_000);

const payment = z.object({
  transaction_id: z.coerce.number().int().positive(),
  trans_date: z.string().min(10),
  user_id: z.coerce.number().int(),
  merchant_id: z.coerce.number().int(),
  amount: z.coerce.number().positive(),
  currency: z.enum(['BYN', 'USD', 'EUR', 'RUB']),
  status: z.enum(['success', 'failed', 'refunded']),
});
const columns = [
  'transaction_id',
  'trans_date',
  'user_id',
  'merchant_id',
  'amount',
  'currency',
  'status',
] as const;

const deal = z.object({
  ID: z.coerce.number().int().positive(),
  OPPORTUNITY: z.coerce.number().nonnegative(),
  CURRENCY_ID: z.string().length(3),
  STAGE_ID: z.string().min(1),
  DATE_MODIFY: z.string().min(10),
});
const dealColumns = ['id', 'opportunity', 'currency_id', 'stage_id', 'date_modify'] as const;

/** Peak resident memory while `work` runs, sampled every 20 ms. */
async function measure<T>(work: () => Promise<T>): Promise<{ ms: number; peakRssMb: number; value: T }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  try {
    const value = await work();
    return { ms: performance.now() - started, peakRssMb: Math.round(peak / 1e6), value };
  } finally {
    clearInterval(sampler);
  }
}

function shell(command: string): number {
  const started = performance.now();
  execSync(command, { stdio: ['ignore', 'ignore', 'inherit'], shell: '/bin/bash' });
  return performance.now() - started;
}

const psql = (url: string) => `psql -X -q "${url}"`;
const round = (value: number) => Math.round(value * 100) / 100;

const source = await tempDatabase('bench_source');
const warehouse = await tempDatabase('bench_warehouse');
const crm = await tempMysqlDatabase('bench_crm');
const sourcePool = new pg.Pool({ connectionString: source.url });
const warehousePool = new pg.Pool({ connectionString: warehouse.url });
try {
  process.stdout.write(`generating ${ROWS.toLocaleString('en')} payments and deals… `);
  await sourcePool.query(`create table transactions as
    select n as transaction_id, timestamptz '2026-01-01' + make_interval(secs => n % 86400) as trans_date,
      n % 100000 as user_id, n % 5000 as merchant_id, round((1 + (n % 50000) / 100.0)::numeric, 2) as amount,
      (array['BYN','USD','EUR','RUB'])[1 + n % 4] as currency, (array['success','success','success','failed','refunded'])[1 + n % 5] as status
    from generate_series(1, ${ROWS}) n`);
  const my = await mysql.createConnection({ uri: crm.url });
  await my.query(
    `create table b_crm_deal (ID int primary key, OPPORTUNITY decimal(18,2), CURRENCY_ID char(3), STAGE_ID varchar(20), DATE_MODIFY datetime)`,
  );
  // MariaDB's sequence engine (seq_1_to_N) generates the rows server-side.
  await my.query(
    `insert into b_crm_deal select seq, round(1 + (seq % 50000) / 100, 2), 'BYN', 'WON', timestamp '2026-01-01 00:00:00' + interval (seq % 86400) second from seq_1_to_${ROWS}`,
  );
  await my.end();
  await warehousePool.query(`create schema stage; create schema quarantine;
    create table stage.payments (transaction_id bigint, trans_date timestamptz, user_id int, merchant_id int, amount numeric(18,2), currency text, status text);
    create table stage.payments_baseline (like stage.payments);
    create table stage.deals (id bigint, opportunity numeric(18,2), currency_id text, stage_id text, date_modify timestamp);
    create table stage.deals_baseline (like stage.deals);
    create table quarantine.rows (id bigserial, source text, asset text, partition text, run_id text, reason text, raw jsonb, quarantined_at timestamptz default now());`);
  console.log('done');

  const results: Record<
    string,
    { rows: number; ours_rows_per_s: number; baseline_rows_per_s: number; ratio: number; peak_rss_mb: number }
  > = {};
  const record = (name: string, ours: { ms: number; peakRssMb: number }, baselineMs: number) => {
    const oursRate = ROWS / (ours.ms / 1000);
    const baselineRate = ROWS / (baselineMs / 1000);
    results[name] = {
      rows: ROWS,
      ours_rows_per_s: Math.round(oursRate),
      baseline_rows_per_s: Math.round(baselineRate),
      ratio: round(oursRate / baselineRate),
      peak_rss_mb: ours.peakRssMb,
    };
    console.log(
      `${name}: ours ${Math.round(oursRate).toLocaleString('en')} rows/s (${round(ours.ms / 1000)} s, peak RSS ${ours.peakRssMb} MB), baseline ${Math.round(baselineRate).toLocaleString('en')} rows/s — ratio ${round(oursRate / baselineRate)} (target ≥ 0.9)`,
    );
  };

  const query = `select ${columns.join(', ')} from transactions`;
  const baselinePg = shell(
    `${psql(source.url)} -c "copy (${query}) to stdout" | ${psql(warehouse.url)} -c "copy stage.payments_baseline from stdin"`,
  );
  const oursPg = await measure(() =>
    loadValidated({
      pool: warehousePool,
      rows: streamPostgres(sourcePool, query, columns),
      schema: payment,
      toValues: (row) => columns.map((column) => row[column]),
      target: { table: 'stage.payments', columns },
      quarantine: { source: 'payments', asset: 'stage.payments', partition: '', runId: 'bench' },
    }),
  );
  if (oursPg.value.loaded !== ROWS) throw new Error(`loaded ${oursPg.value.loaded} of ${ROWS} payments`);
  record('postgres', oursPg, baselinePg);

  const mysqlQuery = 'select ID, OPPORTUNITY, CURRENCY_ID, STAGE_ID, DATE_MODIFY from b_crm_deal';
  const crmUrl = new URL(crm.url);
  const baselineMy = shell(
    `mysql --batch --quick --skip-column-names -h ${crmUrl.hostname} -P ${crmUrl.port || 3306} -u ${crmUrl.username} ${crmUrl.pathname.slice(1)} -e "${mysqlQuery}" | ${psql(warehouse.url)} -c "copy stage.deals_baseline from stdin"`,
  );
  const oursMy = await measure(() =>
    loadValidated({
      pool: warehousePool,
      rows: streamMysql(crm.url, mysqlQuery),
      schema: deal,
      toValues: (row) => [row.ID, row.OPPORTUNITY, row.CURRENCY_ID, row.STAGE_ID, row.DATE_MODIFY],
      target: { table: 'stage.deals', columns: dealColumns },
      quarantine: { source: 'crm', asset: 'stage.deals', partition: '', runId: 'bench' },
    }),
  );
  if (oursMy.value.loaded !== ROWS) throw new Error(`loaded ${oursMy.value.loaded} of ${ROWS} deals`);
  record('mysql', oursMy, baselineMy);

  const out = resolve(import.meta.dirname, 'results/extract.json');
  mkdirSync(resolve(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${out}`);
} finally {
  await sourcePool.end();
  await warehousePool.end();
  await Promise.all([source.drop(), warehouse.drop(), crm.drop()]);
}
