import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Asset, MaterializeContext } from '@vitrina/core';
import { tempDatabase } from '@vitrina/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSeedConfig, type SeedConfig, seedAsset, seedColumns } from '../src/seeds/index.ts';

interface Resources {
  db: pg.Pool;
}

const fixtures = join(import.meta.dirname, 'fixtures', 'seeds');
// Fixtures sit under the working directory, so messages name them relative to it.
const shownFixture = (name: string) => `test/fixtures/seeds/${name}`;

let database: { url: string; drop: () => Promise<void> };
let pool: pg.Pool;
let scratch: string;

beforeAll(async () => {
  database = await tempDatabase('vitrina_seeds');
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  scratch = mkdtempSync(join(tmpdir(), 'vitrina-seeds-'));
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function context(asset: Asset<Resources>): MaterializeContext<Resources> {
  return {
    key: asset.key,
    partition: '',
    window: null,
    runId: 'seeds-test',
    signal: new AbortController().signal,
    resources: { db: pool },
    cursors: { getCursor: async () => null, setCursor: async () => {} },
    log: () => {},
    attempt: 1,
  };
}

async function seed(file: string, key: string, config?: SeedConfig): Promise<Asset<Resources>> {
  return seedAsset<Resources>({
    file,
    key,
    group: 'seeds',
    config: config ?? (await readSeedConfig(file)),
    db: (resources) => resources.db,
  });
}

const materialize = (asset: Asset<Resources>) => asset.materialize!(context(asset));

async function query<T>(sql: string): Promise<T[]> {
  return (await pool.query(sql)).rows as T[];
}

/** Column names and types as PostgreSQL has them, in order. */
async function columnsOf(table: string): Promise<string[]> {
  const rows = await query<{ column: string }>(
    `select attname || ' ' || format_type(atttypid, atttypmod) as column from pg_attribute
     where attrelid = '${table}'::regclass and attnum > 0 and not attisdropped order by attnum`,
  );
  return rows.map((row) => row.column);
}

const oidOf = async (table: string) =>
  (await query<{ oid: number }>(`select '${table}'::regclass::oid as oid`))[0]!.oid;

/** Writes a scratch seed (and its sidecar, or removes a stale one) and returns its path. */
function writeSeed(name: string, csv: string | Buffer, sidecar?: string): string {
  const file = join(scratch, `${name}.csv`);
  writeFileSync(file, csv);
  const yml = join(scratch, `${name}.yml`);
  if (sidecar === undefined) rmSync(yml, { force: true });
  else writeFileSync(yml, sidecar);
  return file;
}

describe('seed columns', () => {
  it('infers each column from every value and reports where its type came from', async () => {
    const columns = await seedColumns(join(fixtures, 'stations.csv'), {});
    expect(columns.map(({ name, type, source }) => `${name} ${type} ${source}`)).toEqual([
      'id bigint inferred',
      'name text inferred',
      'capacity bigint inferred',
      'price numeric inferred',
      'opened date inferred',
      'checked_at timestamp inferred',
      'seen_at timestamptz inferred',
      'active boolean inferred',
      'code text inferred',
      'note text inferred',
      'big numeric inferred',
    ]);
    expect(columns.every((column) => column.description === null)).toBe(true);
  });

  it('takes declared types and descriptions from the sidecar and infers the rest', async () => {
    const file = join(fixtures, 'tariffs.csv');
    const config = await readSeedConfig(file);
    expect(config.encoding).toBeUndefined();
    expect(await seedColumns(file, config)).toEqual([
      { name: 'zone', type: 'text', source: 'declared', description: 'The fare zone as printed on tickets' },
      { name: 'amount', type: 'numeric(12,2)', source: 'declared', description: 'Fare in BYN' },
      { name: 'valid_from', type: 'date', source: 'inferred', description: 'First day the fare applies' },
      { name: 'label', type: 'text', source: 'inferred', description: null },
    ]);
  });

  it('reads no sidecar as no settings, and refuses a sidecar it does not understand, naming it', async () => {
    expect(await readSeedConfig(join(fixtures, 'stations.csv'))).toEqual({});
    const typo = writeSeed('typo', 'a\n1\n', 'colums:\n  a:\n    type: text\n');
    await expect(readSeedConfig(typo)).rejects.toThrow(
      `${join(scratch, 'typo.yml')}: Unrecognized key: "colums"`,
    );
    const badEncoding = writeSeed('enc', 'a\n1\n', 'encoding: koi8-r\n');
    await expect(readSeedConfig(badEncoding)).rejects.toThrow(`${join(scratch, 'enc.yml')}: encoding:`);
    const injected = writeSeed('inj', 'a\n1\n', 'columns:\n  a:\n    type: "text); drop table x; --"\n');
    await expect(readSeedConfig(injected)).rejects.toThrow(`${join(scratch, 'inj.yml')}: columns.a.type:`);
    const unknown = writeSeed('unknown', 'a\n1\n', 'columns:\n  b:\n    type: text\n');
    await expect(seedColumns(unknown, await readSeedConfig(unknown))).rejects.toThrow(
      `${unknown}: its sidecar describes column b, which the header (a) does not have`,
    );
  });
});

describe('seed assets', () => {
  it('loads inferred types into PostgreSQL and reports them', async () => {
    const asset = await seed(join(fixtures, 'stations.csv'), 'seeds.stations');
    expect(asset.storage).toBe('postgres');
    expect(asset.partitions).toBeNull();
    expect(asset.description).toBe('Seed stations.csv');
    expect(asset.files).toEqual([join(fixtures, 'stations.csv')]);

    const result = await materialize(asset);
    expect(result?.rows).toBe(3);
    expect(result?.metadata).toEqual({
      file: shownFixture('stations.csv'),
      encoding: 'utf-8',
      columns: {
        id: 'bigint (inferred)',
        name: 'text (inferred)',
        capacity: 'bigint (inferred)',
        price: 'numeric (inferred)',
        opened: 'date (inferred)',
        checked_at: 'timestamp (inferred)',
        seen_at: 'timestamptz (inferred)',
        active: 'boolean (inferred)',
        code: 'text (inferred)',
        note: 'text (inferred)',
        big: 'numeric (inferred)',
      },
    });
    expect(await columnsOf('seeds.stations')).toEqual([
      'id bigint',
      'name text',
      'capacity bigint',
      'price numeric',
      'opened date',
      'checked_at timestamp without time zone',
      'seen_at timestamp with time zone',
      'active boolean',
      'code text',
      'note text',
      'big numeric',
    ]);
    const { rows } = await pool.query<Array<string | null>>({
      text: `select id::text, name, capacity::text, price::text, opened::text, checked_at::text,
              (seen_at at time zone 'UTC')::text, active::text, code, note, big::text
             from seeds.stations order by id`,
      rowMode: 'array',
    });
    expect(rows.map((row) => row.map((value) => value ?? 'NULL').join(' | '))).toEqual([
      '1 | Немига | 120 | 1.50 | 2019-05-01 | 2024-03-01 08:00:00 | 2024-03-01 08:00:00 | true | 007 | NULL | 9223372036854775808',
      '2 | Площадь Победы, north | 80 | 2 | 2020-01-15 | 2024-03-01 09:30:15 | 2024-03-01 06:00:00 | false | 012 | NULL | 1',
      '3 | Quoted "name"\non two lines | -5 | 0.25 | 2021-12-31 | 2024-02-29 00:00:00 | 2024-03-01 11:00:00.5 | true | 120 | NULL | -3',
    ]);
  });

  it('uses declared types over inferred ones and turns descriptions into comments', async () => {
    const file = join(fixtures, 'tariffs.csv');
    const asset = await seed(file, 'ref.tariffs');
    expect(asset.description).toBe("Fares by zone, from the operator's price list");
    expect(asset.files).toEqual([file, join(fixtures, 'tariffs.yml')]);
    const result = await materialize(asset);
    expect(result?.metadata?.columns).toEqual({
      zone: 'text (declared)',
      amount: 'numeric(12,2) (declared)',
      valid_from: 'date (inferred)',
      label: 'text (inferred)',
    });
    expect(await columnsOf('ref.tariffs')).toEqual([
      'zone text',
      'amount numeric(12,2)',
      'valid_from date',
      'label text',
    ]);
    expect(await query('select zone, amount::text, label from ref.tariffs order by zone')).toEqual([
      { zone: '02', amount: '7.00', label: null },
      { zone: '1', amount: '12.50', label: 'Urban' },
      { zone: '3', amount: '100.10', label: 'Suburban' },
    ]);
    const comments = await query<{ name: string; comment: string | null }>(
      `select attname as name, col_description(attrelid, attnum) as comment from pg_attribute
       where attrelid = 'ref.tariffs'::regclass and attnum > 0 order by attnum`,
    );
    expect(comments).toEqual([
      { name: 'zone', comment: 'The fare zone as printed on tickets' },
      { name: 'amount', comment: 'Fare in BYN' },
      { name: 'valid_from', comment: 'First day the fare applies' },
      { name: 'label', comment: null },
    ]);
    const [table] = await query<{ comment: string }>(
      "select obj_description('ref.tariffs'::regclass, 'pg_class') as comment",
    );
    expect(table!.comment).toBe("Fares by zone, from the operator's price list [vitrina seed]");
  });

  it('reads a windows-1251 seed when the sidecar declares it, and fails naming the bytes when not', async () => {
    const file = join(fixtures, 'cities.csv');
    const result = await materialize(await seed(file, 'ref.cities'));
    expect(result?.metadata?.encoding).toBe('windows-1251');
    expect(await query('select city, population from ref.cities order by population desc')).toEqual([
      { city: 'Минск', population: '1996553' },
      { city: 'Гродно', population: '357000' },
      { city: 'Брест', population: '340000' },
    ]);
    await expect(materialize(await seed(file, 'ref.cities_utf8', {}))).rejects.toThrow(
      `${shownFixture('cities.csv')} line 2: byte 0xCC at column 1 is not valid UTF-8`,
    );
  });

  it('truncates a table whose columns stay, and re-creates one whose columns change', async () => {
    const file = writeSeed('lines', 'id,name,capacity\n1,a,10\n2,b,20\n');
    await materialize(await seed(file, 'seeds.lines'));
    const first = await oidOf('seeds.lines');

    writeSeed('lines', 'id,name,capacity\n3,c,30\n');
    await materialize(await seed(file, 'seeds.lines'));
    expect(await oidOf('seeds.lines')).toBe(first);
    expect(await query('select id::int, capacity::int from seeds.lines')).toEqual([{ id: 3, capacity: 30 }]);

    writeSeed('lines', 'id,name,capacity\n3,c,30\n4,d,12.5\n');
    const result = await materialize(await seed(file, 'seeds.lines'));
    expect(result?.metadata?.columns).toMatchObject({ capacity: 'numeric (inferred)' });
    expect(await oidOf('seeds.lines')).not.toBe(first);
    expect(await columnsOf('seeds.lines')).toEqual(['id bigint', 'name text', 'capacity numeric']);
    expect(await query('select capacity::text from seeds.lines order by id')).toEqual([
      { capacity: '30' },
      { capacity: '12.5' },
    ]);
  });

  it('never replaces a table it did not make, and takes along a view a model made on it, naming it', async () => {
    await pool.query('create table seeds.hand_made (id int); insert into seeds.hand_made values (7)');
    const file = writeSeed('hand_made', 'id,name\n1,a\n');
    await expect(materialize(await seed(file, 'seeds.hand_made'))).rejects.toThrow(
      /seeds\.hand_made exists and was not made by Vitrina/,
    );
    expect(await query('select id from seeds.hand_made')).toEqual([{ id: 7 }]);

    const shaped = writeSeed('shaped', 'id\n1\n');
    await materialize(await seed(shaped, 'seeds.shaped'));
    await pool.query(
      "create view seeds.on_shaped as select id from seeds.shaped; comment on view seeds.on_shaped is 'A model. [vitrina 0123456789abcdef]'",
    );
    writeSeed('shaped', 'id,name\n1,a\n');
    const result = await materialize(await seed(shaped, 'seeds.shaped'));
    expect(result?.metadata?.dropped).toBe('seeds.on_shaped');
    expect(await query("select to_regclass('seeds.on_shaped') as view")).toEqual([{ view: null }]);
  });

  it('gives the same data version for the same bytes and another for changed ones', async () => {
    const file = writeSeed('versions', 'id\n1\n');
    const once = await materialize(await seed(file, 'seeds.versions'));
    const again = await materialize(await seed(file, 'seeds.versions'));
    expect(again?.dataVersion).toBe(once?.dataVersion);
    writeSeed('versions', 'id\n2\n');
    const changed = await materialize(await seed(file, 'seeds.versions'));
    expect(changed?.dataVersion).not.toBe(once?.dataVersion);
  });

  it('changes the code version with the file, the sidecar and settings given in code', async () => {
    const file = writeSeed('coded', 'id,name\n1,a\n');
    const original = (await seed(file, 'seeds.coded')).codeVersion;
    expect((await seed(file, 'seeds.coded')).codeVersion).toBe(original);
    writeSeed('coded', 'id,name\n1,b\n');
    const edited = (await seed(file, 'seeds.coded')).codeVersion;
    expect(edited).not.toBe(original);
    writeSeed('coded', 'id,name\n1,b\n', 'columns:\n  id:\n    type: integer\n');
    const withSidecar = await seed(file, 'seeds.coded');
    expect(withSidecar.files).toEqual([file, join(scratch, 'coded.yml')]);
    expect(withSidecar.codeVersion).not.toBe(edited);
    writeSeed('coded', 'id,name\n1,b\n');
    const declaredInCode = await seed(file, 'seeds.coded', { columns: { id: { type: 'integer' } } });
    expect(declaredInCode.codeVersion).not.toBe(edited);
  });
});

describe('a seed that cannot be loaded', () => {
  const table = 'seeds.guarded';
  const file = () => join(scratch, 'guarded.csv');
  const good = 'id,name,capacity\n1,a,10\n2,b,20\n';
  const goodSidecar = 'columns:\n  capacity:\n    type: bigint\n';

  /** Loads the good version, then the bad one, which must fail with `message`, leaving the good rows. */
  async function failsKeepingRows(
    csv: string | Buffer,
    sidecar: string | undefined,
    message: string | RegExp,
  ) {
    writeSeed('guarded', good, goodSidecar);
    await materialize(await seed(file(), table));
    const oid = await oidOf(table);
    writeSeed('guarded', csv, sidecar);
    const bad = await seed(file(), table).catch((error: Error) => error);
    const failure =
      bad instanceof Error
        ? bad
        : await materialize(bad).then(
            () => null,
            (error: Error) => error,
          );
    expect(failure, 'the load should fail').toBeInstanceOf(Error);
    if (typeof message === 'string') expect(failure!.message).toBe(message);
    else expect(failure!.message).toMatch(message);
    expect(await oidOf(table)).toBe(oid);
    expect(await columnsOf(table)).toEqual(['id bigint', 'name text', 'capacity bigint']);
    expect(await query(`select id::int, name, capacity::int from ${table} order by id`)).toEqual([
      { id: 1, name: 'a', capacity: 10 },
      { id: 2, name: 'b', capacity: 20 },
    ]);
  }

  it('fails on an empty file', async () => {
    await failsKeepingRows('', undefined, `${file()}: the seed is empty: the file has not even a header row`);
  });

  it('fails on a header without rows', async () => {
    await failsKeepingRows(
      'id,name,capacity\n',
      undefined,
      `${file()}: the seed is empty: it has a header but no rows`,
    );
  });

  it('fails on a value that does not fit its declared type, naming the line and column', async () => {
    // Line 7: a quoted field spans lines 4-5, so the row's number and its line differ.
    const csv = 'id,name,capacity\n1,a,10\n2,b,20\n3,"two\nlines",30\n4,d,40\n5,e,twelve\n';
    await failsKeepingRows(
      csv,
      goodSidecar,
      `${file()} line 7, column capacity: 'twelve' is not a bigint (declared)`,
    );
  });

  it('translates what PostgreSQL refuses during COPY back to the line of the file', async () => {
    // New columns: the table is re-created inside the transaction, and the failure undoes that too.
    const csv = 'id,ip\n1,10.0.0.1\n2,"10.0.0.2"\n\n3,not-an-ip\n';
    await failsKeepingRows(
      csv,
      'columns:\n  ip:\n    type: inet\n',
      /^.*guarded\.csv line 5, column ip: 'not-an-ip' is not an inet \(declared\): invalid input syntax for type inet/,
    );
  });

  it('fails on a byte the encoding does not define, naming the line and column', async () => {
    const csv = Buffer.concat([
      Buffer.from('id,name,capacity\n1,a,10\n2,b'),
      Buffer.from([0xff]),
      Buffer.from('d,20\n'),
    ]);
    await failsKeepingRows(csv, undefined, `${file()} line 3: byte 0xFF at column 4 is not valid UTF-8`);
  });

  it('fails on a row with too few or too many fields, naming the line', async () => {
    await failsKeepingRows(
      'id,name,capacity\n1,a,10\n2,b\n',
      undefined,
      `${file()} line 3: 2 fields where the header has 3`,
    );
    await failsKeepingRows(
      'id,name,capacity\n1,a,10\n2,"b,c",20\n3,d,30,40\n',
      undefined,
      `${file()} line 4: 4 fields where the header has 3`,
    );
  });

  it('fails on column names that are not lower-case identifiers', async () => {
    await failsKeepingRows(
      'id,Name,2nd,\n1,a,b,c\n',
      undefined,
      `${file()} line 1: column names must be lower-case identifiers (a-z, 0-9 and _, not starting with a digit, at most 63 characters): "Name", "2nd", column 4 has no name`,
    );
  });

  it('fails on a declared type PostgreSQL does not know, naming the column', async () => {
    await failsKeepingRows(
      good,
      'columns:\n  capacity:\n    type: bigintt\n',
      `${file()}: column capacity: PostgreSQL does not accept the type bigintt (declared): type "bigintt" does not exist`,
    );
  });

  it('fails, rather than drops it, when a view Vitrina did not make depends on a table whose columns change', async () => {
    writeSeed('guarded', good, goodSidecar);
    await materialize(await seed(file(), table));
    await pool.query(`create view seeds.guarded_names as select name from ${table}`);
    try {
      await failsKeepingRows(
        'id,name,capacity\n1,a,1.5\n',
        undefined,
        /guarded\.csv: its columns changed: "seeds"\."guarded" must be created again in a new shape, but seeds\.guarded_names \(not made by Vitrina\) reads it/,
      );
    } finally {
      await pool.query('drop view seeds.guarded_names');
    }
  });
});

it('shows a seed outside the working directory by its whole path', async () => {
  const copy = join(scratch, 'copied.csv');
  copyFileSync(join(fixtures, 'stations.csv'), copy);
  expect((await materialize(await seed(copy, 'seeds.copied')))?.metadata?.file).toBe(copy);
});
