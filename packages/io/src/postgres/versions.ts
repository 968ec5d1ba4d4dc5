import type pg from 'pg';

export interface PartitionVersion {
  partition: string;
  rows: number;
  /** Row count and an order-independent hash of the partition's rows, computed in PostgreSQL. */
  dataVersion: string;
}

/** A day range of a table's partition column. */
export interface DayRange {
  column: string;
  from: string;
  to: string;
}

const versionOf = (rows: number, hash: string) => `${rows}:${hash}`;

/** The row count and an order-independent hash of the rows `where` selects, as a data version. */
async function contentVersion(
  db: pg.Pool | pg.ClientBase,
  table: string,
  partition: string,
  where = 'true',
  params: unknown[] = [],
): Promise<PartitionVersion> {
  const { rows } = await db.query<{ rows: number; hash: string }>(
    `select count(*)::int as rows, coalesce(sum(hashtext(t::text)::bigint), 0)::text as hash
     from ${table} t where ${where}`,
    params,
  );
  const { rows: count, hash } = rows[0]!;
  return { partition, rows: count, dataVersion: versionOf(count, hash) };
}

/** The data version of a whole table (the '' partition). */
export function tableVersion(db: pg.Pool | pg.ClientBase, table: string): Promise<PartitionVersion> {
  return contentVersion(db, table, '');
}

/**
 * Rows and an order-independent hash per partition of the range (per day of a date range), so an
 * unchanged partition keeps its version.
 */
export async function partitionVersions(
  client: pg.ClientBase,
  table: string,
  range: DayRange,
): Promise<PartitionVersion[]> {
  if (range.from === range.to) {
    return [await contentVersion(client, table, range.from, `${range.column} = $1`, [range.from])];
  }
  const { rows } = await client.query<{ partition: string; rows: number; hash: string }>(
    `select days.day::date::text as partition, count(t.*)::int as rows,
            coalesce(sum(hashtext(t::text)::bigint), 0)::text as hash
     from generate_series($1::date, $2::date, interval '1 day') as days(day)
     left join ${table} t on t.${range.column} = days.day::date
     group by days.day order by days.day`,
    [range.from, range.to],
  );
  return rows.map((row) => ({
    partition: row.partition,
    rows: row.rows,
    dataVersion: versionOf(row.rows, row.hash),
  }));
}
