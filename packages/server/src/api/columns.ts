import type { AssetGraph } from '@vitrina/core';
import type { z } from 'zod';
import type { assetColumnsSchema } from './schemas.ts';
import type { TableColumn } from './warehouse.ts';

export type AssetColumns = z.infer<typeof assetColumnsSchema>;

/**
 * An asset's columns as the API answers them: the table's (in table order) merged with the declared
 * ones by name, then the declared columns the table lacks. The database decides the type; the
 * declaration decides the description, over the column's comment.
 */
export function mergeColumns(
  graph: AssetGraph,
  key: string,
  table: readonly TableColumn[] | null,
): AssetColumns['columns'] {
  const declared = new Map(graph.get(key).columns.map((column) => [column.name, column]));
  const readBy = (name: string) => [...graph.downstreamColumns(key, name)];
  const inTable = new Set((table ?? []).map((column) => column.name));
  return [
    ...(table ?? []).map((column) => {
      const doc = declared.get(column.name);
      return {
        name: column.name,
        type: column.type,
        nullable: column.nullable,
        description: doc?.description ?? column.comment,
        from: doc?.from ?? [],
        readBy: readBy(column.name),
        source: doc ? ('both' as const) : ('database' as const),
        missing: false,
      };
    }),
    ...[...declared.values()]
      .filter((column) => !inTable.has(column.name))
      .map((column) => ({
        name: column.name,
        type: column.type ?? null,
        nullable: null,
        description: column.description ?? null,
        from: column.from,
        readBy: readBy(column.name),
        source: 'declared' as const,
        missing: table !== null,
      })),
  ];
}
