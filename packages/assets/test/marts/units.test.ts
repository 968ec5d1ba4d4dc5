import { describe, expect, it } from 'vitest';
import { ddlColumns } from '../../src/marts/ddlColumns.ts';
import { canonicalDecimal } from '../../src/marts/reconcile.ts';
import { sourceForDay } from '../../src/marts/transferredMart.ts';

describe('canonicalDecimal', () => {
  it("makes PostgreSQL's and ClickHouse's prints of one number equal", () => {
    expect(canonicalDecimal('12.50')).toBe('12.5');
    expect(canonicalDecimal('12.5')).toBe('12.5');
    expect(canonicalDecimal('0012.00')).toBe('12');
    expect(canonicalDecimal('-0.00')).toBe('0');
    expect(canonicalDecimal('-3.10')).toBe('-3.1');
    expect(canonicalDecimal(null)).toBe('0'); // sum over no rows
  });

  it('refuses what is not a decimal rather than calling it equal', () => {
    expect(() => canonicalDecimal('1e3')).toThrow(/not a decimal/);
    expect(() => canonicalDecimal('NaN')).toThrow(/not a decimal/);
  });
});

describe('sourceForDay', () => {
  it('inlines the day for every $1 and leaves $10 alone', () => {
    expect(sourceForDay('select $1::date where day = $1 and x = $10', '2026-10-01')).toBe(
      "select '2026-10-01'::date where day = '2026-10-01' and x = $10",
    );
  });

  it('refuses a partition that is not a calendar day', () => {
    expect(() => sourceForDay('where day = $1', "2026-10-01' or true --")).toThrow();
    expect(() => sourceForDay('where day = $1', '2026-02-30')).toThrow(/calendar/);
  });
});

describe('ddlColumns', () => {
  it("reads a mart's columns and types from its DDL: nested types, defaults and comments aside", () => {
    const ddl = `-- payments (a comment, with (parentheses), and commas)
      CREATE TABLE IF NOT EXISTS payments (
        day Date, -- the day
        amount Decimal(14, 2),
        legal_client_id Nullable(UInt32),
        checked_at DateTime DEFAULT now(),
        tags Array(Tuple(String, UInt8)) CODEC(ZSTD(1))
      ) ENGINE = MergeTree() PARTITION BY day ORDER BY (day, amount)`;
    expect(ddlColumns(ddl)).toEqual([
      { name: 'day', type: 'Date' },
      { name: 'amount', type: 'Decimal(14, 2)' },
      { name: 'legal_client_id', type: 'Nullable(UInt32)' },
      { name: 'checked_at', type: 'DateTime' },
      { name: 'tags', type: 'Array(Tuple(String, UInt8))' },
    ]);
  });

  it('refuses a text with no CREATE TABLE', () => {
    expect(() => ddlColumns('SELECT 1')).toThrow(/no CREATE TABLE/);
  });
});
