/**
 * The rows the sample company writes, typed by the contract's column names (schema/*.sql), and the
 * shape of one day's increment that the writers consume. Timestamps are local Minsk wall-clock
 * strings 'YYYY-MM-DD HH:MM:SS'; money is a number with at most two decimals.
 */
export type SqlValue = string | number | boolean | null;
export type System = 'crm' | 'payments' | 'registry';

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
export type WriteMode =
  | { kind: 'upsert'; key: readonly string[] }
  | { kind: 'append'; replace: { column: string; from: SqlValue; to: SqlValue } }
  | { kind: 'update'; key: readonly string[] };

export interface TableIncrement<Row = Record<string, SqlValue>> {
  system: System;
  /** Schema-qualified as the writers address it: 'b_crm_deal', 'core.transactions', 'REGISTRY.USER_PROFILES'. */
  table: string;
  columns: readonly (keyof Row & string)[];
  mode: WriteMode;
  rows: () => Iterable<Generated<Row>>;
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

/** Builds a table increment with its row type checked against its columns. */
export function tableIncrement<Row>(increment: TableIncrement<Row>): TableIncrement {
  return increment as unknown as TableIncrement;
}
