/**
 * Engine benchmark: a synthetic graph of 1,000 no-op assets × 10 daily partitions (layers of 50,
 * each asset reading 1–3 assets of the layer before) planned and run end to end on embedded PGlite
 * and on PostgreSQL; then planning a 10,000-asset graph. The same graph is materialised by Dagster
 * (installed pinned into .venv-bench/) in memory, on SQLite and on PostgreSQL, in the same run; each
 * storage of each engine runs in its own process, so peak memory is per storage.
 * Writes bench/results/engine.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { StorageKind } from '@vitrina/core';
import {
  DAGSTER_VERSION,
  type DagsterRun,
  ensureDagster,
  lastJsonLine,
  loadDagsterGraph,
  runChild,
  runDagster,
} from './engine/dagster.ts';
import { writeGraphFile } from './engine/graph.ts';
import {
  type Compared,
  compare,
  type DagsterRuns,
  type DagsterStorage,
  printReport,
} from './engine/report.ts';
import { type VitrinaResult, vitrinaResultSchema } from './engine/vitrina.ts';

/**
 * How much of the graph Dagster runs on each storage: days (one run of 1,000 steps each) and assets
 * (the first whole layers). Its slow storages run less and are compared per step: one 1,000-step
 * run gives the same figure as the next (runs_ms in engine.json shows each), and dagster-postgres
 * without a pool, 90–500 ms a step here, runs the first 5 layers, so the bench stays under 15 min.
 */
const DAGSTER_RUNS: Record<DagsterStorage, { days: number; assets: number }> = {
  memory: { days: 3, assets: 1000 },
  sqlite: { days: 1, assets: 1000 },
  postgres: { days: 1, assets: 1000 },
  postgres_default: { days: 1, assets: 250 },
};
const dagsterStorageArg: Record<DagsterStorage, string> = {
  memory: 'memory',
  sqlite: 'sqlite',
  postgres: 'postgres-pooled',
  postgres_default: 'postgres',
};

const began = performance.now();
const results = resolve(import.meta.dirname, 'results');
mkdirSync(results, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'vitrina-bench-engine-'));
const graphFile = join(work, 'graph.json');
writeGraphFile(graphFile);

await ensureDagster();

async function vitrina(kind: StorageKind): Promise<VitrinaResult> {
  process.stdout.write(`Vitrina on ${kind}: 1,000 assets × 10 days, planned and run, then the 10k plan… `);
  // The same node flags as this process (pnpm bench's), in a process of its own.
  const stdout = await runChild(
    process.execPath,
    [...process.execArgv, resolve(import.meta.dirname, 'engine/vitrina.ts'), kind],
    { timeoutMs: 600_000 },
  );
  const result = lastJsonLine(stdout, vitrinaResultSchema);
  console.log(`${result.overhead_ms_per_step} ms/step, peak ${result.peak_rss_mb} MB`);
  return result;
}

async function dagster(storage: DagsterStorage): Promise<DagsterRun> {
  const { days, assets } = DAGSTER_RUNS[storage];
  process.stdout.write(`Dagster ${DAGSTER_VERSION} on ${storage}: ${days} day(s) × ${assets} assets… `);
  const log = join(results, `engine-dagster-${storage}.log`);
  const run = await runDagster(graphFile, dagsterStorageArg[storage], days, assets, log);
  console.log(`${run.overhead_ms_per_step} ms/step, peak ${run.peak_rss_mb} MB (its log: ${log})`);
  return run;
}

let ours: VitrinaResult[];
let theirs: DagsterRuns;
let graphLoad: Awaited<ReturnType<typeof loadDagsterGraph>>;
try {
  // Each like-for-like pair back to back, so a change in the machine's load hits both alike.
  const pglite = await vitrina('pglite');
  const sqlite = await dagster('sqlite');
  const postgres = await vitrina('postgres');
  const pooled = await dagster('postgres');
  const postgresDefault = await dagster('postgres_default');
  const memory = await dagster('memory');
  process.stdout.write('Dagster: Definitions of 10,000 assets, asset graph resolved… ');
  graphLoad = await loadDagsterGraph(graphFile, join(results, 'engine-dagster-graph10k.log'));
  console.log(`${graphLoad.graph_10k_ms} ms`);
  ours = [pglite, postgres];
  theirs = { memory, sqlite, postgres: pooled, postgres_default: postgresDefault };
} finally {
  rmSync(work, { recursive: true, force: true });
}

const compared: Compared[] = ours.map((result) => compare(result, theirs, graphLoad));
const out = resolve(results, 'engine.json');
const report = {
  vitrina: compared,
  dagster: {
    version: graphLoad.version,
    note:
      'One Dagster run per day, in-process executor, one step per asset; partitions is how many of the ' +
      '10 days each storage ran and assets how many of the graph (its first layers): less on the slow ' +
      'storages, compared per step. postgres is dagster-postgres ' +
      'holding a connection pool (DagsterInstance.optimize_for_webserver), postgres_default its default ' +
      '(a connection per statement).',
    graph_10k_ms: graphLoad.graph_10k_ms,
    graph_10k_peak_rss_mb: graphLoad.peak_rss_mb,
    storages: theirs,
  },
  total_s: Math.round((performance.now() - began) / 1000),
};
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
printReport(compared, theirs, graphLoad);
console.log(`\nwrote ${out} in ${report.total_s} s`);
