/**
 * Transfer benchmark: 10,000,000 payments of a synthetic `bi.fact_payments` (made in a bench
 * database from the contract's DDL, with its dimensions) moved into `mart.payments` by the real mart
 * asset — a partition (day) at a time, three at once as the `transfer` pool allows, each streamed
 * `COPY … TO STDOUT` → `INSERT … FORMAT TabSeparated` into a staging table and swapped in. In the
 * same run, the raw baseline on the same query and data:
 * `psql -c "COPY (…) TO STDOUT" | clickhouse-client --query "INSERT … FORMAT TabSeparated"`.
 * Writes bench/results/transfer.json; drops what it made.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { addDays, type CursorStore } from '@vitrina/core';
import { tempDatabase } from '@vitrina/core/testing';
import { ClickHouse } from '@vitrina/io';
import { testClickhouseUrl } from '@vitrina/io/testing';
import pg from 'pg';
import { martSpecs } from '../packages/assets/src/marts/index.ts';
import { sourceForDay, transferredMart } from '../packages/assets/src/marts/transferredMart.ts';
import { martDdl, martSource, readSql } from '../packages/assets/src/sql.ts';

const ROWS = Number(process.env.BENCH_TRANSFER_ROWS ?? 10_000_000);
const DAYS = 20;
const FIRST = '2026-01-01';
const POOL = 3;
const days = Array.from({ length: DAYS }, (_, i) => addDays(FIRST, i));

const contract = readSql('postgres/bi/CONTRACT.md');
const contractDdl = /```sql\n([\s\S]*?)```/.exec(contract)![1]!;

/** Dimensions and 10M payments generated inside PostgreSQL, spread evenly over the days. */
const fill = `
insert into bi.dim_channel values ('organic', 'organic', false), ('google_ads', 'paid', true), ('referral', 'referral', true);
insert into bi.dim_legal_entity (client_id, unp, name, industry, size_category, region, city, registered_at, status, is_key_account, tariff_code, tariff_name)
  select n, (190000000 + n)::text, 'Client ' || n, (array['auto','retail','services'])[1 + n % 3],
    (array['small','medium','large'])[1 + n % 3], 'Минск', 'Минск', date '2024-01-01', 'active', n % 10 = 0, 'T' || n % 4, 'Tariff ' || n % 4
  from generate_series(1, 300) n;
insert into bi.dim_merchant (merchant_id, name, vertical, subtype, chain, brand, region, city, address, legal_client_id, commission_pct)
  select n, 'Merchant ' || n, (array['grocery','auto','utilities','telecom','cafe'])[1 + n % 5], 'subtype ' || n % 4,
    case when n % 5 = 0 then 'Chain ' || n % 12 end, case when n % 5 = 1 then 'Brand ' || n % 9 end,
    (array['Минск','Брестская область','Гомельская область','Гродненская область'])[1 + n % 4], 'City ' || n % 30,
    'Street ' || n, case when n % 7 = 0 then 1 + n % 300 end, 1.5
  from generate_series(1, 2000) n;
insert into bi.dim_user (user_id, registered_at, registration_date, cohort_week, cohort_month, acq_channel, region, city, device_os, device_id, status, card_linked_within_3d)
  select n, timestamp '2025-06-01' + n * interval '1 minute', (timestamp '2025-06-01' + n * interval '1 minute')::date,
    date_trunc('week', timestamp '2025-06-01' + n * interval '1 minute')::date, date_trunc('month', timestamp '2025-06-01' + n * interval '1 minute')::date,
    (array['organic','google_ads','referral'])[1 + n % 3], (array['Минск','Брестская область'])[1 + n % 2], 'City ' || n % 30,
    (array['android','ios'])[1 + n % 2], 'device-' || n, 'active', n % 2 = 0
  from generate_series(1, 200000) n;
alter table bi.fact_payments set unlogged;
insert into bi.fact_payments
  select date '${FIRST}' + (n % ${DAYS}), n, date '${FIRST}' + (n % ${DAYS}) + (n % 86400) * interval '1 second', (n % 86400) / 3600,
    1 + n % 200000, 1 + n % 2000, case when (1 + n % 2000) % 7 = 0 then 1 + (1 + n % 2000) % 300 end, 1 + n % 50,
    (array['card','wallet','qr','erip'])[1 + n % 4], 'purchase',
    case when n % 17 = 0 then 'failed' when n % 29 = 0 then 'refunded' else 'success' end, n % 17 <> 0 and n % 29 <> 0,
    case when n % 10 = 0 then 'USD' else 'BYN' end, (n % 10000) / 100.0 + 1, ((n % 10000) / 100.0 + 1) * 3,
    ((n % 10000) / 100.0 + 1) * 0.045, case when n % 6 = 0 then 7 end, case when n % 6 = 0 then 0.5 else 0 end
  from generate_series(1, ${ROWS}) n;
analyze;`;

