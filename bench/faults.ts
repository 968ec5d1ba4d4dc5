/**
 * `pnpm bench faults`: what the warehouse does under crashes and bad input (a benchmark, not a
 * test; about 15 minutes here).
 *  (a) the sample company seeded for a few days at scale 1, the pipeline to the marts killed with
 *      SIGKILL at random moments (CLI and server) and completed after each kill, then every
 *      stage/dimension/bi table and every mart compared with a clean reference run;
 *  (b) a corpus of bad inputs (broken and mis-encoded files, oversized values, NUL bytes, empty
 *      deliveries, API errors, garbage and silence, unreachable and misconfigured sources), each
 *      outcome recorded with read = loaded + quarantined checked.
 * Writes bench/results/faults.json; the run's process output goes to bench/results/faults.log.
 *
 *   BENCH_FAULTS_KILLS (20), BENCH_FAULTS_DAYS (3), BENCH_FAULTS_SEED (1)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { addDays } from '@vitrina/core';
import { sampleSystems } from '../packages/assets/src/testing/index.ts';
import { badInputs } from './faults/inputs.ts';
import { killAndCompare } from './faults/kills.ts';

const KILLS = Number(process.env.BENCH_FAULTS_KILLS ?? 20);
const DAYS = Number(process.env.BENCH_FAULTS_DAYS ?? 3);
const SEED = Number(process.env.BENCH_FAULTS_SEED ?? 1);
const START = '2026-10-01';

const results = resolve(import.meta.dirname, 'results');
mkdirSync(results, { recursive: true });
const log = resolve(results, 'faults.log');
writeFileSync(log, '');
const began = performance.now();

const systems = await sampleSystems({ start: START, prefix: 'bench_faults', clickhouse: true });
let output: Record<string, unknown>;
try {
  console.log(`seeding ${DAYS} days from ${START} at scale 1…`);
  await systems.seed({ scale: 1, seed: SEED }, START, addDays(START, DAYS - 1));
  const kills = await killAndCompare({ systems, start: START, days: DAYS, kills: KILLS, log, seed: SEED });
  console.log('bad inputs…');
  const inputs = await badInputs({ systems, start: START, log });
  output = {
    kills: kills.kills,
    kills_recovered: kills.kills_recovered,
    tables_compared: kills.tables_compared,
    tables_differing: kills.tables_differing,
    stuck_runs: kills.stuck_runs,
    leaked_staging_tables: kills.leaked_staging_tables,
    bad_inputs: inputs.bad_inputs,
    bad_inputs_handled: inputs.bad_inputs_handled,
    silent_losses: inputs.silent_losses,
    days: DAYS,
    seed: SEED,
    reference_run_s: kills.reference_run_s,
    elapsed_s: Math.round((performance.now() - began) / 100) / 10,
    differing_tables: kills.differing,
    kill_cases: kills.cases,
    input_cases: inputs.cases,
  };
} finally {
  // BENCH_FAULTS_KEEP leaves the databases, to look into a difference.
  if (!process.env.BENCH_FAULTS_KEEP) await systems.drop();
}
writeFileSync(resolve(results, 'faults.json'), `${JSON.stringify(output, null, 2)}\n`);
const summary = Object.entries(output)
  .filter(([, value]) => typeof value === 'number')
  .map(([key, value]) => `${key} ${value}`)
  .join(', ');
console.log(`\n${summary}\nwrote bench/results/faults.json (process output in bench/results/faults.log)`);
