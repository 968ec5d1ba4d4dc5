import { join } from 'node:path';
import { dayKey, dayNumber, daysBetween } from './calendar.ts';
import { generateDay, generateSnapshot } from './day.ts';
import type { DayIncrement, System } from './rows.ts';
import { type SeedSummary, Tally } from './summary.ts';
import { createWorld } from './world.ts';
import { deliverFiles, writeFixtures } from './writers/files.ts';
import { MysqlWriter } from './writers/mysql.ts';
import { PostgresWriter } from './writers/postgres.ts';

export interface SeedTargets {
  crmUrl: string;
  paymentsUrl: string;
  registryUrl: string;
  ftpUrl?: string;
  inbox: string;
  replay: string;
}

export interface SeedOptions {
  scale: number;
  from: string;
  to: string;
  seed: number;
  /**
   * The company's first day (VITRINA_START), which anchors its history: seeding day by day must
   * keep it. Defaults to `from`.
   */
  start?: string;
  badRowRate?: number;
  critical?: boolean;
  onProgress?: (event: SeedProgress) => void;
}

export interface SeedProgress {
  system: System | 'files';
  /** A day, or 'snapshot'. */
  day: string;
  /** Rows (or file records) written and updated for that day in that system. */
  rows: number;
  elapsedMs: number;
}

/** The DDL of a source system's tables as the sample company creates them (`payments.pg.sql`, …). */
export const sourceSchema = (file: string) => join(import.meta.dirname, 'schema', file);

interface SystemWriter {
  write: (day: string, tables: DayIncrement['tables'], tally: Tally) => Promise<void>;
  close: () => Promise<void>;
}

/**
 * Writes the sample company's state before `from` and then each day from `from` to `to` into its
 * real source systems: the CRM (MySQL), the payments core and the registry's stand-in
 * (PostgreSQL), the files (FTP or the inbox folder) and the replay fixtures. The three databases
 * are written in parallel, each day in one transaction per system; re-seeding a day replaces its
 * increment.
 */
export async function seedCompany(targets: SeedTargets, options: SeedOptions): Promise<SeedSummary> {
  if (targets.registryUrl.startsWith('oracle://'))
    throw new Error(
      'VITRINA_REGISTRY_URL: seeding a real Oracle registry is not supported; point it at the PostgreSQL stand-in (postgres://…/clients_registry)',
    );
  const start = options.start ?? options.from;
  if (options.from > options.to) throw new Error(`from ${options.from} is after to ${options.to}`);
  if (options.from < start) throw new Error(`from ${options.from} is before the company's start ${start}`);
  const began = performance.now();
  const world = createWorld({
    seed: options.seed,
    scale: options.scale,
    start,
    badRowRate: options.badRowRate ?? 0.002,
    critical: options.critical ?? false,
  });
  const days = daysBetween(options.from, options.to);
  const snapshot = generateSnapshot(world, dayKey(dayNumber(options.from) - 1));
  // One increment object per day, shared by the systems (its tables are lazy generators).
  const increments = new Map<string, DayIncrement>();
  const incrementOf = (day: string) => {
    const known = increments.get(day);
    if (known) return known;
    const increment = generateDay(world, day);
    increments.set(day, increment);
    return increment;
  };
  const tally = new Tally();
  const report = (system: SeedProgress['system'], day: string, since: number) => {
    const rows = tally
      .summary(day)
      .tables.filter(
        (counts) => counts.system === system || (system === 'files' && counts.system === 'replay'),
      )
      .reduce((sum, counts) => sum + counts.written + counts.updated, 0);
    options.onProgress?.({ system, day, rows, elapsedMs: performance.now() - since });
  };

  const runSystem = async (system: System, writer: SystemWriter) => {
    let since = performance.now();
    await writer.write(
      'snapshot',
      snapshot.tables.filter((table) => table.system === system),
      tally,
    );
    report(system, 'snapshot', since);
    for (const day of days) {
      since = performance.now();
      await writer.write(
        day,
        incrementOf(day).tables.filter((table) => table.system === system),
        tally,
      );
      report(system, day, since);
    }
  };
  const runFiles = async () => {
    let since = performance.now();
    writeFixtures(targets.replay, 'snapshot', snapshot.fixtures(), tally);
    report('files', 'snapshot', since);
    for (const day of days) {
      since = performance.now();
      const increment = incrementOf(day);
      await deliverFiles(targets, day, increment.files, tally);
      writeFixtures(targets.replay, day, increment.fixtures(), tally);
      report('files', day, since);
    }
  };

  // Every connection is made before any row is generated: generating is synchronous work in this
  // thread, and a connection opened while another system's rows were being generated timed out
  // (mysql2's 10 s connect timeout) on a busy machine and at scale 300.
  const opened = await Promise.allSettled([
    MysqlWriter.open(targets.crmUrl, sourceSchema('crm.mysql.sql')),
    PostgresWriter.open(targets.paymentsUrl, sourceSchema('payments.pg.sql')),
    PostgresWriter.open(targets.registryUrl, sourceSchema('registry.pg.sql')),
  ]);
  const writers: SystemWriter[] = opened.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  try {
    const failed = opened.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [crm, payments, registry] = writers;
    await Promise.all([
      runSystem('crm', crm!),
      runSystem('payments', payments!),
      runSystem('registry', registry!),
      runFiles(),
    ]);
  } finally {
    await Promise.all(writers.map((writer) => writer.close()));
  }
  return {
    seed: options.seed,
    scale: options.scale,
    from: options.from,
    to: options.to,
    badRowRate: world.options.badRowRate,
    critical: world.options.critical,
    snapshot: tally.summary('snapshot'),
    days: days.map((day) => tally.summary(day)),
    elapsedMs: performance.now() - began,
  };
}
