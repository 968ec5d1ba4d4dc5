import { type Asset, daily, defineAsset, type MaterializeContext, partitionDateSchema } from '@vitrina/core';
import { type ClickHouse, checkIdentifier, transferPartitions } from '@vitrina/io';
import type pg from 'pg';
import { martDdl, martSource } from '../sql.ts';
import { ddlColumns } from './ddlColumns.ts';
import { ensureMartTable, martColumns, reconciliationDdl, schemaVersionsDdl } from './martTable.ts';
import { reconcile } from './reconcile.ts';

/** What a mart asset reaches: the warehouse it reads and the ClickHouse it writes. */
export interface MartResources {
  warehouse: pg.Pool;
  clickhouse: ClickHouse;
}

export interface MartSpec {
  /**
   * The mart's table in the ClickHouse database (`mart` by default) and the stem of its SQL:
   * `sql/clickhouse/<name>.sql` (the DDL) and `sql/postgres/marts/<name>.sql` (the PostgreSQL query shaping it,
   * its columns named and ordered as the table's).
   */
  name: string;
  description: string;
  /**
   * `daily`: partitioned by `day`, one asset partition per day, the source reads `$1` = the day;
   * `whole`: no partition key (`PARTITION BY tuple()`), rebuilt and swapped in whole.
   */
  grain: 'daily' | 'whole';
  /**
   * The assets the source query reads. Every bi asset is daily (a dimension's day is its state as
   * loaded by that day), so a daily mart reads the same day of each; a whole mart reads them all.
   */
  reads: readonly string[];
  /** Columns whose sums the reconciliation compares, besides the row count. */
  sums: readonly string[];
}

/** The source query with its day as a literal: COPY takes no parameters, so the day is validated first. */
export function sourceForDay(source: string, day: string): string {
  return source.replace(/\$1\b/g, `'${partitionDateSchema.parse(day)}'`);
}

/**
 * One ClickHouse mart as an asset: its table made sure of, each partition streamed from PostgreSQL
 * into a staging table and swapped in (`transferPartitions`; a backfill moves up to 31 days a
 * step, in one query), the partition's columns checked
 * against the source query, and an `error` check reconciling row counts and sums with PostgreSQL.
 */
export function transferredMart(spec: MartSpec, start: string): Asset<MartResources> {
  const name = checkIdentifier(spec.name);
  const key = `mart.${name}`;
  const ddl = martDdl(name);
  const source = martSource(name);
  const dayOf = (partition: string) => (spec.grain === 'daily' ? partitionDateSchema.parse(partition) : null);

  const materialize = async ({
    resources,
    partition,
    partitions = [partition],
    signal,
  }: MaterializeContext<MartResources>) => {
    const { clickhouse, warehouse } = resources;
    await ensureMartTable(clickhouse, warehouse, name, ddl);
    const days = spec.grain === 'daily' ? partitions.map((day) => partitionDateSchema.parse(day)) : [null];
    // A range of days moves in one query: the day's query once per day, their rows in one stream.
    const query = days
      .map((day) => (day === null ? source : `(\n${sourceForDay(source, day)}\n)`))
      .join('\nunion all\n');
    const columns = await martColumns(clickhouse, name);
    await expectColumns(warehouse, query, columns, key);
    const { rows } = await transferPartitions(clickhouse, warehouse, {
      query,
      table: clickhouse.qualify(name),
      columns,
      partitions: days,
      // One name per first partition, not per run: the lease lets one run at a time write a
      // partition, and the next run of it drops what a killed one left.
      tag: days[0] ?? 'whole',
      signal,
    });
    const table = clickhouse.qualify(name);
    const byPartition = Object.fromEntries(
      days.map((day, index) => [
        day ?? '',
        { rows: rows[index]!, metadata: { table, partition: day ?? 'whole' } },
      ]),
    );
    return {
      rows: rows.reduce((sum, count) => sum + count, 0),
      metadata: { table, partition: days.at(-1) ?? 'whole' },
      byPartition,
    };
  };

  return defineAsset<MartResources>({
    key,
    description: spec.description,
    group: 'marts',
    owner: 'analytics',
    storage: 'clickhouse',
    columns: ddlColumns(ddl),
    ...(spec.grain === 'daily'
      ? { partitions: daily(start, 'Europe/Minsk'), backfill: { kind: 'range' as const, maxPartitions: 31 } }
      : {}),
    deps: [...spec.reads],
    pool: 'transfer',
    retry: { maxRetries: 2, initialDelayMs: 1000 },
    sql: [ddl, source, reconciliationDdl, schemaVersionsDdl],
    checks: [
      {
        name: 'reconciled_with_postgres',
        severity: 'error',
        description: 'Row count and sums of the partition written equal those of its PostgreSQL source.',
        run: ({ resources, partition, runId }) =>
          reconcile(resources.warehouse, resources.clickhouse, {
            asset: key,
            table: name,
            source,
            sums: spec.sums,
            day: dayOf(partition),
            runId,
          }),
      },
    ],
    materialize,
  });
}

/** Fails with both lists when the source query's columns are not the mart's, in order. */
async function expectColumns(warehouse: pg.Pool, query: string, columns: string[], key: string) {
  const { fields } = await warehouse.query(`select * from (${query}) as mart_rows limit 0`);
  const selected = fields.map((field) => field.name);
  if (selected.join(',') !== columns.join(',')) {
    throw new Error(
      `${key}: the source query selects (${selected.join(', ')}) but the mart's columns are (${columns.join(', ')})`,
    );
  }
}
