/**
 * `pnpm bench cli`: how long a CLI call takes and how much memory it holds, from a cold process.
 *  - plan_small: `vitrina plan '*'` on a 10-asset project (`vitrina init`'s, with seven more view
 *    models), materialised first so the plan reads real state;
 *  - assets_warehouse: `vitrina assets` on the payments warehouse's code location (embedded storage);
 *  - plan_small_postgres: the same plan with the run storage in PostgreSQL (VITRINA_DATABASE_URL)
 *    instead of embedded PGlite, which shows what opening PGlite's WebAssembly costs;
 *  - the floor, measured in the same run: `node --import tsx` on an empty module — what any call
 *    through tsx costs before Vitrina runs a line.
 * Each figure is the median of BENCH_CLI_RUNS (5) runs (wall time; peak RSS from GNU time). The
 * first call of all, with tsx's transform cache empty, is reported apart (`plan_small_first_ms`).
 * Writes bench/results/cli.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tempDatabase } from '@vitrina/core/testing';

const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 5);
const root = resolve(import.meta.dirname, '..');
const main = join(root, 'packages/server/src/cli/main.ts');
const TARGET = { plan_small_ms: 1000, plan_small_rss_mb: 250 };

interface Sample {
  ms: number;
  rssMb: number;
}

/** One call in a fresh process: its wall time and peak RSS (GNU time's %M, in KB). */
function measure(args: string[], cwd: string, env: NodeJS.ProcessEnv): Sample {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], {
    cwd,
    env,
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const kb = Number(result.stderr.trim().split('\n').at(-1));
  return { ms, rssMb: kb / 1024 };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

function series(label: string, run: () => Sample): Sample {
  const samples = Array.from({ length: RUNS }, run);
  const figure = { ms: median(samples.map((s) => s.ms)), rssMb: median(samples.map((s) => s.rssMb)) };
  console.log(
    `${label.padEnd(22)} ${Math.round(figure.ms)} ms  ${Math.round(figure.rssMb)} MB  (median of ${RUNS})`,
  );
  return figure;
}

const work = mkdtempSync(join(tmpdir(), 'vitrina-bench-cli-'));
const warehouse = await tempDatabase('vitrina_bench_cli');
const runStorage = await tempDatabase('vitrina_bench_cli_runs');
try {
  const { VITRINA_DEFINITIONS, VITRINA_DATABASE_URL, VITRINA_HOME, ...userEnv } = process.env;
  const env = { ...userEnv, NO_COLOR: '1', WAREHOUSE_URL: warehouse.url };
  const project = join(work, 'small');
  const init = spawnSync(process.execPath, ['--import', 'tsx', main, 'init', project], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  if (init.status !== 0) throw new Error(`vitrina init failed: ${init.stderr}`);
  for (let i = 1; i <= 7; i++)
    writeFileSync(
      join(project, 'models/marts', `view_${i}.sql`),
      `select category, revenue * ${i} as revenue_${i} from marts.category_revenue\n`,
    );
  const cli = (args: string[]) => ['--max-semi-space-size=64', '--import', 'tsx', main, ...args];
  const materialized = spawnSync(process.execPath, cli(['materialize', '*']), {
    cwd: project,
    env,
    encoding: 'utf8',
  });
  if (materialized.status !== 0)
    throw new Error(`materialize failed: ${materialized.stdout}${materialized.stderr}`);

  // tsx keeps its transforms under the temporary directory: a new one is a first call's empty cache.
  const coldTmp = join(work, 'tmp');
  mkdirSync(coldTmp);
  const first = measure(cli(['plan', '*']), project, { ...env, TMPDIR: coldTmp });
  console.log(
    `plan (first call)      ${Math.round(first.ms)} ms  ${Math.round(first.rssMb)} MB  (tsx cache empty)`,
  );

  const emptyModule = join(work, 'empty.ts');
  writeFileSync(emptyModule, 'export {};\n');
  const floor = series('node --import tsx', () => measure(['--import', 'tsx', emptyModule], root, env));
  const plan = series("plan '*' (10 assets)", () => measure(cli(['plan', '*']), project, env));
  const postgres = series("plan '*' (PG storage)", () =>
    measure(cli(['plan', '*']), project, { ...env, VITRINA_DATABASE_URL: runStorage.url }),
  );
  const home = join(work, 'warehouse-home');
  const assets = series('assets (warehouse)', () =>
    measure(cli(['assets']), root, {
      ...env,
      VITRINA_HOME: home,
      VITRINA_DEFINITIONS: 'packages/assets/src/index.ts',
    }),
  );

  const output = {
    plan_small_ms: Math.round(plan.ms),
    plan_small_rss_mb: Math.round(plan.rssMb),
    assets_warehouse_ms: Math.round(assets.ms),
    assets_warehouse_rss_mb: Math.round(assets.rssMb),
    plan_small_first_ms: Math.round(first.ms),
    plan_small_postgres_ms: Math.round(postgres.ms),
    plan_small_postgres_rss_mb: Math.round(postgres.rssMb),
    floor_tsx_ms: Math.round(floor.ms),
    floor_tsx_rss_mb: Math.round(floor.rssMb),
    plan_small_ratio_to_floor: Math.round((plan.ms / floor.ms) * 100) / 100,
    plan_small_ratio_to_target: Math.round((plan.ms / TARGET.plan_small_ms) * 100) / 100,
    plan_small_rss_ratio_to_target: Math.round((plan.rssMb / TARGET.plan_small_rss_mb) * 100) / 100,
    runs: RUNS,
    measured_at: new Date().toISOString(),
  };
  console.log(
    `plan: ${output.plan_small_ratio_to_floor}× the tsx floor, ${output.plan_small_ratio_to_target}× the 1 s target, ` +
      `${output.plan_small_rss_ratio_to_target}× the 250 MB target`,
  );
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/cli.json'), `${JSON.stringify(output, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
  await warehouse.drop();
  await runStorage.drop();
}
