/**
 * Part (a) of `pnpm bench faults`: the pipeline killed with SIGKILL at random moments, through the
 * CLI and through the server, and completed after each kill; then every table compared with a
 * clean reference run over the same seeded sources.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '@vitrina/core';
import { tempDatabase } from '@vitrina/core/testing';
import { ClickHouse } from '@vitrina/io';
import { testClickhouseUrl } from '@vitrina/io/testing';
import pg from 'pg';
import type { SampleSystems } from '../../packages/assets/src/testing/index.ts';
import { leakedStagingTables, martChecksums, type TableChecksum, warehouseChecksums } from './checksums.ts';
import { vitrina, vitrinaToEnd } from './processes.ts';

export interface KillCase {
  kill: number;
  via: 'cli' | 'server';
  /** Seconds after the run started (the CLI spawned, or the API answered) when SIGKILL was sent. */
  at_s: number;
  completed: boolean;
  completion_s: number;
}

export interface KillResult {
  kills: number;
  kills_recovered: number;
  tables_compared: number;
  tables_differing: number;
  differing: string[];
  stuck_runs: number;
  leaked_staging_tables: number;
  reference_run_s: number;
  cases: KillCase[];
}

const TOKEN = 'faults-bench-token-0123456789abcdef';

/** A deterministic pseudo-random sequence, so a run can be repeated. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export async function killAndCompare(options: {
  systems: SampleSystems;
  start: string;
  days: number;
  kills: number;
  log: string;
  seed: number;
}): Promise<KillResult> {
  const { systems, start, log } = options;
  const last = addDays(start, options.days - 1);
  const range = ['--from', start, '--to', last];
  const server = new URL(testClickhouseUrl).origin;
  const next = random(options.seed);

  // The reference: a clean run into its own warehouse, marts and run storage.
  const refWarehouse = await tempDatabase('faults_ref_warehouse');
  const refRuns = await tempDatabase('faults_ref_runs');
  const refMart = `faults_ref_mart_${process.pid}`;
  const runs = await tempDatabase('faults_runs');
  const mart = new URL(systems.env.VITRINA_CLICKHOUSE_URL!).pathname.slice(1);
  const env = {
    ...systems.env,
    VITRINA_DATABASE_URL: runs.url,
    VITRINA_HOME: mkdtempSync(join(tmpdir(), 'faults-home-')),
    VITRINA_API_TOKEN: TOKEN,
    VITRINA_SCHEDULER: 'off',
    VITRINA_PORT: '0',
  };
  const refEnv = {
    ...env,
    VITRINA_WAREHOUSE_URL: refWarehouse.url,
    VITRINA_CLICKHOUSE_URL: `${server}/${refMart}`,
    VITRINA_DATABASE_URL: refRuns.url,
    VITRINA_HOME: mkdtempSync(join(tmpdir(), 'faults-ref-home-')),
  };
  try {
    console.log(`reference run of ${options.days} days…`);
    const refStarted = performance.now();
    const refCode = await vitrinaToEnd(['materialize', '*', ...range], refEnv, log);
    const referenceS = (performance.now() - refStarted) / 1000;
    if (refCode !== 0) throw new Error(`the reference run failed (exit ${refCode}); see ${log}`);
    console.log(`reference run: ${referenceS.toFixed(1)} s`);

    const cases: KillCase[] = [];
    for (let attempt = 0; cases.length < options.kills && attempt < options.kills * 3; attempt++) {
      const via = cases.length % 2 === 0 ? 'cli' : 'server';
      // The first kill lands in the first load; later ones in forced re-runs of everything.
      const force = cases.length > 0 ? ['--force'] : [];
      const delayS = 0.5 + next() * referenceS * 0.9;
      let killedAt: number | null;
      if (via === 'cli') {
        const run = vitrina(['materialize', '*', ...range, ...force], env, log);
        const started = performance.now();
        // The CLI takes a few seconds to load before its run starts.
        await run.waitFor(/^run \S+ · \d+ steps/m);
        const since = (performance.now() - started) / 1000;
        killedAt = await killAfter(run.child, run.exited, delayS * 1000);
        if (killedAt !== null) killedAt += since;
      } else {
        const serve = vitrina(['serve'], env, log);
        const listening = await serve.waitFor(/listening on (http:\/\/\S+)/);
        if (!listening) throw new Error(`vitrina serve did not start; see ${log}`);
        const response = await fetch(`${listening[1]}/api/materialize`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ selection: '*', from: start, to: last, force: force.length > 0 }),
        });
        if (response.status >= 300)
          throw new Error(`POST /api/materialize: ${response.status} ${await response.text()}`);
        killedAt = await killAfter(serve.child, serve.exited, delayS * 1000);
        if (killedAt === null) serve.child.kill('SIGKILL');
      }
      if (killedAt === null) {
        console.log(`  ${via}: the run ended before the kill at ${delayS.toFixed(1)} s; again`);
        continue;
      }
      const completing = performance.now();
      const code = await vitrinaToEnd(['materialize', '*', ...range], env, log);
      const completionS = (performance.now() - completing) / 1000;
      const stuck = await runningRuns(runs.url);
      cases.push({
        kill: cases.length + 1,
        via,
        at_s: Math.round(killedAt * 10) / 10,
        completed: code === 0 && stuck === 0,
        completion_s: Math.round(completionS * 10) / 10,
      });
      console.log(
        `  kill ${cases.length} (${via} at ${killedAt.toFixed(1)} s): completing run ${code === 0 ? 'succeeded' : `failed (exit ${code})`} in ${completionS.toFixed(1)} s, ${stuck} running`,
      );
    }

    // With no kills asked for, the pipeline still runs once, so the comparison compares something.
    if (cases.length === 0) await vitrinaToEnd(['materialize', '*', ...range], env, log);
    const [faulty, reference] = await Promise.all([
      checksums(systems.env.VITRINA_WAREHOUSE_URL!, server, mart),
      checksums(refWarehouse.url, server, refMart),
    ]);
    const referenceBy = new Map(reference.map((sum) => [sum.table.replace(refMart, 'mart'), sum]));
    const differing = faulty
      .filter((sum) => {
        const ref = referenceBy.get(sum.table.replace(mart, 'mart'));
        return !ref || ref.checksum !== sum.checksum || ref.rows !== sum.rows;
      })
      .map((sum) => {
        const table = sum.table.replace(mart, 'mart');
        return `${table} (${sum.rows} rows; the reference ${referenceBy.get(table)?.rows ?? 'has no such table'})`;
      });
    const missing = [...referenceBy.keys()].filter(
      (table) => !faulty.some((sum) => sum.table.replace(mart, 'mart') === table),
    );
    const leaked = await leakedStagingTables(server, mart);
    return {
      kills: cases.length,
      kills_recovered: cases.filter((c) => c.completed).length,
      tables_compared: reference.length,
      tables_differing: differing.length + missing.length,
      differing: [...differing, ...missing],
      stuck_runs: await runningRuns(runs.url),
      leaked_staging_tables: leaked.length,
      reference_run_s: Math.round(referenceS * 10) / 10,
      cases,
    };
  } finally {
    if (process.env.BENCH_FAULTS_KEEP) {
      console.log(
        `kept: reference warehouse ${refWarehouse.url}, marts ${refMart}; faulty ${systems.env.VITRINA_WAREHOUSE_URL}, ${mart}`,
      );
    } else {
      const clickhouse = new ClickHouse(server);
      await clickhouse.command(`DROP DATABASE IF EXISTS ${refMart}`).finally(() => clickhouse.close());
      await Promise.all([refWarehouse.drop(), refRuns.drop(), runs.drop()]);
    }
  }
}

/** Sends SIGKILL after `ms`; resolves with the seconds waited, or null when it ended first. */
async function killAfter(
  child: import('node:child_process').ChildProcess,
  exited: Promise<number | null>,
  ms: number,
): Promise<number | null> {
  const started = performance.now();
  const ended = await Promise.race([exited.then(() => true), sleep(ms).then(() => false)]);
  if (ended) return null;
  child.kill('SIGKILL');
  await exited;
  return (performance.now() - started) / 1000;
}

async function runningRuns(url: string): Promise<number> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    // Without a kill no process has opened (and so created) this run storage.
    const exists = await db.query<{ found: boolean }>(
      "select to_regclass('vitrina.runs') is not null as found",
    );
    if (!exists.rows[0]?.found) return 0;
    const { rows } = await db.query<{ n: number }>(
      "select count(*)::int as n from vitrina.runs where status = 'running'",
    );
    return rows[0]!.n;
  } finally {
    await db.end();
  }
}

async function checksums(warehouse: string, server: string, mart: string): Promise<TableChecksum[]> {
  return [...(await warehouseChecksums(warehouse)), ...(await martChecksums(server, mart))];
}
