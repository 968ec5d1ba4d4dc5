import type { CheckResult } from '@vitrina/core';
import { type ClickHouse, checkIdentifier, encodeCopyLine } from '@vitrina/io';
import type pg from 'pg';
import { z } from 'zod';

export interface Reconciliation {
  asset: string;
  /** The mart's table in the ClickHouse client's database. */
  table: string;
  /** The PostgreSQL query that shapes the mart; `$1` is the day for a daily mart. */
  source: string;
  /** Columns whose sums must agree besides the row count: the money, and counts a mart aggregates. */
  sums: readonly string[];
  /** The day written, or null for a mart replaced whole. */
  day: string | null;
  runId: string;
}

export interface Measure {
  measure: string;
  postgres: string;
  clickhouse: string;
  passed: boolean;
}

const totals = z.record(z.string(), z.string().nullable());

/** A decimal as text without trailing zeros, so PostgreSQL's `12.50` and ClickHouse's `12.5` agree. */
export function canonicalDecimal(text: string | null): string {
  const value = (text ?? '0').trim();
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw new Error(`not a decimal: ${JSON.stringify(text)}`);
  const [whole = '0', fraction = ''] = value.replace(/^-/, '').split('.');
  const integer = whole.replace(/^0+(?=\d)/, '');
  const decimals = fraction.replace(/0+$/, '');
  const unsigned = decimals ? `${integer}.${decimals}` : integer;
  return value.startsWith('-') && unsigned !== '0' ? `-${unsigned}` : unsigned;
}

/**
 * Counts the rows and sums the columns of one mart partition on both sides — PostgreSQL over the
 * mart's own source query, ClickHouse over what the partition holds — and records every measure
 * in the mart database's `reconciliation` table, which the data-quality dashboard reads.
 */
export async function reconcile(
  warehouse: pg.Pool,
  clickhouse: ClickHouse,
  spec: Reconciliation,
): Promise<CheckResult> {
  const sums = spec.sums.map(checkIdentifier);
  const table = clickhouse.qualify(spec.table);
  // Aliased apart from the columns: a mart may have a column named `rows`.
  const postgresQuery = `select count(*)::text as count_rows${sums.map((c) => `, sum(${c})::text as sum_${c}`).join('')}
    from (${spec.source}) as mart_rows`;
  const { rows } = await warehouse.query(postgresQuery, spec.day === null ? [] : [spec.day]);
  const postgres = totals.parse(rows[0]);
  const where = spec.day === null ? '' : ` WHERE day = '${z.iso.date().parse(spec.day)}'`;
  const [mart] = z
    .array(totals)
    .parse(
      await clickhouse.rows(
        `SELECT toString(count()) AS count_rows${sums.map((c) => `, toString(sum(${c})) AS sum_${c}`).join('')} FROM ${table}${where}`,
      ),
    );
  const measures: Measure[] = [
    { measure: 'rows', alias: 'count_rows' },
    ...sums.map((column) => ({ measure: column, alias: `sum_${column}` })),
  ].map(({ measure, alias }) => {
    const left = canonicalDecimal(postgres[alias] ?? null);
    const right = canonicalDecimal(mart?.[alias] ?? null);
    return { measure, postgres: left, clickhouse: right, passed: left === right };
  });
  await clickhouse.insert(
    clickhouse.qualify('reconciliation'),
    ['run_id', 'asset', 'partition', 'measure', 'postgres', 'clickhouse', 'passed'],
    measures
      .map((m) =>
        encodeCopyLine([
          spec.runId,
          spec.asset,
          spec.day ?? '',
          m.measure,
          m.postgres,
          m.clickhouse,
          m.passed ? 1 : 0,
        ]),
      )
      .join(''),
  );
  const failed = measures.filter((m) => !m.passed);
  return {
    passed: failed.length === 0,
    ...(failed.length > 0
      ? {
          message: `${spec.asset}${spec.day ? ` ${spec.day}` : ''} differs from PostgreSQL: ${failed
            .map((m) => `${m.measure} ${m.clickhouse} in ClickHouse, ${m.postgres} in PostgreSQL`)
            .join('; ')}`,
        }
      : {}),
    metadata: Object.fromEntries(measures.map((m) => [m.measure, m.clickhouse])),
  };
}
