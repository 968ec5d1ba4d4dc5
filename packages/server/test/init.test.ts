import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tempDatabase } from '@vitrina/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const main = resolve(import.meta.dirname, '../src/cli/main.ts');

let parent: string;
let project: string;
let warehouse: { url: string; drop: () => Promise<void> };

/** The user's environment, without the settings of this repository's own tests. */
function userEnv() {
  const { VITRINA_DEFINITIONS, VITRINA_DATABASE_URL, VITRINA_HOME, ...env } = process.env;
  return { ...env, NO_COLOR: '1', WAREHOUSE_URL: warehouse.url };
}

const outcome = (result: ReturnType<typeof spawnSync>) => ({
  code: result.status,
  out: `${result.stdout}${result.stderr}`,
});

/** `pnpm vitrina init <folder>` typed in `where`: pnpm runs it from the repository and says where in INIT_CWD. */
function init(folder: string, where: string) {
  return outcome(
    spawnSync(process.execPath, ['--import', 'tsx', main, 'init', folder], {
      cwd: root,
      encoding: 'utf8',
      env: { ...userEnv(), INIT_CWD: where },
    }),
  );
}

/** The CLI as the project's README has it: `pnpm vitrina …` in the project folder, which holds its `.env`. */
function vitrina(args: string[]) {
  return outcome(
    spawnSync('pnpm', ['--silent', 'vitrina', ...args], { cwd: project, encoding: 'utf8', env: userEnv() }),
  );
}

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'vitrina-init-'));
  project = join(parent, 'shop');
  warehouse = await tempDatabase('vitrina_init');
});
afterAll(async () => {
  rmSync(parent, { recursive: true, force: true });
  await warehouse?.drop();
});

describe('vitrina init: a new project that plans, materialises and tests at once', () => {
  it('writes the project, and refuses a folder that is not empty', () => {
    const made = init('shop', parent);
    expect(made.code, made.out).toBe(0);
    for (const file of [
      'location.ts',
      'README.md',
      '.env',
      'models/seeds/products.csv',
      'models/staging/daily_sales.sql',
    ])
      expect(made.out).toContain(file);
    expect(readFileSync(join(project, '.env'), 'utf8')).toContain('VITRINA_DEFINITIONS=location.ts');
    const again = init('shop', parent);
    expect(again.code).toBe(2);
    expect(again.out).toMatch(/shop is not empty/);
  });

  it('plans every day of its models, materialises them, and its checks pass', () => {
    const plan = vitrina(['plan', '*']);
    expect(plan.code, plan.out).toBe(0);
    expect(plan.out).toMatch(/seeds\.products\s+never materialised/);
    expect(plan.out).toMatch(/9 of 9 asset partitions to materialise \(3 assets\)/);
    const run = vitrina(['materialize', '*']);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/success in .*: 9 succeeded, 0 failed/);
    const test = vitrina(['test', '*']);
    expect(test.code, test.out).toBe(0);
    expect(test.out).toMatch(/Testing 8 asset partitions/);
    expect(vitrina(['plan', '*']).out).toMatch(/Nothing to materialise/);
  });

  it('vitrina test finds a row broken behind the engine’s back, and plan still sees nothing stale', async () => {
    const db = new pg.Client({ connectionString: warehouse.url });
    await db.connect();
    try {
      await db.query('insert into staging.daily_sales select * from staging.daily_sales limit 1');
    } finally {
      await db.end();
    }
    const test = vitrina(['test', 'daily_sales']);
    expect(test.code, test.out).toBe(1);
    expect(test.out).toMatch(/unique_day_product_id/);
    expect(test.out).toMatch(/1 duplicate/);
    expect(vitrina(['plan', '*']).out).toMatch(/Nothing to materialise/);
  });
});
