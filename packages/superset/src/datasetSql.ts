import type { DatasetColumn, DatasetSource, Labels } from './schema.ts';

/*
 * Every dataset is a virtual dataset over its mart table, so that what a person reads is decided in
 * one place, not per chart:
 * - a column with a label set shows its Russian label (labels.yaml) under its own name and keeps the
 *   code as `<name>_code`, which chart filters use;
 * - a dataset with a time column gets `period_complete_week` and `period_complete_month`: 1 when the
 *   row's week (Monday to Sunday) or month lies wholly between the oldest day of the time column and
 *   the newest day of the data (the time column's, or `data_through`'s), so time series over the
 *   time column end at the last complete period (the builder filters on them);
 * - a column with an `expression` is computed from the table's columns (e.g. a cohort's label).
 */

export const COMPLETE_COLUMN = { P1W: 'period_complete_week', P1M: 'period_complete_month' } as const;
export type CompleteGrain = keyof typeof COMPLETE_COLUMN;

export const codeColumn = (name: string) => `${name}_code`;

/** The columns Superset sees: the declared ones, the codes of labelled ones, the period flags. */
export function exposedColumns(dataset: DatasetSource): string[] {
  return [
    ...dataset.columns.map((column) => column.name),
    ...dataset.columns.filter((column) => column.labels).map((column) => codeColumn(column.name)),
    ...(dataset.time_column ? Object.values(COMPLETE_COLUMN) : []),
  ];
}

const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const identifier = (name: string) => `\`${name}\``;

/** The column as shown: a labelled one's label, computed from its code (renamed in the inner query). */
function shown(column: DatasetColumn, labels: Labels): string[] {
  const name = identifier(column.name);
  if (!column.labels) return [name];
  const set = Object.entries(labels[column.labels] ?? {});
  const code = identifier(codeColumn(column.name));
  const codes = `[${set.map(([from]) => quote(from)).join(', ')}]`;
  const names = `[${set.map(([, to]) => quote(to)).join(', ')}]`;
  return [`transform(toString(${code}), ${codes}, ${names}, toString(${code})) AS ${name}`, code];
}

function periodFlags(dataset: DatasetSource, from: string): string[] {
  if (!dataset.time_column) return [];
  const day = `toDate(${identifier(dataset.time_column)})`;
  const first = `(SELECT min(${day}) FROM ${from})`;
  const through = dataset.data_through ? `toDate(${identifier(dataset.data_through)})` : day;
  const last = `(SELECT max(${through}) FROM ${from})`;
  const week = `toMonday(${day})`;
  const month = `toStartOfMonth(${day})`;
  // ifNull: a current ClickHouse types a comparison with a scalar subquery Nullable; 18.16 does not.
  return [
    `ifNull(toUInt8(${week} >= ${first} AND addDays(${week}, 6) <= ${last}), 0) AS ${COMPLETE_COLUMN.P1W}`,
    `ifNull(toUInt8(${month} >= ${first} AND addDays(addMonths(${month}, 1), -1) <= ${last}), 0) AS ${COMPLETE_COLUMN.P1M}`,
  ];
}

/**
 * The SQL of the virtual dataset over the dataset's table (or its own `sql`). Codes are renamed in an
 * inner query: in ClickHouse an alias shadows the column of the same name in its whole SELECT.
 */
export function datasetSql(dataset: DatasetSource, labels: Labels): string {
  const table = dataset.sql ? `(${dataset.sql})` : identifier(dataset.table);
  const computed = dataset.columns
    .filter((column) => column.expression)
    .map((column) => `, ${column.expression} AS ${identifier(column.name)}`)
    .join('');
  const codes = dataset.columns
    .filter((column) => column.labels)
    .map((column) => `, ${identifier(column.name)} AS ${identifier(codeColumn(column.name))}`)
    .join('');
  const columns = [
    ...dataset.columns.flatMap((column) => shown(column, labels)),
    ...periodFlags(dataset, table),
  ];
  const inner = computed ? `(SELECT *${computed} FROM ${table})` : table;
  return `SELECT\n  ${columns.join(',\n  ')}\nFROM (SELECT *${codes} FROM ${inner})`;
}

/** The Superset dataset's columns: name, type, label and whether it is the time axis. */
export function datasetColumns(dataset: DatasetSource): DatasetColumn[] {
  return [
    ...dataset.columns.map((column) => (column.labels ? { ...column, type: 'String' } : column)),
    ...dataset.columns
      .filter((column) => column.labels)
      .map((column) => ({
        ...column,
        name: codeColumn(column.name),
        label: `${column.label} (код)`,
        labels: undefined,
      })),
    ...(dataset.time_column
      ? [
          { name: COMPLETE_COLUMN.P1W, type: 'UInt8', label: 'Неделя полная', temporal: false },
          { name: COMPLETE_COLUMN.P1M, type: 'UInt8', label: 'Месяц полный', temporal: false },
        ]
      : []),
  ];
}
