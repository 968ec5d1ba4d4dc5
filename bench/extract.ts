/**
 * Extraction benchmark through the real stage assets: `stage.payments` loads 1,000,000 payments of
 * one day from the payments core (PostgreSQL `COPY … TO STDOUT` → zod per row → `COPY … FROM STDIN`,
 * duplicates and quarantine, the day replaced atomically, its content version) and
 * `stage.crm_deals` makes its first load of 1,000,000 deals from the CRM (MySQL row stream → zod →
 * COPY straight into the empty table, as a first upsert does). In the same run, the raw baseline
 * on the same data: `psql COPY TO | psql COPY FROM` and `mysql --batch --quick | psql COPY FROM`, and dlt's
 * `sql_database` source over the same source tables into a dataset of the same PostgreSQL server
 * (bench/peers/: its venv `.venv-bench-dlt` is installed from PyPI the first time). Peak memory is
 * sampled during each load: it stays flat whatever the volume (try BENCH_EXTRACT_ROWS).
 * Writes bench/results/extract.json.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Asset, type CursorStore, newRunId } from '@vitrina/core';
import { tempDatabase } from '@vitrina/core/testing';
import { ensureTable } from '@vitrina/io';
import { tempMysqlDatabase } from '@vitrina/io/testing';
import { sourceSchema } from '@vitrina/sample-company';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { loadWarehouseConfig } from '../packages/assets/src/config.ts';
import { openResources, type WarehouseResources } from '../packages/assets/src/resources.ts';
import { crmTables } from '../packages/assets/src/stage/crm.ts';
import { paymentsTables } from '../packages/assets/src/stage/payments.ts';
import { databaseTable, stageDdl } from '../packages/assets/src/stage/table.ts';
import { type DltResult, ensureDltVenv, runDlt } from './peers/dlt.ts';

const ROWS = Number(process.env.BENCH_EXTRACT_ROWS ?? 1_000_000);
const DAY = '2026-01-15';

/**
 * Peak resident memory while `work` runs, sampled every 20 ms, and the CPU time this process spent
 * (which, unlike the wall time, does not grow when other work shares the cores).
 */
async function measure<T>(
  work: () => Promise<T>,
): Promise<{ ms: number; cpuS: number; peakRssMb: number; value: T }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    const value = await work();
    const used = process.cpuUsage(cpu);
    const cpuS = (used.user + used.system) / 1e6;
    return { ms: performance.now() - started, cpuS, peakRssMb: Math.round(peak / 1e6), value };
  } finally {
    clearInterval(sampler);
  }
}

function shell(command: string): number {
  const started = performance.now();
  execSync(command, { stdio: ['ignore', 'ignore', 'inherit'], shell: '/bin/bash', timeout: 10 * 60_000 });
  return performance.now() - started;
}

const psql = (url: string) => `psql -X -q "${url}"`;
const round = (value: number) => Math.round(value * 100) / 100;

/** Cursors kept in memory: each measured load starts without a watermark, as a first load does. */
function memoryCursors(): CursorStore {
  const values = new Map<string, string>();
  return {
    getCursor: async (source, name) => {
      const value = values.get(`${source}/${name}`);
      return value === undefined ? null : { value };
    },
    setCursor: async ({ source, name, value }) => {
      values.set(`${source}/${name}`, value);
    },
  };
}

async function materialize(asset: Asset<WarehouseResources>, resources: WarehouseResources) {
  const result = await asset.materialize!({
    key: asset.key,
    partition: DAY,
    window: null,
    runId: newRunId(),
    signal: new AbortController().signal,
    resources,
    cursors: memoryCursors(),
    log: () => {},
    attempt: 1,
  });
  return result?.metadata ?? {};
}

