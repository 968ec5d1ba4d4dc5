import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Harness, Settings, StepRun } from './harness.ts';
import type { Scope } from './snapshot.ts';

export type Outcome = 'error' | 'quarantined' | 'accepted';

/** Which cases run one after another; lanes run side by side (slow timeouts apart from the rest). */
export type Lane = 'main' | 'nbrb' | 'silence';

/** One bad input: how it is fed, what the warehouse should do with it, and how it is taken back. */
export interface CaseSpec {
  name: string;
  /** What was fed: the file, table or endpoint and what is wrong with it. */
  source: string;
  /** The stage asset materialised (for the harness's day, with force). */
  asset: string;
  expected: Outcome;
  /** Where the previous rows are compared; by default the asset's table on the day. */
  scope?: (h: Harness) => Scope;
  /** error: what the message must say (the source, and the file, line or column where it applies). */
  names?: RegExp;
  /** error: what it must not say (a password, an API key). */
  secret?: string;
  /** quarantined: what a reason of the rows this run quarantined must say (the column). */
  reason?: RegExp;
  /** accepted: why the input is valid after all. */
  why?: string;
  /** accepted: the partition holds exactly the rows it held before (same count and checksum). */
  sameRows?: boolean;
  /** error: the partition keeps its previous rows (default); false where a rule fails after the load. */
  keepsPrevious?: boolean;
  lane?: Lane;
  /** Breaks the input; returns the settings the run uses, if any. */
  inject: (h: Harness) => Promise<Settings | undefined>;
  /** Puts the good input back. */
  restore: (h: Harness) => Promise<void>;
  /** A further check of the run (e.g. a value stored exactly): a problem, or null. */
  verify?: (h: Harness, run: StepRun) => Promise<string | null>;
}

/** The rows of a daily table's day. */
export const dayScope =
  (table: string) =>
  (h: Harness): Scope => ({
    table,
    where: 'day = $1::date',
    key: h.day,
    quarantine: { asset: table, partition: h.day },
  });

/** Every row of a table loaded in full or upserted (its quarantine is filed under the day loaded). */
export const tableScope =
  (table: string) =>
  (h: Harness): Scope => ({ table, where: 'true', key: '', quarantine: { asset: table, partition: h.day } });

/** The rows of one file of a file set (its quarantine is filed under the file's name). */
export const fileScope =
  (table: string, file: string) =>
  (_h: Harness): Scope => ({
    table,
    where: 'file_name = $1',
    key: file,
    quarantine: { asset: table, partition: file },
  });

type Content = Buffer | string | null;

/**
 * A case that delivers other bytes under one inbox file's name (null: no file at all) and puts
 * the good file back afterwards. `content` gets the good file's bytes.
 */
export function inboxCase(
  spec: Omit<CaseSpec, 'inject' | 'restore'> & {
    file: (h: Harness) => string;
    content: (good: Buffer, h: Harness) => Content | Promise<Content>;
    settings?: Settings;
    /** The inbox (partner files) by default, or the replay server's fixtures (the APIs' answers). */
    folder?: 'inbox' | 'replay';
  },
): CaseSpec {
  const { file, content, settings, folder, ...rest } = spec;
  const pathOf = (h: Harness) => join(folder === 'replay' ? h.replay : h.inbox, file(h));
  let good: Buffer | null = null;
  return {
    ...rest,
    inject: async (h) => {
      const path = pathOf(h);
      good = existsSync(path) ? readFileSync(path) : null;
      const bad = await content(good ?? Buffer.alloc(0), h);
      if (bad === null) rmSync(path, { force: true });
      else {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, bad);
      }
      return settings;
    },
    restore: async (h) => {
      const path = pathOf(h);
      if (good) writeFileSync(path, good);
      else rmSync(path, { force: true });
    },
  };
}

/** A case that only changes the settings (a source's URL, a folder, an encoding). */
export function settingsCase(
  spec: Omit<CaseSpec, 'inject' | 'restore'> & { settings: (h: Harness) => Settings | Promise<Settings> },
): CaseSpec {
  const { settings, ...rest } = spec;
  return { ...rest, inject: async (h) => settings(h), restore: async () => {} };
}

export type PgSystem = 'payments' | 'registry';

/**
 * A case that changes one row of a PostgreSQL source table (the payments core or the registry's
 * stand-in): `pick` selects its key among the rows loaded as good, the row (and any copy of it) is
 * saved, `mutate` breaks it (SQL, `$1` the key), and the saved rows are put back afterwards.
 */
export function pgRowCase(
  spec: Omit<CaseSpec, 'inject' | 'restore'> & {
    system: PgSystem;
    table: string;
    key: string;
    /** Selects the key of the row to break, on the warehouse: from the stage table, which holds only good rows. */
    pick: (day: string) => string;
    /** Breaks the row: statements run in order, `$1` standing for its key. */
    mutate: string | string[];
    /** Statements that undo what `mutate` did besides the row (run after the row is removed, before it is put back). */
    undo?: string[];
  },
): CaseSpec {
  const { system, table, key, pick, mutate, undo, ...rest } = spec;
  let picked: string | null = null;
  const saved = `public.bench_saved_${spec.name.replace(/\W+/g, '_').toLowerCase()}`;
  const column = key.startsWith('"') ? key : `"${key}"`;
  return {
    ...rest,
    inject: async (h) => {
      const db = h[system];
      const { rows } = await h.warehouse.query<{ key: string | null }>(
        `select (${pick(h.day)})::text as key`,
      );
      picked = rows[0]?.key ?? null;
      if (picked === null) throw new Error(`${spec.name}: no row to break in ${table}`);
      await db.query(`create table ${saved} as select * from ${table} where ${column}::text = $1`, [picked]);
      for (const statement of [mutate].flat())
        await db.query(statement, statement.includes('$1') ? [picked] : []);
      return undefined;
    },
    restore: async (h) => {
      const db = h[system];
      await db.query(`delete from ${table} where ${column}::text = $1`, [picked]);
      for (const statement of undo ?? []) await db.query(statement);
      await db.query(`insert into ${table} select * from ${saved}`);
      await db.query(`drop table ${saved}`);
    },
  };
}

/** A case that runs SQL on the CRM (MariaDB) to break it, and SQL to undo it (`day` for the rows' dates). */
export function crmCase(
  spec: Omit<CaseSpec, 'inject' | 'restore'> & { inject: (day: string) => string; restore: string },
): CaseSpec {
  const { inject, restore, ...rest } = spec;
  return {
    ...rest,
    inject: async (h) => {
      await h.crm.query(inject(h.day));
      return undefined;
    },
    restore: async (h) => {
      await h.crm.query(restore);
    },
  };
}

/** A pattern matching `text` as it is. */
export const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
