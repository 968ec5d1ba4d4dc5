import type pg from 'pg';

/** Where a case's previous rows are: a stage table's rows of one partition, and its quarantine. */
export interface Scope {
  table: string;
  /** The rows of the partition: an SQL condition on the table, `$1` standing for `key`. */
  where: string;
  key: string;
  /** The asset and partition its quarantined rows are filed under; null: no quarantine (geocodes). */
  quarantine: { asset: string; partition: string } | null;
}

/** What a partition holds: its rows, their checksum, how many hold U+FFFD, and its quarantine. */
export interface Snapshot {
  rows: number;
  checksum: string;
  /** Rows with U+FFFD in any value: what a decoder leaves where bytes were lost. */
  replaced: number;
  quarantined: number;
}

export async function snapshot(db: pg.Pool, scope: Scope): Promise<Snapshot> {
  const params = scope.where.includes('$1') ? [scope.key] : [];
  const { rows } = await db.query<{ rows: number; checksum: string | null; replaced: number }>(
    `select count(*)::int as rows, md5(string_agg(t::text, e'\\n' order by t::text)) as checksum,
       (count(*) filter (where strpos(t::text, chr(65533)) > 0))::int as replaced
     from ${scope.table} t where ${scope.where}`,
    params,
  );
  let quarantined = 0;
  if (scope.quarantine) {
    const { rows: counted } = await db.query<{ n: number }>(
      'select count(*)::int as n from quarantine.rows where asset = $1 and partition = $2',
      [scope.quarantine.asset, scope.quarantine.partition],
    );
    quarantined = counted[0]!.n;
  }
  return {
    rows: rows[0]!.rows,
    checksum: rows[0]!.checksum ?? 'empty',
    replaced: rows[0]!.replaced,
    quarantined,
  };
}

export interface QuarantinedRow {
  reason: string;
  raw: string;
}

/** The rows in quarantine for an asset, of one run or of every run. */
export async function quarantinedBy(db: pg.Pool, asset: string, runId?: string): Promise<QuarantinedRow[]> {
  const { rows } = await db.query<QuarantinedRow>(
    `select reason, raw::text as raw from quarantine.rows where asset = $1 ${runId ? 'and run_id = $2' : ''} order by id`,
    runId ? [asset, runId] : [asset],
  );
  return rows;
}

/** The rows of `rows` that are not among `earlier` (by reason and raw row). */
export function newRows(
  rows: readonly QuarantinedRow[],
  earlier: readonly QuarantinedRow[],
): QuarantinedRow[] {
  const seen = new Set(earlier.map((row) => `${row.reason}\n${row.raw}`));
  return rows.filter((row) => !seen.has(`${row.reason}\n${row.raw}`));
}