const dltPython = await ensureDltVenv();
const [payments, warehouse, crm, dltTarget] = await Promise.all([
  tempDatabase('bench_payments'),
  tempDatabase('bench_warehouse'),
  tempMysqlDatabase('bench_crm'),
  tempDatabase('bench_dlt'),
]);
const folder = mkdtempSync(join(tmpdir(), 'vitrina-bench-'));
const resources = await openResources(
  loadWarehouseConfig({
    VITRINA_WAREHOUSE_URL: warehouse.url,
    VITRINA_PAYMENTS_URL: payments.url,
    VITRINA_CRM_URL: crm.url,
    VITRINA_INBOX: join(folder, 'inbox'),
    VITRINA_REPLAY_FIXTURES: folder,
    VITRINA_START: '2026-01-01',
  }),
);
const source = new pg.Pool({ connectionString: payments.url });
try {
  const paymentsSpec = paymentsTables.find((spec) => spec.name === 'payments')!;
  const dealsSpec = crmTables.find((spec) => spec.name === 'crm_deals')!;
  const stagePayments = databaseTable(paymentsSpec, '2026-01-01');
  const stageDeals = databaseTable(dealsSpec, '2026-01-01');

  process.stdout.write(`generating ${ROWS.toLocaleString('en')} payments and deals in the sources… `);
  await source.query(readFileSync(sourceSchema('payments.pg.sql'), 'utf8'));
  await source.query(`insert into core.transactions
    select n, timestamp '${DAY}' + make_interval(secs => n % 86400), n % 100000, 1 + n % 5000, 1 + n % 6, null,
      round((1 + (n % 50000) / 100.0)::numeric, 2), (array['BYN','USD','EUR','RUB'])[1 + n % 4], 'card', 'purchase',
      (array['success','success','success','failed','refunded'])[1 + n % 5], round((n % 50000) / 10000.0, 2), null, null,
      timestamp '${DAY}' + make_interval(secs => n % 86400), timestamp '${DAY}' + make_interval(secs => n % 86400)
    from generate_series(1, ${ROWS}) n`);
  const my = await mysql.createConnection({ uri: crm.url, multipleStatements: true });
  await my.query(readFileSync(sourceSchema('crm.mysql.sql'), 'utf8'));
  // MariaDB's sequence engine (seq_1_to_N) generates the rows server-side.
  await my.query(`insert into b_crm_deal select seq, concat('Сделка ', seq), 0, 'WON', 'S', round(1 + (seq % 50000) / 100, 2), 'BYN',
      'WEB', 1 + seq % 20, seq, null, null, 'Y', date '${DAY}', timestamp '${DAY} 00:00:00' - interval (seq % 86400) second,
      timestamp '${DAY} 00:00:00' - interval (seq % 86400) second from seq_1_to_${ROWS}`);
  await my.end();
  // Both measured loads are first loads into empty tables, as the baseline's are; the stage tables
  // are made exactly as the assets make them, the baseline's twins without their indexes.
  await ensureTable(resources.warehouse, 'stage.payments', stageDdl(paymentsSpec));
  await ensureTable(resources.warehouse, 'stage.crm_deals', stageDdl(dealsSpec));
  const paymentFields = Object.keys(paymentsSpec.columns);
  const dealFields = Object.keys(dealsSpec.columns);
  await resources.warehouse.query(`create table stage.payments_baseline (like stage.payments);
    alter table stage.payments_baseline drop column day;
    create table stage.crm_deals_baseline (like stage.crm_deals)`);
  console.log('done');

  const results: Record<string, Record<string, number | string>> = {};
  const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000));
  const record = (
    name: string,
    ours: { ms: number; cpuS: number; peakRssMb: number },
    baselineMs: number,
    dlt: DltResult,
  ) => {
    if (dlt.rows !== ROWS) throw new Error(`dlt loaded ${dlt.rows} of ${ROWS} rows from ${name}`);
    const oursRate = rate(ROWS, ours.ms);
    const baselineRate = rate(ROWS, baselineMs);
    const dltRate = rate(ROWS, dlt.seconds * 1000);
    results[name] = {
      rows: ROWS,
      ours_rows_per_s: oursRate,
      baseline_rows_per_s: baselineRate,
      ratio: round(oursRate / baselineRate),
      peak_rss_mb: ours.peakRssMb,
      cpu_s: round(ours.cpuS),
      dlt_rows_per_s: dltRate,
      ratio_vs_dlt: round(oursRate / dltRate),
      dlt_peak_rss_mb: dlt.peak_rss_mb,
      dlt_cpu_s: round(dlt.cpu_seconds),
      dlt_backend: `${dlt.backend} → ${dlt.loader_file_format}`,
      dlt_version: dlt.dlt_version,
    };
    const fmt = (value: number) => value.toLocaleString('en');
    console.log(
      `${name}: ours ${fmt(oursRate)} rows/s (${round(ours.ms / 1000)} s, ${round(ours.cpuS)} s of CPU in node, peak RSS ${ours.peakRssMb} MB), baseline ${fmt(baselineRate)} rows/s — ratio ${round(oursRate / baselineRate)} (target ≥ 0.9)`,
    );
    console.log(
      `${name}: dlt ${dlt.dlt_version} (${dlt.backend} backend, ${dlt.loader_file_format} load) ${fmt(dltRate)} rows/s (${round(dlt.seconds)} s, ${round(dlt.cpu_seconds)} s of CPU in python, peak RSS ${dlt.peak_rss_mb} MB) — ours/dlt ${round(oursRate / dltRate)}: ${oursRate >= dltRate ? 'we are ahead' : 'dlt is ahead'}`,
    );
  };
  const dltLoad = (
    sourceUrl: string,
    table: string,
    columns: string[],
    dataset: string,
    schema?: string,
  ): Promise<DltResult> => {
    process.stdout.write(`dlt: loading ${table} into ${dataset}… `);
    const workDir = mkdtempSync(join(folder, 'dlt-'));
    return runDlt(dltPython, {
      sourceUrl,
      schema,
      table,
      columns,
      destinationUrl: dltTarget.url,
      dataset,
      workDir,
    })
      .then(async (result) => {
        // What dlt says it loaded is checked against what the destination holds.
        const target = new pg.Client({ connectionString: dltTarget.url });
        await target.connect();
        try {
          const { rows } = await target.query<{ n: number }>(
            `select count(*)::int as n from ${dataset}.${table.toLowerCase()}`,
          );
          return { ...result, rows: rows[0]!.n };
        } finally {
          await target.end();
        }
      })
      .finally(() => console.log('done'));
  };

  const paymentsQuery = `select ${paymentFields.join(', ')} from core.transactions where trans_date >= '${DAY}' and trans_date < date '${DAY}' + 1`;
  const baselinePg = shell(
    `${psql(payments.url)} -c "copy (${paymentsQuery}) to stdout" | ${psql(warehouse.url)} -c "copy stage.payments_baseline from stdin"`,
  );
  const oursPg = await measure(() => materialize(stagePayments, resources));
  if (oursPg.value.loaded !== ROWS)
    throw new Error(`loaded ${String(oursPg.value.loaded)} of ${ROWS} payments`);
  const dltPg = await dltLoad(payments.url, 'transactions', paymentFields, 'dlt_payments', 'core');
  record('postgres', oursPg, baselinePg, dltPg);

  const crmUrl = new URL(crm.url);
  const baselineMy = shell(
    `mysql --batch --quick --skip-column-names -h ${crmUrl.hostname} -P ${crmUrl.port || 3306} -u ${crmUrl.username} ${crmUrl.pathname.slice(1)} -e "select ${dealFields.join(', ')} from b_crm_deal" | ${psql(warehouse.url)} -c "copy stage.crm_deals_baseline from stdin with (null 'NULL')"`,
  );
  const oursMy = await measure(() => materialize(stageDeals, resources));
  if (oursMy.value.loaded !== ROWS) throw new Error(`loaded ${String(oursMy.value.loaded)} of ${ROWS} deals`);
  const dltMy = await dltLoad(crm.url, 'b_crm_deal', dealFields, 'dlt_crm');
  record('mysql', oursMy, baselineMy, dltMy);

  const out = resolve(import.meta.dirname, 'results/extract.json');
  mkdirSync(resolve(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${out}`);
} finally {
  await source.end();
  await resources.close();
  await Promise.all([payments.drop(), warehouse.drop(), crm.drop(), dltTarget.drop()]);
  rmSync(folder, { recursive: true, force: true });
}
