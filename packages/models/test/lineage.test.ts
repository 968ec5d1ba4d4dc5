import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Asset, DefinitionError, defineAsset } from '@vitrina/core';
import type pg from 'pg';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadParser, parseQuery, readModel, sqlModels, tablesRead } from '../src/index.ts';

const read = (sql: string) => tablesRead('test.sql', parseQuery('test.sql', sql));

describe('the tables a query reads, from PostgreSQL’s parser', () => {
  beforeAll(loadParser);

  it('finds FROM, JOIN, subqueries and set operations, and leaves the query’s own CTEs out', () => {
    const sql = `with recent as (select * from raw.loans where day > '2026-01-01')
      select r.*, b.title from recent r
      join raw.books b using (book_id)
      where r.member_id in (select member_id from crm.members where active)
      union all select * from archive.loans`;
    expect(read(sql)).toEqual(['archive.loans', 'crm.members', 'raw.books', 'raw.loans']);
  });

  it('is not fooled by table names in strings, comments or column names', () => {
    const sql = `select 'from fake.table' as text, t.from_date -- join fake.other
      from real.table t /* from fake.third */`;
    expect(read(sql)).toEqual(['real.table']);
  });

  it('refuses an unqualified table, a statement that is not a SELECT, and bad SQL with its place', () => {
    expect(() => read('select * from loans')).toThrow(/"loans" without a schema/);
    expect(() => read('delete from raw.loans')).toThrow(/found DeleteStmt/);
    expect(() => read('select 1; select 2')).toThrow(/found 2 statements/);
    expect(() => read('select *\nfrom raw.loans\nwher x')).toThrow(
      /test\.sql: line 3, column \d+: syntax error/,
    );
  });
});

describe('a model file’s header', () => {
  it('reads the YAML block of the leading comment and leaves other comments in the query', () => {
    const model = readModel(
      'm.sql',
      `/*\nmodel:\n  kind: daily\n  time_column: day\n  columns:\n    id: { checks: [unique] }\n*/\nselect 1 as id;\n`,
    );
    expect(model.header).toMatchObject({ kind: 'daily', time_column: 'day' });
    expect(model.query).toBe('select 1 as id');
    const prose = readModel('p.sql', '/* just a note: from x */\nselect 2');
    expect(prose.header.kind).toBe('view');
    expect(prose.query).toContain('just a note');
  });

  it('folds names to lower case as PostgreSQL folds unquoted ones, so a header and its checks agree', () => {
    const model = readModel(
      'm.sql',
      `/*\nmodel:\n  key: Report.Daily\n  kind: incremental\n  unique_key: [StationId, Day]\n  newest_by: UpdatedAt\n  deps: { Raw.Loans: all }\n  columns:\n    StationId: { checks: [not_null] }\n*/\nselect 1`,
    );
    expect(model.header).toMatchObject({
      key: 'report.daily',
      unique_key: ['stationid', 'day'],
      newest_by: 'updatedat',
      deps: { 'raw.loans': 'all' },
    });
    expect(Object.keys(model.header.columns)).toEqual(['stationid']);
    expect(() => readModel('m.sql', '/*\nmodel:\n  time_column: "day one"\n*/\nselect 1')).toThrow(
      /time_column: expected a column name/,
    );
  });

  it('names the file and the field of a wrong header', () => {
    expect(() => readModel('m.sql', '/*\nmodel:\n  kind: daily\n*/\nselect 1')).toThrow(
      /m\.sql: model: time_column: a daily model names its date column/,
    );
    expect(() => readModel('m.sql', '/*\nmodel:\n  kind: nightly\n*/\nselect 1')).toThrow(
      /m\.sql: model: kind/,
    );
    expect(() => readModel('m.sql', '/*\nmodel:\n  colour: red\n*/\nselect 1')).toThrow(/colour/);
  });
});