const cursors: CursorStore = { getCursor: async () => null, setCursor: async () => {} };

async function main() {
  const warehouseDb = await tempDatabase('vitrina_bench_transfer');
  const warehouse = new pg.Pool({ connectionString: warehouseDb.url, max: POOL + 2 });
  const database = `vitrina_bench_transfer_${process.pid}`;
  const clickhouse = new ClickHouse(`${testClickhouseUrl.replace(/\/$/, '')}/${database}`);
  try {
    let started = performance.now();
    await warehouse.query(`create schema bi;\n${contractDdl}\n${fill}`);
    console.log(`generated ${ROWS.toLocaleString('en')} payments in PostgreSQL in ${seconds(started)} s`);

    const spec = martSpecs(FIRST).find((s) => s.name === 'payments')!;
    const mart = transferredMart(spec, FIRST);
    const resources = { warehouse, clickhouse };
    const runId = `bench_${process.pid}`;
    const queue = [...days];
    started = performance.now();
    let oursRows = 0;
    await Promise.all(
      Array.from({ length: POOL }, async () => {
        for (let day = queue.shift(); day; day = queue.shift()) {
          const result = await mart.materialize!({
            key: mart.key,
            partition: day,
            window: null,
            runId,
            signal: new AbortController().signal,
            resources,
            cursors,
            log: () => {},
            attempt: 1,
          });
          oursRows += result?.rows ?? 0;
        }
      }),
    );
    const oursSeconds = (performance.now() - started) / 1000;
    if (oursRows !== ROWS) throw new Error(`transferred ${oursRows} rows, expected ${ROWS}`);

    await clickhouse.command(martDdl('payments').replace('EXISTS payments', 'EXISTS payments_baseline'));
    const query = sourceForDay(martSource('payments'), days[0]!)
      .replace(`f.day = '${days[0]}'`, `f.day between '${days[0]}' and '${days.at(-1)}'`)
      .replace(/^--.*$/gm, '')
      .replace(/\s+/g, ' ');
    started = performance.now();
    execSync(
      `psql -X -q "${warehouseDb.url}" -c "COPY (${query.replace(/"/g, '\\"')}) TO STDOUT" | clickhouse-client --query "INSERT INTO ${database}.payments_baseline FORMAT TabSeparated"`,
      { stdio: ['ignore', 'ignore', 'inherit'], shell: '/bin/bash' },
    );
    const baselineSeconds = (performance.now() - started) / 1000;
    const [counted] = await clickhouse.rows<{ ours: string; baseline: string }>(
      'SELECT (SELECT toString(count()) FROM payments) AS ours, (SELECT toString(count()) FROM payments_baseline) AS baseline',
    );
    if (counted?.ours !== String(ROWS) || counted.baseline !== String(ROWS)) {
      throw new Error(`row counts differ: ${JSON.stringify(counted)}`);
    }

    const oursRate = ROWS / oursSeconds;
    const baselineRate = ROWS / baselineSeconds;
    const result = {
      rows: ROWS,
      ours_rows_per_s: Math.round(oursRate),
      baseline_rows_per_s: Math.round(baselineRate),
      ratio: Math.round((oursRate / baselineRate) * 100) / 100,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    console.log(
      `ours: ${result.ours_rows_per_s.toLocaleString('en')} rows/s (${oursSeconds.toFixed(1)} s, ${DAYS} partitions, ${POOL} at once); ` +
        `baseline psql | clickhouse-client: ${result.baseline_rows_per_s.toLocaleString('en')} rows/s (${baselineSeconds.toFixed(1)} s)`,
    );
    console.log(
      `ratio ${result.ratio} (target ≥ 0.9: ${result.ratio >= 0.9 ? 'met' : 'missed'}); peak RSS ${result.peak_rss_mb} MB`,
    );
    mkdirSync(resolve(import.meta.dirname, 'results'), { recursive: true });
    writeFileSync(
      resolve(import.meta.dirname, 'results/transfer.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
  } finally {
    await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`).catch(() => {});
    await clickhouse.close();
    await warehouse.end();
    await warehouseDb.drop();
  }
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

await main();
