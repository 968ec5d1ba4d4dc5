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
}

export interface QuarantineScope {
  source: string;
  asset: string;
  partition: string;
  runId: string;
}

/** Replaces the quarantined rows of one asset partition (inside the caller's transaction). */
export async function replaceQuarantine(
  client: pg.ClientBase,
  scope: QuarantineScope,
  rows: readonly QuarantinedRow[],
): Promise<void> {
  await client.query(`delete from ${QUARANTINE_TABLE} where asset = $1 and partition = $2`, [
    scope.asset,
    scope.partition,
  ]);
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const values: unknown[] = [];
    const tuples = chunk.map((row, index) => {
      values.push(row.reason, JSON.stringify(row.raw ?? null));
      return `($1, $2, $3, $4, $${5 + index * 2}, $${6 + index * 2}::jsonb)`;
    });
    await client.query(
      `insert into ${QUARANTINE_TABLE} (source, asset, partition, run_id, reason, raw) values ${tuples.join(', ')}`,
      [scope.source, scope.asset, scope.partition, scope.runId, ...values],
    );
  }
}
