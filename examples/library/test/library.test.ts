import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, execute, type Location, type PlanRequest, planRun } from '@vitrina/core';
import { openTestStorage, type TestStorage, tempDatabase } from '@vitrina/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LibraryResources, libraryLocation, MODELS } from '../src/index.ts';

const today = new Date().toISOString().slice(0, 10);
const start = addDays(today, -4);
const days = [0, 1, 2, 3].map((n) => addDays(start, n)); // the complete days: start … yesterday

describe('the library example: SQL models and seeds on real PostgreSQL', () => {
  let test: TestStorage;
  let warehouse: { url: string; drop: () => Promise<void> };
  let folder: string;
  let location: Location<LibraryResources>;
  let resources: LibraryResources;

  beforeAll(async () => {
    test = await openTestStorage('pglite');
    warehouse = await tempDatabase('vitrina_library');
    folder = await mkdtemp(join(tmpdir(), 'vitrina-library-'));
    await cp(MODELS, folder, { recursive: true });
    location = await libraryLocation({ databaseUrl: warehouse.url, start, models: folder });
    resources = await location.resources.open();
  });
  afterAll(async () => {
    if (resources) await location.resources.close(resources);
    await test?.dispose();
    await warehouse?.drop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const materialize = async (request: PlanRequest, loc = location) => {
    const plan = await planRun(loc.graph, test.storage, request);
    const outcome = await execute({
      graph: loc.graph,
      plan,
      storage: test.storage,
      resources,
      pools: loc.pools,
      maxParallel: 4,
    });
    return { plan, ...outcome };
  };
  const stale = async (loc = location) =>
    [
      ...new Set((await planRun(loc.graph, test.storage, { selection: '*' })).steps.map((s) => s.assetKey)),
    ].sort();
  const query = async <T extends object>(text: string) => (await resources.db.query<T>(text)).rows;
  const depsOf = (key: string) =>
    location.graph
      .get(key)
      .deps.map((dep) => `${dep.key}:${dep.mapping.kind}`)
      .sort();

  it('infers the lineage from the SQL: each model reads what its query reads', () => {
    expect(depsOf('staging.loans')).toEqual(['raw.loans:identity', 'seeds.books:all', 'seeds.branches:all']);
    expect(depsOf('marts.branch_daily')).toEqual(['staging.loans:identity']);
    expect(depsOf('marts.genre_totals')).toEqual(['staging.loans:all']);
    expect(depsOf('marts.top_books')).toEqual(['seeds.books:all', 'staging.loans:all']);
    expect(
      location.graph
        .get('staging.loans')
        .checks.map((check) => check.name)
        .sort(),
    ).toEqual([
      'accepted_values_genre',
      'not_null_branch_id',
      'not_null_day',
      'not_null_loan_id',
      'relationships_branch_id',
      'unique_loan_id',
    ]);
  });

  it('traces every column of a model to the upstream columns it comes from', () => {
    const columns = (key: string) =>
      Object.fromEntries(
        location.graph
          .get(key)
          .columns.map((c) => [c.name, c.from.map((ref) => `${ref.asset}.${ref.column}`)]),
      );
    expect(columns('staging.loans')).toEqual({
      day: ['raw.loans.day'],
      loan_id: ['raw.loans.loan_id'],
      member_id: ['raw.loans.member_id'],
      branch_id: ['raw.loans.branch_id'],
      district: ['seeds.branches.district'],
      book_id: ['raw.loans.book_id'],
      genre: ['seeds.books.genre'],
      minutes: ['raw.loans.minutes'],
    });
    expect(columns('marts.branch_daily')).toEqual({
      day: ['staging.loans.day'],
      branch_id: ['staging.loans.branch_id'],
      district: ['staging.loans.district'],
      loans: [],
      minutes: ['staging.loans.minutes'],
    });
    const loanId = location.graph.get('staging.loans').columns.find((c) => c.name === 'loan_id');
    expect(loanId?.description).toBe("The loan's number in the library system.");
    expect(location.graph.get('seeds.books').columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      'book_id bigint',
      'title text',
      'genre text',
      'published date',
    ]);
  });

  it('materialises everything, and every mart agrees with the raw loans', async () => {
    const { run, steps } = await materialize({ selection: '*' });
    expect(run.status, JSON.stringify(steps.filter((s) => s.status !== 'success'))).toBe('success');
    expect(steps).toHaveLength(2 + days.length * 4 + 2);

    const raw = await query<{
      day: string;
      loan_id: string;
      member_id: number;
      branch_id: number;
      book_id: number;
      minutes: number;
    }>(
      "select to_char(day, 'YYYY-MM-DD') as day, loan_id::text, member_id, branch_id, book_id, minutes from raw.loans",
    );
    const books = new Map(
      (await readFile(join(folder, 'seeds/books.csv'), 'utf8'))
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(','))
        .map(([id, , genre]) => [Number(id), genre!]),
    );
    const real = raw.filter((loan) => loan.minutes > 0);
    expect(real.length).toBeLessThan(raw.length); // some loans had no duration and were dropped

    const perBranchDay = new Map<string, { loans: number; minutes: number }>();
    for (const loan of real) {
      const key = `${loan.day} ${loan.branch_id}`;
      const now = perBranchDay.get(key) ?? { loans: 0, minutes: 0 };
      perBranchDay.set(key, { loans: now.loans + 1, minutes: now.minutes + loan.minutes });
    }
    const mart = await query<{ key: string; loans: number; minutes: number }>(
      "select to_char(day, 'YYYY-MM-DD') || ' ' || branch_id as key, loans, minutes from marts.branch_daily",
    );
    expect(new Map(mart.map(({ key, ...rest }) => [key, rest]))).toEqual(perBranchDay);

    const perGenre = new Map<string, number>();
    for (const loan of real)
      perGenre.set(books.get(loan.book_id)!, (perGenre.get(books.get(loan.book_id)!) ?? 0) + 1);
    const genres = await query<{ genre: string; loans: number }>(
      'select genre, loans from marts.genre_totals',
    );
    expect(new Map(genres.map((g) => [g.genre, g.loans]))).toEqual(perGenre);

    const lastLoan = new Map<number, string>();
    for (const loan of real)
      if (BigInt(loan.loan_id) > BigInt(lastLoan.get(loan.member_id) ?? '0'))
        lastLoan.set(loan.member_id, loan.loan_id);
    const last = await query<{ member_id: number; last_loan_id: string }>(
      'select member_id, last_loan_id::text from marts.member_last_loan',
    );
    expect(new Map(last.map((m) => [m.member_id, m.last_loan_id]))).toEqual(lastLoan);
    expect(await stale()).toEqual([]);
  });

  it('reports a failing check with its count and a sample, and blocks what reads the table', async () => {
    const [loan] = await query<{ loan_id: string }>(
      `select loan_id::text from staging.loans where day = '${days[1]}' limit 1`,
    );
    await resources.db.query(
      `insert into raw.loans select day, ${loan!.loan_id}, member_id, branch_id, book_id, minutes from raw.loans where day = '${days[1]}' limit 1`,
    );
    const { run, steps } = await materialize({
      selection: 'staging.loans+',
      from: days[1],
      to: days[1],
      force: true,
    });
    expect(run.status).toBe('failed');
    const failed = steps.find((s) => s.assetKey === 'staging.loans');
    expect(failed?.error).toMatch(/unique_loan_id/);
    expect(steps.find((s) => s.assetKey === 'marts.branch_daily')?.status).toBe('blocked');
    await resources.db.query(
      `delete from raw.loans where ctid in (select ctid from raw.loans where loan_id = ${loan!.loan_id} limit 1)`,
    );
    expect(
      (await materialize({ selection: 'staging.loans+', from: days[1], to: days[1], force: true })).run
        .status,
    ).toBe('success');
  });

  it('a changed seed file makes the seed and everything downstream stale', async () => {
    const file = join(folder, 'seeds/books.csv');
    await writeFile(file, (await readFile(file, 'utf8')).replace('The Quiet River', 'The Quiet Lake'));
    const changed = await libraryLocation({ databaseUrl: warehouse.url, start, models: folder });
    expect(await stale(changed)).toEqual([
      'marts.branch_daily',
      'marts.genre_totals',
      'marts.member_last_loan',
      'marts.top_books',
      'seeds.books',
      'staging.loans',
    ]);
  });
});
