import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository's `sql/` folder: every procedure, mart DDL and mart source query of the warehouse. */
const SQL_DIR = resolve(import.meta.dirname, '../../../sql');

/** A path under `sql/`, e.g. `postgres/bi/CONTRACT.md`. */
export function sqlPath(path: string): string {
  return join(SQL_DIR, path);
}

/** The text of a file under `sql/`. */
export function readSql(path: string): string {
  return readFileSync(sqlPath(path), 'utf8');
}

/** The file of a procedure asset `<schema>.<table>`: `sql/postgres/<schema>/<table>.sql`. */
export function procedureFile(key: string): string {
  const [schema, table] = key.split('.') as [string, string];
  return sqlPath(`postgres/${schema}/${table}.sql`);
}

/** A mart's ClickHouse DDL, `sql/clickhouse/<name>.sql` (also `reconciliation`, `schema_versions`). */
export const martDdl = (name: string) => readSql(`clickhouse/${name}.sql`);

/** A mart's PostgreSQL source query over `bi`, `sql/postgres/marts/<name>.sql`. */
export const martSource = (name: string) => readSql(`postgres/marts/${name}.sql`);
