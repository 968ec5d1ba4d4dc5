import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SampleSystems, sampleSystems } from '../../src/testing/index.ts';

const root = resolve(import.meta.dirname, '../../../..');
const main = resolve(root, 'packages/server/src/cli/main.ts');

/** The CLI as `pnpm vitrina` runs it: from the repository's root, the warehouse as its code location. */
function vitrina(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', VITRINA_DEFINITIONS: '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

describe('vitrina seed, the command the warehouse location contributes', () => {
  let systems: SampleSystems;
  beforeAll(async () => {
    systems = await sampleSystems({ start: '2026-10-05', prefix: 'vitrina_seed_cli' });
  });
  afterAll(async () => systems?.drop());

  it('writes a day of the sample company into the source systems and prints the summary', async () => {
    const { code, stdout, stderr } = vitrina(
      ['seed', '--from', '2026-10-05', '--to', '2026-10-05'],
      systems.env,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^2026-10-05 .*payments \d+ rows/m);
    expect(stdout).toMatch(/Seeded 1 day\(s\) 2026-10-05…2026-10-05 at scale 1 \(seed 1\)/);
    const payments = new pg.Client({ connectionString: systems.config.VITRINA_PAYMENTS_URL });
    await payments.connect();
    try {
      const { rows } = await payments.query<{ n: number }>(
        "select count(*)::int as n from core.transactions where trans_date::date = '2026-10-05'",
      );
      expect(rows[0]!.n).toBeGreaterThan(1000);
    } finally {
      await payments.end();
    }
  });
});

describe('vitrina seed with bad arguments', () => {
  it.each([
    [['seed', '--scale', '0'], /^vitrina: --scale "0": expected a positive number$/],
    [['seed', '--scale', 'big'], /^vitrina: --scale "big"/],
    [['seed', '--from', '2026-02-30'], /^vitrina: --from "2026-02-30": not a calendar date$/],
    [
      ['seed', '--from', '2026-11-05', '--to', '2026-11-01'],
      /^vitrina: --from 2026-11-05 is after --to 2026-11-01$/,
    ],
    [['seed', '--from', '2026-01-01'], /^vitrina: --from 2026-01-01 is before VITRINA_START 2026-10-01$/],
    [['seed', '--bad-rate', '2'], /^vitrina: --bad-rate "2": expected a rate between 0 and 1$/],
    [['seed', '--seed', '1.5'], /^vitrina: --seed "1.5": expected a whole number$/],
    [['seed', '--frm', '2026-10-01'], /unknown option '--frm'/],
  ])('refuses %j with one line and exit code 2', (args, message) => {
    const { code, stderr } = vitrina(args, { VITRINA_START: '2026-10-01' });
    expect(stderr).toMatch(message);
    expect(stderr.split('\n').filter((line) => !line.startsWith('(Did you mean')).length).toBe(1);
    expect(code).toBe(2);
  });

  it('refuses a real Oracle registry', () => {
    const { code, stderr } = vitrina(['seed', '--from', '2026-10-01', '--to', '2026-10-01'], {
      VITRINA_START: '2026-10-01',
      VITRINA_REGISTRY_URL: 'oracle://user:pass@host:1521/service',
    });
    expect(stderr).toMatch(/seeding a real Oracle registry is not supported/);
    expect(stderr).not.toContain('pass@');
    expect(code).toBe(2);
  });
});
