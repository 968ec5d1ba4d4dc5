import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, type Dialect, Kysely, PostgresDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { ConfigError } from '../errors.ts';
import { insertRows } from './bulkInsert.ts';
import { lockEmbedded } from './embedded/lock.ts';
import { PGliteDialect } from './embedded/pgliteDialect.ts';
import { SharedEmbeddedDialect } from './embedded/shareClient.ts';
import { shareEmbedded } from './embedded/shareServer.ts';
import { AdvisoryLockLeadership, type Leadership, SoleLeadership } from './leadership.ts';
import { RunLiveness } from './liveness.ts';
import { ensureSchema, migrationProvider } from './migrations.ts';
import { readPartitionStates } from './partitionStates.ts';
import type {
  AssetPartitionState,
  CheckResultRecord,
  Cursor,
  Materialization,
  Run,
  RunEvent,
  ScheduleTick,
  Step,
  WriteBatch,
} from './records.ts';
import type { VitrinaDatabase } from './schema.ts';
import { storable, storableBatch } from './storable.ts';

export type StorageKind = 'pglite' | 'postgres';

export interface StorageOptions {
  /** A PostgreSQL URL; without one the storage is embedded PGlite in `home`. */
  databaseUrl?: string | undefined;
  home: string;
  /**
   * For a server or scheduler: refuse an embedded store another process holds rather than use it
   * through that process (which may end first, and whose scheduler would run beside this one).
   */
  own?: boolean;
}

const INT8 = 20;

/** Reads int8 as a number: counts and ids stay far below 2^53. */
function getTypeParser(oid: number, format?: 'text' | 'binary') {
  if (oid === INT8) return Number;
  return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid);
}

/**
 * Run storage: runs, steps, events, materialisations, asset partition state, check results,
 * cursors and schedule ticks in the `vitrina` schema.
 */
export class RunStorage {
  readonly liveness: RunLiveness;

  private constructor(
    readonly kind: StorageKind,
    readonly db: Kysely<VitrinaDatabase>,
    private readonly onClose: () => Promise<void> = async () => {},
    private readonly url: string | null = null,
    private readonly beforeClose: () => Promise<void> = async () => {},
  ) {
    this.liveness = new RunLiveness(db);
  }

  static async open(options: StorageOptions): Promise<RunStorage> {
    const storage = options.databaseUrl
      ? RunStorage.postgres(options.databaseUrl)
      : await RunStorage.embedded(options.home, options.own ?? false);
    await storage.migrate();
    return storage;
  }

  private static postgres(url: string): RunStorage {
    const pool = new pg.Pool({
      connectionString: url,
      max: 8,
      application_name: 'vitrina',
      types: { getTypeParser },
    });
    // An idle connection the server closes (restart, admin) must not crash the process; the next
    // query gets a fresh connection or reports the failure where it can be handled.
    pool.on('error', () => {});
    return new RunStorage('postgres', kysely(new PostgresDialect({ pool })), undefined, url);
  }

  /**
   * Embedded PGlite is one session in one process: the first process to open it owns it and shares
   * it on a Unix socket; a later one (a CLI command beside `vitrina dev`) uses it through the owner.
   */
  private static async embedded(home: string, own: boolean): Promise<RunStorage> {
    mkdirSync(home, { recursive: true });
    const lock = lockEmbedded(home);
    if (!lock.held) {
      const { holder } = lock;
      if (own || holder.socket === '')
        throw new ConfigError(
          `the embedded run storage in ${home} is open in process ${holder.pid} (${holder.command})${own ? ', and a server or scheduler must own its storage' : ''}; stop it, or set VITRINA_DATABASE_URL so processes share PostgreSQL`,
        );
      return new RunStorage('pglite', kysely(new SharedEmbeddedDialect(holder)));
    }
    let pglite: PGlite | null = null;
    try {
      pglite = await PGlite.create(join(home, 'pglite'), { parsers: { [INT8]: Number } });
      const dialect = new PGliteDialect(pglite);
      const share = await shareEmbedded(dialect.driver, lock.socket);
      return new RunStorage(
        'pglite',
        kysely(dialect),
        async () => lock.unlock(),
        null,
        () => share.close(),
      );
    } catch (error) {
      await pglite?.close();
      lock.unlock();
      throw error;
    }
  }

