import { tempDatabase } from '@vitrina/core/testing';
import { ensureTable } from '@vitrina/io';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Column, ColumnType } from '../../src/stage/columns.ts';
import { validatedStageTables } from '../../src/stage/index.ts';

/**
 * What passes validation fits: every validated stage table is created from its DDL in a real
 * PostgreSQL, its columns as PostgreSQL has them are compared with the kinds its rows are validated
 * as, and values at and beyond the edges of each column's type are put to both — a value the row
 * schema accepts must be taken by PostgreSQL exactly as it is. PostgreSQL, not the code under test,
 * says what fits.
 */
let db: Awaited<ReturnType<typeof tempDatabase>>;
let pool: pg.Pool;
const tables = validatedStageTables();

beforeAll(async () => {
  db = await tempDatabase('vitrina_columns');
  pool = new pg.Pool({ connectionString: db.url });
  await pool.query('create schema stage');
  for (const table of tables) await ensureTable(pool, table.key, table.ddl);
}, 60_000);
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** The column's type as PostgreSQL's format_type writes it, for each declared kind. */
function formatType(type: ColumnType): string {
  switch (type.kind) {
    case 'integer':
      return type.bytes === 4 ? 'integer' : 'bigint';
    case 'numeric':
      return `numeric(${type.precision},${type.scale})`;
    case 'timestamp':
      return 'timestamp without time zone';
    case 'timestamptz':
      return 'timestamp with time zone';
    default:
      return type.kind;
  }
}

async function catalog(table: string): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ name: string; type: string }>(
    `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
     where attrelid = $1::regclass and attnum > 0 and not attisdropped`,
    [table],
  );
  return new Map(rows.map((row) => [row.name, row.type]));
}

const nines = (n: number) => '9'.repeat(n);

/** Values at and just beyond the edges of a PostgreSQL type, as a source could deliver them. */
function probes(type: string): string[] {
  const numeric = /^numeric\((\d+),(\d+)\)$/.exec(type);
  if (numeric) {
    const [precision, scale] = [Number(numeric[1]), Number(numeric[2])];
    const max = `${nines(precision - scale)}.${nines(scale)}`;
    return [max, `-${max}`, `1${'0'.repeat(precision - scale)}`, `0.${'0'.repeat(scale)}1`, '1', '0', '1e3'];
  }
  switch (type) {
    case 'integer':
      return ['2147483647', '-2147483648', '2147483648', '-2147483649', '0', '1', '1.5'];
    case 'bigint':
      return [
        '9223372036854775807',
        '-9223372036854775808',
        '9223372036854775808',
        '-9223372036854775809',
        '1',
      ];
    case 'timestamp without time zone':
      return [
        '2024-02-29 23:59:59',
        '2026-10-01T08:00:00.123456',
        '2026-02-30 10:00:00',
        '2026-01-01 25:00:00',
        '2026-01-01 23:60:00',
        '0000-01-01 00:00:00',
      ];
    case 'timestamp with time zone':
      return [
        '2024-02-29T23:59:59.999+03:00',
        '2026-10-01T08:00:00Z',
        '2026-02-30T10:00:00+03:00',
        '2026-01-01T25:00:00+03:00',
        '2026-01-01T10:00:00+16:00',
      ];
    case 'date':
      return ['2024-02-29', '2026-10-01', '2026-02-29', '2026-13-01', '0000-01-01'];
    case 'text':
      return ['Минск', 'a\u0000b'];
    case 'boolean':
      return ['t', 'f', 'maybe'];
    default:
      throw new Error(`no probes for ${type}`);
  }
}

/** Whether PostgreSQL takes the value into the type unchanged (a numeric not rounded). */
async function fits(value: string, type: string): Promise<boolean> {
  const exact = type.startsWith('numeric')
    ? `$1::text::${type} = $1::text::numeric`
    : `$1::text::${type} is not null`;
  return pool.query<{ ok: boolean }>(`select ${exact} as ok`, [value]).then(
    ({ rows }) => rows[0]!.ok,
    () => false,
  );
}

const accepted = (column: Column, value: string) => {
  const parsed = column.parse(value);
  return typeof parsed === 'object' && parsed !== null && 'rejected' in parsed ? null : parsed;
};

describe('stage columns', () => {
  it.each(tables.map((table) => [table.key, table] as const))(
    '%s: the DDL declares exactly the validated columns, with their kinds',
    async (key, table) => {
      const types = await catalog(key);
      const declared = [...Object.keys(table.columns), ...(table.unvalidated ?? [])].sort();
      expect([...types.keys()].sort()).toEqual(declared);
      for (const [name, column] of Object.entries(table.columns)) {
        expect(types.get(name), `${key}.${name}`).toBe(formatType(column.type));
      }
    },
  );

  it.each(tables.map((table) => [table.key, table] as const))(
    '%s: every value its rows accept fits its column exactly, and what does not fit is refused',
    async (key, table) => {
      const types = await catalog(key);
      for (const [name, column] of Object.entries(table.columns)) {
        const type = types.get(name)!;
        let acceptedAny = false;
        for (const probe of probes(type)) {
          const parsed = accepted(column, probe);
          const where = `${key}.${name} = ${JSON.stringify(probe)}`;
          if (parsed === null) continue;
          acceptedAny = true;
          expect(await fits(String(parsed), type), `${where} was accepted as ${String(parsed)}`).toBe(true);
        }
        // Text columns may allow only some values (codes, patterns); every other kind takes a plain value.
        if (type !== 'text') expect(acceptedAny, `${key}.${name} accepts none of ${probes(type)}`).toBe(true);
        expect(accepted(column, 'a\u0000b'), `${key}.${name} takes NUL`).toBeNull();
      }
    },
  );

  it('refuses a JS number that has already lost digits, and one in exponent notation', () => {
    const payments = tables.find((table) => table.key === 'stage.payments')!.columns;
    expect(payments.transaction_id!.parse('9007199254740994')).toBe('9007199254740994'); // as text it is exact
    expect(payments.transaction_id!.parse(2 ** 53 + 2)).toHaveProperty('rejected');
    expect(payments.amount!.parse(1e21)).toHaveProperty('rejected');
    expect(payments.amount!.parse(12.5)).toBe('12.5');
  });

  it('holds text to the length a downstream column declares (dimension.users.gender char(1))', () => {
    const gender = tables.find((table) => table.key === 'stage.user_profiles')!.columns.gender!;
    expect(gender.parse('Ж')).toBe('Ж');
    expect(gender.parse('Male')).toHaveProperty('rejected');
  });
});
