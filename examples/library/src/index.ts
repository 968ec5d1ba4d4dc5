import { fileURLToPath } from 'node:url';
import { type Asset, daily, defineAsset, defineLocation, parseEnv } from '@vitrina/core';
import { ensureDatabase, replacePartition } from '@vitrina/io/postgres';
import { sqlModels } from '@vitrina/models';
import pg from 'pg';
import { z } from 'zod';

/**
 * An example in the SQL-model style — a city library's loans. One TypeScript asset (the loans as the
 * library system logs them) and a folder of SQL models and CSV seeds, whose lineage comes from their
 * SQL:
 *
 *   raw.loans ─┬─► staging.loans ─┬─► marts.branch_daily     (daily)
 *   seeds.* ───┘                  ├─► marts.genre_totals     (table)
 *                                 ├─► marts.top_books        (view)
 *                                 └─► marts.member_last_loan (incremental)
 */
export interface LibraryResources {
  db: pg.Pool;
}

export const MODELS = fileURLToPath(new URL('../models', import.meta.url));

const RAW_LOANS = `create table if not exists raw.loans (
  day date not null, loan_id bigint not null, member_id int not null, branch_id int not null,
  book_id int not null, minutes int not null)`;

/**
 * The day's loans, the same on every run: 20–29 loans over the four branches and ten books; every
 * seventh has no duration (a book returned at the desk at once), which staging drops.
 */
const fillLoans = `insert into raw.loans
  select $1::date, (extract(epoch from $1::date)::bigint / 86400) * 100 + n,
         1 + (n * 7 + extract(day from $1::date)::int) % 12,
         1 + (n + extract(day from $1::date)::int) % 4,
         101 + (n * 3 + extract(doy from $1::date)::int) % 10,
         case when n % 7 = 0 then 0 else 15 + (n * 37) % 240 end
  from generate_series(1, 20 + extract(day from $1::date)::int % 10) as n`;

export function loansAsset(start: string): Asset<LibraryResources> {
  return defineAsset<LibraryResources>({
    key: 'raw.loans',
    description: 'Loans as the library system logs them, one partition per day (some without a duration).',
    group: 'raw',
    owner: 'library-data',
    storage: 'postgres',
    partitions: daily(start, 'UTC'),
    sql: [RAW_LOANS, fillLoans],
    materialize: async ({ resources, partition }) => {
      const rows = await replacePartition(resources.db, {
        table: 'raw.loans',
        column: 'day',
        partition,
        insert: fillLoans,
      });
      return { rows };
    },
  });
}

/** The example as a code location writing to the database at `databaseUrl` (created when missing). */
export async function libraryLocation(options: { databaseUrl: string; start: string; models?: string }) {
  const loans = loansAsset(options.start);
  const models = await sqlModels<LibraryResources>(options.models ?? MODELS, {
    db: (resources) => resources.db,
    assets: [loans],
    start: options.start,
  });
  return defineLocation<LibraryResources>({
    name: 'library',
    assets: [loans, ...models],
    warehouseUrl: options.databaseUrl,
    resources: {
      open: async () => {
        await ensureDatabase(options.databaseUrl);
        const db = new pg.Pool({ connectionString: options.databaseUrl, max: 8 });
        db.on('error', () => {}); // an idle connection dropped by the server: the next query reconnects
        await db.query(`create schema if not exists raw; ${RAW_LOANS}`); // once, before parallel days
        return { db };
      },
      close: async ({ db }) => db.end(),
    },
  });
}

const env = parseEnv(
  z.object({
    VITRINA_EXAMPLE_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'expected a postgres:// URL')
      .default('postgres://postgres@127.0.0.1:5432/vitrina_library'),
    VITRINA_EXAMPLE_START: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
      .default('2026-11-01'),
  }),
);

export default await libraryLocation({
  databaseUrl: env.VITRINA_EXAMPLE_DATABASE_URL,
  start: env.VITRINA_EXAMPLE_START,
});