  async migrate(): Promise<void> {
    await ensureSchema(this.db as Kysely<unknown>);
    const migrator = new Migrator({
      db: this.db,
      provider: migrationProvider,
      migrationTableSchema: 'vitrina',
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(
        `run storage migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** The lock that makes one process, among those sharing this storage, the one that leads `name`. */
  leadership(name: string): Leadership {
    return this.url ? new AdvisoryLockLeadership(this.url, name) : new SoleLeadership();
  }

  async close(): Promise<void> {
    await this.beforeClose();
    await this.db.destroy();
    await this.onClose();
  }

  // Runs ------------------------------------------------------------------

  async createRun(run: Run, steps: Step[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('runs').values(storable(run)).execute();
      await insertRows(trx, 'steps', storable(steps));
    });
  }

  async getRun(idOrPrefix: string): Promise<Run | null> {
    const runs = await this.db
      .selectFrom('runs')
      .selectAll()
      .where('id', 'like', `${idOrPrefix.replace(/[%_\\]/g, '\\$&')}%`)
      .limit(2)
      .execute();
    return runs.length === 1 ? runs[0]! : null;
  }

  async listRuns(options: { limit?: number; offset?: number; status?: Run['status'] } = {}): Promise<Run[]> {
    let query = this.db.selectFrom('runs').selectAll().orderBy('createdAt', 'desc').orderBy('id', 'desc');
    if (options.status) query = query.where('status', '=', options.status);
    return query
      .limit(options.limit ?? 50)
      .offset(options.offset ?? 0)
      .execute();
  }

  async listSteps(runId: string): Promise<Step[]> {
    return this.db
      .selectFrom('steps')
      .selectAll()
      .where('runId', '=', runId)
      .orderBy('startedAt', (ob) => ob.asc().nullsLast())
      .orderBy('assetKey')
      .orderBy('partition')
      .execute();
  }

  async listEvents(runId: string, options: { afterSeq?: number; limit?: number } = {}): Promise<RunEvent[]> {
    return this.db
      .selectFrom('events')
      .select(['runId', 'seq', 'type', 'assetKey', 'partition', 'at', 'message', 'data'])
      .where('runId', '=', runId)
      .where('seq', '>', options.afterSeq ?? 0)
      .orderBy('seq')
      .limit(options.limit ?? 10_000)
      .execute();
  }

  // Asset state --------------------------------------------------------------

  /** The latest state of every partition of the given assets (all assets when omitted). */
  assetPartitions(assetKeys?: readonly string[]): Promise<AssetPartitionState[]> {
    return readPartitionStates(this.db, assetKeys);
  }

  async materializations(assetKey: string, options: { limit?: number } = {}): Promise<Materialization[]> {
    return this.db
      .selectFrom('materializations')
      .selectAll()
      .where('assetKey', '=', assetKey)
      .orderBy('id', 'desc')
      .limit(options.limit ?? 100)
      .execute();
  }

  /** The latest successful materialisation of one asset partition: what its data is now. */
  async latestSuccessfulMaterialization(
    assetKey: string,
    partition: string,
  ): Promise<Materialization | null> {
    const latest = await this.db
      .selectFrom('materializations')
      .selectAll()
      .where('assetKey', '=', assetKey)
      .where('partition', '=', partition)
      .where('status', '=', 'success')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return latest ?? null;
  }

  async checkResults(filter: {
    runId?: string;
    assetKey?: string;
    passed?: boolean;
    limit?: number;
  }): Promise<CheckResultRecord[]> {
    let query = this.db.selectFrom('checkResults').selectAll().orderBy('id', 'desc');
    if (filter.runId) query = query.where('runId', '=', filter.runId);
    if (filter.assetKey) query = query.where('assetKey', '=', filter.assetKey);
    if (filter.passed !== undefined) query = query.where('passed', '=', filter.passed);
    return query.limit(filter.limit ?? 200).execute();
  }

  // Writes ---------------------------------------------------------------------

  /** Writes one batch of run progress atomically. */
  async write(written: WriteBatch): Promise<void> {
    const batch = storableBatch(written);
    await this.db.transaction().execute(async (trx) => {
      await insertRows(trx, 'events', batch.events);
      await insertRows(
        trx,
        'steps',
        lastByKey(batch.steps, (s) => `${s.runId}\u0000${s.assetKey}\u0000${s.partition}`),
        { conflict: ['runId', 'assetKey', 'partition'], update: stepUpdates },
      );
      await insertRows(trx, 'materializations', batch.materializations);
      await insertRows(
        trx,
        'assetPartitions',
        lastByKey(batch.assetPartitions, (a) => `${a.assetKey}\u0000${a.partition}`),
        { conflict: ['assetKey', 'partition'], update: assetPartitionUpdates },
      );
      await insertRows(trx, 'checkResults', batch.checkResults);
      const released = batch.releasedLeases;
      if (released.length > 0) {
        await sql`
          delete from vitrina.leases lease
          using unnest(${released.map((l) => l.assetKey)}::text[], ${released.map((l) => l.partition)}::text[],
                       ${released.map((l) => l.runId)}::text[]) as gone(asset_key, partition, run_id)
          where lease.asset_key = gone.asset_key and lease.partition = gone.partition
            and lease.run_id = gone.run_id`.execute(trx);
      }
      for (const run of batch.runs) {
        await trx
          .updateTable('runs')
          .set({ status: run.status, finishedAt: run.finishedAt, error: run.error, stepCount: run.stepCount })
          .where('id', '=', run.id)
          // A run ends once: the first to record its end (its executor, or whoever found it dead) wins.
          .where('status', '=', 'running')
          .execute();
      }
    });
  }

  // Cursors and schedule ticks --------------------------------------------------------

  async getCursor(source: string, name: string): Promise<Cursor | null> {
    const cursor = await this.db
      .selectFrom('cursors')
      .selectAll()
      .where('source', '=', source)
      .where('name', '=', name)
      .executeTakeFirst();
    return cursor ?? null;
  }

  async listCursors(): Promise<Cursor[]> {
    return this.db.selectFrom('cursors').selectAll().orderBy('source').orderBy('name').execute();
  }

  async setCursor(cursor: Omit<Cursor, 'updatedAt'>, updatedAt = new Date()): Promise<void> {
    await this.db
      .insertInto('cursors')
      .values({ ...cursor, updatedAt })
      .onConflict((oc) =>
        oc.columns(['source', 'name']).doUpdateSet({ value: cursor.value, runId: cursor.runId, updatedAt }),
      )
      .execute();
  }

  async recordTick(tick: ScheduleTick): Promise<void> {
    await this.db.insertInto('scheduleTicks').values(tick).execute();
  }

  async listTicks(options: { schedule?: string; limit?: number } = {}): Promise<ScheduleTick[]> {
    let query = this.db
      .selectFrom('scheduleTicks')
      .select(['schedule', 'tickAt', 'evaluatedAt', 'decision', 'reason', 'runId', 'data'])
      .orderBy('id', 'desc');
    if (options.schedule) query = query.where('schedule', '=', options.schedule);
    return query.limit(options.limit ?? 100).execute();
  }
}

function kysely(dialect: Dialect): Kysely<VitrinaDatabase> {
  return new Kysely<VitrinaDatabase>({
    dialect,
    plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
  }).withSchema('vitrina');
}

/** The columns an upsert overwrites, each from the row that was refused. */
const stepUpdates = ['status', 'attempts', 'startedAt', 'finishedAt', 'rowCount', 'error'] as const;
const assetPartitionUpdates = [
  'status',
  'dataVersion',
  'codeVersion',
  'consumed',
  'materializedAt',
  'rowCount',
  'runId',
  'failure',
  'updatedAt',
] as const;

/** One row per key, the last one winning: an upsert may not touch a row twice. */
function lastByKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}
