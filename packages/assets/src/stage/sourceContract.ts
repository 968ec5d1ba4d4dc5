import { type TableColumns, tableOf } from '@vitrina/sample-company/contracts';
import type { Column } from './columns.ts';
import type { DatabaseTableSpec } from './table.ts';

/**
 * A stage table's column map held to the source's contract: the stage decides each column's type
 * and validation, the contract its name and place. Throws, naming the table, when the map misses a
 * contract column or has one the contract lacks; returns the map in the contract's order. A stage
 * table reading only some columns passes a `select` of them.
 */
export function sourceColumns<Name extends string>(
  contract: TableColumns<Name>,
  columns: Record<NoInfer<Name>, Column>,
): Record<Name, Column> {
  const given: readonly string[] = Object.keys(columns);
  const missing = contract.columns.filter((name) => !given.includes(name));
  const unknown = given.filter((name) => !contract.columns.includes(name as Name));
  if (missing.length > 0 || unknown.length > 0) {
    const table = tableOf(contract);
    const which = 'from' in contract ? 'the selected columns of ' : '';
    const problems = [
      ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
      ...(unknown.length > 0 ? [`not in the source: ${unknown.join(', ')}`] : []),
    ];
    throw new Error(
      `stage columns of ${table.system} ${table.table} differ from ${which}its contract: ${problems.join('; ')}`,
    );
  }
  return Object.fromEntries(contract.columns.map((name) => [name, columns[name]])) as Record<Name, Column>;
}

/** The `system`, `table` and `columns` of a stage table's spec, all from the source's contract. */
export function sourceTable<Name extends string>(
  contract: TableColumns<Name>,
  columns: Record<NoInfer<Name>, Column>,
): Pick<DatabaseTableSpec, 'system' | 'table' | 'columns'> {
  const { system, table } = tableOf(contract);
  return { system, table, columns: sourceColumns(contract, columns) };
}
