import { type ColumnOf, type System, type TableColumns, tableOf } from './contracts.ts';

/**
 * The rows the sample company writes, typed by the contract's column names (contracts.ts), and the
 * shape of one day's increment that the writers consume. Timestamps are local Minsk wall-clock
 * strings 'YYYY-MM-DD HH:MM:SS'; money is a number with at most two decimals.
 */
export type SqlValue = string | number | boolean | null;
export type { System };

/** Non-critical bad rows (quarantined by validation) and critical ones (stop the pipeline). */
export const badKinds = [
  'negative_amount',
  'malformed_currency',
  'null_merchant_id',
  'null_user_id',
  'duplicate_row',
  'wrong_field_count',
  'non_numeric_amount',
  'bad_date',
  'broken_event_line',
  'text_in_number_cell',
] as const;
export const criticalKinds = [
  'duplicate_id_different_amount',
  'currency_without_rate',
  'commission_exceeds_amount',
] as const;
export type BadKind = (typeof badKinds)[number];
export type CriticalKind = (typeof criticalKinds)[number];
export type InjectedKind = BadKind | CriticalKind;

export interface Generated<Row> {
  row: Row;
  /** 'noise' is a line that is not a record (a log's [http] lines). */
  change: 'insert' | 'update' | 'noise';
  bad?: InjectedKind;
}

/**
 * How a table's increment replaces what an earlier seed of the same day wrote: upsert by the
 * primary key; or delete the day's rows (by a column range) then append; or update some columns of
 * existing rows by key.
 */
export type WriteMode<Column extends string = string> =
  | { kind: 'upsert'; key: readonly Column[] }
  | { kind: 'append'; replace: { column: Column; from: SqlValue; to: SqlValue } }
  | { kind: 'update'; key: readonly Column[] };

export interface TableIncrement {
  system: System;
  /** Schema-qualified as the writers address it: 'b_crm_deal', 'core.transactions', 'REGISTRY.USER_PROFILES'. */
  table: string;
  /** The contract's columns (contracts.ts), in its order: the order the writers write them in. */
  columns: readonly string[];
  mode: WriteMode;
  rows: () => Iterable<Generated<Record<string, SqlValue>>>;
}

interface TextFile {
  path: string;
  header: string | null;
  lines: () => Iterable<Generated<string>>;
}

export type FileIncrement =
  | (TextFile & { kind: 'csv' })
  | (TextFile & { kind: 'log' })
  | {
      kind: 'xlsx';
      path: string;
      header: readonly string[];
      rows: () => Iterable<Generated<ReadonlyArray<string | number | Date>>>;
    }
  | { kind: 'docx'; path: string; paragraphs: readonly string[] };

export interface Fixture {
  /** Relative to the replay fixtures folder: 'nbrb/rates-2026-11-03.json', 'yandex/<sha1>.json'. */
  path: string;
  body: unknown;
}

export interface DayIncrement {
  /** The day, or 'snapshot' for the company's state before the first seeded day. */
  day: string;
  tables: TableIncrement[];
  files: FileIncrement[];
  fixtures: () => Iterable<Fixture>;
}

/** A row of a contract table (or of a selection of its columns): every column, nothing else. */
export type RowOf<Table extends TableColumns> = Record<ColumnOf<Table>, SqlValue>;

/** A row type with exactly these columns: a field the contract lacks would never be written. */
type Exactly<Row, Column extends string> = Row &
  Record<Column, SqlValue> &
  Record<Exclude<keyof Row, Column>, never>;

/**
 * A table's increment, its system, name and columns the contract's; `'upsert'` upserts by the
 * table's primary key.
 */
export function tableIncrement<Table extends TableColumns, Row>(
  columns: Table,
  mode: Table extends { key: readonly string[] }
    ? WriteMode<ColumnOf<Table>> | 'upsert'
    : WriteMode<ColumnOf<Table>>,
  rows: () => Iterable<Generated<Exactly<Row, ColumnOf<Table>>>>,
): TableIncrement {
  const table = tableOf(columns);
  if (mode === 'upsert' && !table.key) throw new Error(`${table.table} has no primary key to upsert by`);
  return {
    system: table.system,
    table: table.table,
    columns: columns.columns,
    mode: mode === 'upsert' ? { kind: 'upsert', key: table.key! } : mode,
    rows: rows as () => Iterable<Generated<Record<string, SqlValue>>>,
  };
}
