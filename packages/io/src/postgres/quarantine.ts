import type pg from 'pg';

/** Where rows that fail validation go, in the warehouse, with why and the raw row. */
export const QUARANTINE_TABLE = 'quarantine.rows';

export const quarantineDdl = `
create schema if not exists quarantine;
create table if not exists quarantine.rows (
  id bigserial primary key,
  source text not null,
  asset text not null,
  partition text not null,
  run_id text not null,
  reason text not null,
  raw jsonb not null,
  quarantined_at timestamptz not null default now()
);
create index if not exists rows_asset_partition on quarantine.rows (asset, partition);`;

export interface QuarantinedRow {
  reason: string;
  raw: unknown;
  /** The partition the row belongs to, when it can be told; otherwise the scope's. */
  partition?: string;
}

export interface QuarantineScope {
  source: string;
  asset: string;
  /** The partition loaded (or the first of a range); '' for an unpartitioned asset. */
  partition: string;
  /** The last partition of a range loaded at once (a lookback), when there is one. */
  through?: string;
  runId: string;
}

/**
 * Replaces the quarantined rows of the partitions a load wrote (inside the caller's transaction),
 * so a re-run leaves exactly the rows its own load rejected.
 */
export async function replaceQuarantine(
  client: pg.ClientBase,
  scope: QuarantineScope,
  rows: readonly QuarantinedRow[],
): Promise<void> {
  await client.query(`delete from ${QUARANTINE_TABLE} where asset = $1 and partition between $2 and $3`, [
    scope.asset,
    scope.partition,
    scope.through ?? scope.partition,
  ]);
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const values: unknown[] = [];
    const tuples = chunk.map((row, index) => {
      values.push(row.partition ?? scope.partition, row.reason, JSON.stringify(row.raw ?? null));
      const at = 4 + index * 3;
      return `($1, $2, $${at}, $3, $${at + 1}, $${at + 2}::jsonb)`;
    });
    await client.query(
      `insert into ${QUARANTINE_TABLE} (source, asset, partition, run_id, reason, raw) values ${tuples.join(', ')}`,
      [scope.source, scope.asset, scope.runId, ...values],
    );
  }
}
