import type pg from 'pg';
import type { LoadTarget } from './load.ts';

/** The temporary table an upsert copies into before it writes the target. */
export const MERGE_TABLE = 'vitrina_merge';

export async function isEmpty(client: pg.ClientBase, table: string): Promise<boolean> {
  const { rows } = await client.query<{ empty: boolean }>(
    `select not exists (select from ${table}) as empty`,
  );
  return rows[0]?.empty === true;
}

/** Whether the load writes every column of the table, so a replaced row loses nothing the upsert kept. */
export async function coversTable(client: pg.ClientBase, target: LoadTarget): Promise<boolean> {
  const { rows } = await client.query<{ columns: number }>(
    `select count(*)::int as columns from pg_attribute
     where attrelid = $1::regclass and attnum > 0 and not attisdropped`,
    [target.table],
  );
  return rows[0]?.columns === target.columns.length;
}

/**
 * The upsert when no key repeats among the copied rows: the rows they replace are deleted and the
 * copied rows inserted as they are, with no sort to pick each key's last row and no conflict check
 * per row (about half the time of the upsert for a million new rows).
 */
export function replaceStatement(target: LoadTarget, key: readonly string[], from: string): string {
  const columns = target.columns.join(', ');
  const match = key.map((column) => `target.${column} = copied.${column}`).join(' and ');
  return `delete from ${target.table} target using ${from} copied where ${match};
    insert into ${target.table} (${columns}) select ${columns} from ${from}`;
}

/** Upserts the copied rows into the target; the last row of a key in the batch wins. */
export function mergeStatement(target: LoadTarget, key: readonly string[], from: string): string {
  const columns = target.columns.join(', ');
  const updates = target.columns.filter((column) => !key.includes(column));
  const set = updates.length
    ? `do update set ${updates.map((column) => `${column} = excluded.${column}`).join(', ')}`
    : 'do nothing';
  return `insert into ${target.table} (${columns})
    select distinct on (${key.join(', ')}) ${columns}
    from (select *, row_number() over () as vitrina_order from ${from}) copied
    order by ${key.join(', ')}, vitrina_order desc
    on conflict (${key.join(', ')}) ${set}`;
}