describe('sqlModels: a folder of models becomes assets with inferred lineage', () => {
  let folder: string;
  const db = (resources: { db: pg.Pool }) => resources.db;
  const loans: Asset<{ db: pg.Pool }> = defineAsset({
    key: 'raw.loans',
    description: 'Loans as the library system logs them.',
    group: 'raw',
    storage: 'postgres',
    materialize: async () => ({ rows: 0 }),
  });
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(folder, path)), { recursive: true });
    await writeFile(join(folder, path), text);
  };
  const load = () => sqlModels(folder, { db, assets: [loans], sources: ['crm.members'] });
  const depsOf = (assets: Asset<{ db: pg.Pool }>[], key: string) =>
    assets.find((asset) => asset.key === key)?.deps.map((dep) => dep.key);

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'vitrina-models-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('takes the key from the path and the upstreams from the query; a new join is a new upstream', async () => {
    await write('staging/loans.sql', 'select loan_id, member_id from raw.loans');
    await write(
      'report/loans_by_member.sql',
      'select member_id, count(*) as n from staging.loans group by 1',
    );
    let assets = await load();
    expect(assets.map((asset) => asset.key).sort()).toEqual([
      'crm.members',
      'report.loans_by_member',
      'staging.loans',
    ]);
    expect(depsOf(assets, 'report.loans_by_member')).toEqual(['staging.loans']);
    expect(assets.find((asset) => asset.key === 'crm.members')?.storage).toBe('external');
    await write(
      'report/loans_by_member.sql',
      'select l.member_id, m.name, count(*) as n from staging.loans l join crm.members m using (member_id) group by 1, 2',
    );
    assets = await load();
    expect(depsOf(assets, 'report.loans_by_member')).toEqual(['crm.members', 'staging.loans']);
  });

  it('versions a model by how it is built, not by its docs', async () => {
    const header = (extra: string) =>
      `/*\nmodel:\n  kind: daily\n  time_column: day\n  start: 2026-11-01\n${extra}*/\nselect day, loan_id, member_id from raw.loans where day between {{ start }} and {{ end }}`;
    const version = async (text: string) => {
      await write('staging/v.sql', text);
      return (await load()).find((asset) => asset.key === 'staging.v')!.codeVersion;
    };
    const plain = await version(header(''));
    expect(await version(header('  description: Docs only.\n'))).toBe(plain);
    expect(
      await version(header('  description: Docs only.\n  columns:\n    day: { description: The day. }\n')),
    ).toBe(plain);
    const incremental = header('').replace(
      'kind: daily\n  time_column: day',
      'kind: incremental\n  unique_key: loan_id',
    );
    expect(await version(incremental)).not.toBe(plain);
    expect(
      await version(incremental.replace('unique_key: loan_id', 'unique_key: [loan_id, member_id]')),
    ).not.toBe(await version(incremental));
  });

  it('refuses a file whose name is no table name', async () => {
    await write('s/1x.sql', 'select 1 as x');
    await expect(load()).rejects.toThrow(/"s\.1x" is not schema\.table/);
  });

  it('fails naming the model and the table when a query reads what nothing provides', async () => {
    await write('report/x.sql', 'select * from raw.unknown_table');
    const failure = await load().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DefinitionError);
    expect(String(failure)).toMatch(
      /report\/x\.sql: reads raw\.unknown_table, which no asset, model, seed or declared source provides/,
    );
  });

  it('reads a daily model’s days from its header and maps an unpartitioned upstream to all of it', async () => {
    await write(
      'staging/daily_loans.sql',
      `/*\nmodel:\n  kind: daily\n  time_column: day\n  start: 2026-11-01\n*/\nselect day, loan_id from raw.loans where day between {{ start }} and {{ end }}`,
    );
    const [asset] = (await load()).filter((a) => a.key === 'staging.daily_loans');
    expect(asset?.partitions).toMatchObject({ kind: 'daily', start: '2026-11-01' });
    expect(asset?.deps).toEqual([{ key: 'raw.loans', mapping: { kind: 'all' }, declared: true }]);
  });

  it('refuses days in a view and a daily model without them, and a relationships check to nowhere', async () => {
    await write('a/v.sql', 'select * from raw.loans where day = {{ start }}');
    await expect(load()).rejects.toThrow(/a view model has no days/);
    await rm(join(folder, 'a'), { recursive: true });
    await write(
      'a/d.sql',
      '/*\nmodel:\n  kind: daily\n  time_column: day\n  start: 2026-11-01\n*/\nselect * from raw.loans',
    );
    await expect(load()).rejects.toThrow(/filter its query with \{\{ start \}\} and \{\{ end \}\}/);
    await rm(join(folder, 'a'), { recursive: true });
    await write(
      'a/t.sql',
      '/*\nmodel:\n  kind: table\n  columns:\n    member_id:\n      checks: [{ relationships: { to: crm.nobody, field: id } }]\n*/\nselect member_id from raw.loans',
    );
    await expect(load()).rejects.toThrow(/reads crm\.nobody/);
  });
});
