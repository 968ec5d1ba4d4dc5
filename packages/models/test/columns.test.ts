import { beforeAll, describe, expect, it } from 'vitest';
import { type ColumnLineage, columnLineage } from '../src/columns.ts';
import { loadParser, parseQuery } from '../src/lineage.ts';

const known: Record<string, string[]> = {
  'raw.loans': ['day', 'loan_id', 'member_id', 'branch_id', 'book_id', 'minutes'],
  'seeds.books': ['book_id', 'title', 'genre'],
  'seeds.branches': ['branch_id', 'name', 'district'],
};
const lineage = (sql: string) =>
  Object.fromEntries(
    columnLineage(parseQuery('t.sql', sql), (table) => known[table] ?? null).map((c: ColumnLineage) => [
      c.name,
      c.from.map((ref) => `${ref.asset}.${ref.column}`),
    ]),
  );

describe('column-level lineage from the parse tree', () => {
  beforeAll(loadParser);

  it('follows aliases, joins with USING, casts, aggregates and unqualified names', () => {
    expect(
      lineage(`select l.day, branch_id, b.district, k.genre as kind, sum(l.minutes)::int as minutes, count(*) as loans
               from raw.loans l join seeds.branches b using (branch_id) join seeds.books k on k.book_id = l.book_id
               group by 1, 2, 3, 4`),
    ).toEqual({
      day: ['raw.loans.day'],
      branch_id: ['raw.loans.branch_id', 'seeds.branches.branch_id'],
      district: ['seeds.branches.district'],
      kind: ['seeds.books.genre'],
      minutes: ['raw.loans.minutes'],
      loans: [],
    });
  });

  it('goes through CTEs, subqueries, scalar subqueries and set operations', () => {
    expect(
      lineage(`with recent as (select member_id, minutes * 2 as doubled from raw.loans)
               select r.member_id, r.doubled,
                      (select max(title) from seeds.books) as any_title,
                      t.g
               from recent r cross join (select genre as g from seeds.books) t
               union all
               select member_id, minutes, null, null from raw.loans`),
    ).toEqual({
      member_id: ['raw.loans.member_id'],
      doubled: ['raw.loans.minutes'],
      any_title: ['seeds.books.title'],
      g: ['seeds.books.genre'],
    });
  });

  it('expands a star over known columns, and names computed columns as PostgreSQL does', () => {
    expect(Object.keys(lineage('select b.*, 1 from seeds.branches b'))).toEqual([
      'branch_id',
      'name',
      'district',
      '?column?',
    ]);
    expect(
      lineage('select d.day::date, upper(name) from generate_series(1, 2) as d(day), seeds.branches'),
    ).toEqual({
      day: [],
      upper: ['seeds.branches.name'],
    });
  });

  it('attributes an unqualified column to the one table whose columns are unknown', () => {
    expect(lineage('select x, genre from ext.unknown_table u join seeds.books using (book_id)')).toEqual({
      x: ['ext.unknown_table.x'],
      genre: ['seeds.books.genre'],
    });
  });
});
