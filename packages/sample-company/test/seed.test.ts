import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempDatabase } from '@vitrina/core/testing';
import { tempMysqlDatabase } from '@vitrina/io/testing';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayKey, dayNumber, type SeedSummary, type SeedTargets, seedCompany } from '../src/index.ts';
import { START } from './helpers.ts';

const day = (offset: number) => dayKey(dayNumber(START) + offset);

let targets: SeedTargets;
let cleanup: Array<() => Promise<void>> = [];
let folder: string;

beforeAll(async () => {
  const [payments, registry, crm] = await Promise.all([
    tempDatabase('seed_payments'),
    tempDatabase('seed_registry'),
    tempMysqlDatabase('seed_crm'),
  ]);
  folder = mkdtempSync(join(tmpdir(), 'vitrina-seed-test-'));
  targets = {
    crmUrl: crm.url,
    paymentsUrl: payments.url,
    registryUrl: registry.url,
    inbox: join(folder, 'inbox'),
    replay: join(folder, 'replay'),
  };
  cleanup = [payments.drop, registry.drop, crm.drop];
});
afterAll(async () => {
  await Promise.all(cleanup.map((drop) => drop()));
  rmSync(folder, { recursive: true, force: true });
});

async function pgQuery<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function mysqlQuery<T>(sql: string, values: unknown[] = []): Promise<T[]> {
  const connection = await mysql.createConnection({ uri: targets.crmUrl, dateStrings: true });
  try {
    return (await connection.query(sql, values))[0] as T[];
  } finally {
    await connection.end();
  }
}

const counts = (summary: SeedSummary, dayKey: string, table: string) =>
  summary.days.find((d) => d.day === dayKey)?.tables.find((t) => t.table === table) ?? {
    written: 0,
    updated: 0,
    bad: {},
  };

const seed = (from: string, to: string) =>
  seedCompany(targets, { scale: 1, seed: 7, start: START, from, to });

describe('seedCompany into the real source systems', () => {
  let first: SeedSummary;
  const transactionTotals = () =>
    pgQuery<{ day: string; n: number }>(
      targets.paymentsUrl,
      `select to_char(created_at, 'YYYY-MM-DD') as day, count(*)::int as n from core.transactions group by 1 order by 1`,
    );

  it('writes every system, and the rows in them are what the summary says', async () => {
    first = await seed(day(0), day(1));
    const totals = await transactionTotals();
    expect(totals).toEqual([
      { day: day(0), n: counts(first, day(0), 'core.transactions').written },
      { day: day(1), n: counts(first, day(1), 'core.transactions').written },
    ]);
    const [{ n: profiles }] = (await pgQuery<{ n: number }>(
      targets.registryUrl,
      'select count(*)::int as n from "REGISTRY"."USER_PROFILES"',
    )) as [{ n: number }];
    const expected = [first.snapshot, ...first.days].reduce(
      (sum, d) => sum + (d.tables.find((t) => t.table === 'REGISTRY.USER_PROFILES')?.written ?? 0),
      0,
    );
    expect(profiles).toBe(expected);
    const leads = await mysqlQuery<{ n: number }>('select count(*) as n from b_crm_lead');
    expect(Number(leads[0]!.n)).toBe(
      counts(first, day(0), 'b_crm_lead').written + counts(first, day(1), 'b_crm_lead').written,
    );
  });

  it('re-seeding a day replaces its increment instead of duplicating it', async () => {
    const before = await transactionTotals();
    const operations = await pgQuery<{ n: number }>(
      targets.paymentsUrl,
      'select count(*)::int as n from core.operations',
    );
    await seed(day(1), day(1));
    expect(await transactionTotals()).toEqual(before);
    expect(await pgQuery(targets.paymentsUrl, 'select count(*)::int as n from core.operations')).toEqual(
      operations,
    );
  });

  it('the next day adds its increment: new rows, late rows for earlier days, updates of old rows', async () => {
    const next = await seed(day(2), day(4));
    const rows = await pgQuery<{ trans_day: string; created_day: string }>(
      targets.paymentsUrl,
      `select to_char(trans_date, 'YYYY-MM-DD') as trans_day, to_char(created_at, 'YYYY-MM-DD') as created_day from core.transactions where created_at >= $1`,
      [`${day(4)} 00:00:00`],
    );
    expect(rows.every((row) => row.created_day === day(4))).toBe(true);
    const late = rows.filter((row) => row.trans_day < day(4));
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((row) => dayNumber(row.trans_day) >= dayNumber(day(4)) - 3)).toBe(true);
    const refunded = await pgQuery<{ n: number }>(
      targets.paymentsUrl,
      `select count(distinct transaction_id)::int as n from core.transactions where status = 'refunded' and updated_at >= $1 and created_at < $1`,
      [`${day(4)} 00:00:00`],
    );
    expect(refunded[0]!.n).toBeGreaterThan(0);
    expect(counts(next, day(4), 'core.transactions').updated).toBeGreaterThanOrEqual(refunded[0]!.n);
    const moved = await mysqlQuery<{ n: number }>(
      'select count(*) as n from b_crm_lead where DATE_MODIFY >= ? and DATE_CREATE < ?',
      [`${day(4)} 00:00:00`, `${day(4)} 00:00:00`],
    );
    expect(Number(moved[0]!.n)).toBe(counts(next, day(4), 'b_crm_lead').updated);
    const updatedProfiles = await pgQuery<{ n: number }>(
      targets.registryUrl,
      `select count(*)::int as n from "REGISTRY"."USER_PROFILES" where "UPDATED_AT" >= $1 and "REGISTERED_AT" < $1`,
      [`${day(4)} 00:00:00`],
    );
    expect(updatedProfiles[0]!.n).toBe(counts(next, day(4), 'REGISTRY.USER_PROFILES').updated);
  });

  it('refuses to seed a real Oracle registry, saying so', async () => {
    await expect(
      seedCompany(
        { ...targets, registryUrl: 'oracle://u:p@host:1521/svc' },
        { scale: 1, seed: 1, from: START, to: START },
      ),
    ).rejects.toThrow(/seeding a real Oracle registry is not supported/);
  });
});
