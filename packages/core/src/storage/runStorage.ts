import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type Selectable, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import type { JsonValue, Metadata } from '../definitions/types.ts';
import { ensureSchema, migrationProvider } from './migrations.ts';
import { PGliteDialect } from './pgliteDialect.ts';
import type {
  AssetPartitionState,
  CheckResultRecord,
  Cursor,
  Materialization,
  Run,
  RunEvent,
  RunEventType,
  ScheduleTick,
  Step,
  WriteBatch,
} from './records.ts';
import type { VitrinaDatabase } from './schema.ts';

export type StorageKind = 'pglite' | 'postgres';

export interface StorageOptions {
  /** A PostgreSQL URL; without one the storage is embedded PGlite in `home`. */
  databaseUrl?: string | undefined;
  home: string;
}

/** Rows per INSERT statement: keeps parameters well under PostgreSQL's 65,535. */
const CHUNK = 1000;

/**
 * Run storage: runs, steps, events, materialisations, asset partition state, check results,
 * cursors and schedule ticks in the `vitrina` schema.
 */
export class RunStorage {
  private constructor(
    readonly kind: StorageKind,
    readonly db: Kysely<VitrinaDatabase>,
    private readonly onClose: () => void = () => {},
  ) {}

  static async open(options: StorageOptions): Promise<RunStorage> {
    const storage = options.databaseUrl
      ? RunStorage.postgres(options.databaseUrl)
      : await RunStorage.embedded(options.home);
    await storage.migrate();
    return storage;
  }

  private static postgres(url: string): RunStorage {
    const pool = new pg.Pool({ connectionString: url, max: 8, application_name: 'vitrina' });
    const db = new Kysely<VitrinaDatabase>({ dialect: new PostgresDialect({ pool }) });
    return new RunStorage('postgres', db.withSchema('vitrina'));
  }

  private static async embedded(home: string): Promise<RunStorage> {
    const dir = join(home, 'pglite');
    mkdirSync(home, { recursive: true });
    const unlock = lockEmbedded(home);
    try {
      const pglite = await PGlite.create(dir);
      const db = new Kysely<VitrinaDatabase>({ dialect: new PGliteDialect(pglite) });
      return new RunStorage('pglite', db.withSchema('vitrina'), unlock);
    } catch (error) {
      unlock();
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

  async close(): Promise<void> {
    await this.db.destroy();
    this.onClose();
  }

  // Runs ------------------------------------------------------------------

  async createRun(run: Run, steps: Step[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('runs').values(runRow(run)).execute();
      for (const chunk of chunks(steps)) await trx.insertInto('steps').values(chunk.map(stepRow)).execute();
    });
  }

  async getRun(idOrPrefix: string): Promise<Run | null> {
    const rows = await this.db
      .selectFrom('runs')
      .selectAll()
      .where('id', 'like', `${idOrPrefix.replace(/[%_\\]/g, '\\$&')}%`)
      .limit(2)
      .execute();
    if (rows.length !== 1) return null;
    return toRun(rows[0]!);
  }

  async listRuns(options: { limit?: number; offset?: number; status?: Run['status'] } = {}): Promise<Run[]> {
    let query = this.db.selectFrom('runs').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
    if (options.status) query = query.where('status', '=', options.status);
    const rows = await query
      .limit(options.limit ?? 50)
      .offset(options.offset ?? 0)
      .execute();
    return rows.map(toRun);
  }

  async listSteps(runId: string): Promise<Step[]> {
    const rows = await this.db
      .selectFrom('steps')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('started_at', (ob) => ob.asc().nullsLast())
      .orderBy('asset_key')
      .orderBy('partition')
      .execute();
    return rows.map(toStep);
  }

  async listEvents(runId: string, options: { afterSeq?: number; limit?: number } = {}): Promise<RunEvent[]> {
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('run_id', '=', runId)
      .where('seq', '>', options.afterSeq ?? 0)
      .orderBy('seq')
      .limit(options.limit ?? 10_000)
      .execute();
    return rows.map(toEvent);
  }

  // Asset state --------------------------------------------------------------

  /** The latest state of every partition of the given assets (all assets when omitted). */
  async assetPartitions(assetKeys?: readonly string[]): Promise<AssetPartitionState[]> {
    if (assetKeys && assetKeys.length === 0) return [];
    let query = this.db.selectFrom('asset_partitions').selectAll();
    if (assetKeys) query = query.where('asset_key', '=', sql<string>`any(${[...assetKeys]}::text[])`);
    const rows = await query.execute();
    return rows.map(toAssetPartition);
  }

  async materializations(assetKey: string, options: { limit?: number } = {}): Promise<Materialization[]> {
    const rows = await this.db
      .selectFrom('materializations')
      .selectAll()
      .where('asset_key', '=', assetKey)
      .orderBy('id', 'desc')
      .limit(options.limit ?? 100)
      .execute();
    return rows.map(toMaterialization);
  }

  async checkResults(filter: {
    runId?: string;
    assetKey?: string;
    limit?: number;
  }): Promise<CheckResultRecord[]> {
    let query = this.db.selectFrom('check_results').selectAll().orderBy('id', 'desc');
    if (filter.runId) query = query.where('run_id', '=', filter.runId);
    if (filter.assetKey) query = query.where('asset_key', '=', filter.assetKey);
    const rows = await query.limit(filter.limit ?? 200).execute();
    return rows.map(toCheckResult);
  }

  // Writes ---------------------------------------------------------------------

  /** Writes one batch of run progress atomically. */
  async write(batch: WriteBatch): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const chunk of chunks(batch.events))
        await trx.insertInto('events').values(chunk.map(eventRow)).execute();
      for (const chunk of chunks(
        lastByKey(batch.steps, (s) => `${s.assetKey}\u0000${s.partition}\u0000${s.runId}`),
      )) {
        await trx
          .insertInto('steps')
          .values(chunk.map(stepRow))
          .onConflict((oc) =>
            oc.columns(['run_id', 'asset_key', 'partition']).doUpdateSet((eb) => ({
              status: eb.ref('excluded.status'),
              attempts: eb.ref('excluded.attempts'),
              started_at: eb.ref('excluded.started_at'),
              finished_at: eb.ref('excluded.finished_at'),
              row_count: eb.ref('excluded.row_count'),
              error: eb.ref('excluded.error'),
            })),
          )
          .execute();
      }
      for (const chunk of chunks(batch.materializations)) {
        await trx.insertInto('materializations').values(chunk.map(materializationRow)).execute();
      }
      for (const chunk of chunks(
        lastByKey(batch.assetPartitions, (a) => `${a.assetKey}\u0000${a.partition}`),
      )) {
        await trx
          .insertInto('asset_partitions')
          .values(chunk.map(assetPartitionRow))
          .onConflict((oc) =>
            oc.columns(['asset_key', 'partition']).doUpdateSet((eb) => ({
              status: eb.ref('excluded.status'),
              data_version: eb.ref('excluded.data_version'),
              code_version: eb.ref('excluded.code_version'),
              consumed: eb.ref('excluded.consumed'),
              materialized_at: eb.ref('excluded.materialized_at'),
              row_count: eb.ref('excluded.row_count'),
              run_id: eb.ref('excluded.run_id'),
              failure: eb.ref('excluded.failure'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      }
      for (const chunk of chunks(batch.checkResults)) {
        await trx.insertInto('check_results').values(chunk.map(checkResultRow)).execute();
      }
      for (const run of batch.runs) {
        await trx
          .updateTable('runs')
          .set({ status: run.status, finished_at: run.finishedAt, error: run.error })
          .where('id', '=', run.id)
          .execute();
      }
    });
  }

  // Cursors and schedule ticks --------------------------------------------------------

  async getCursor(source: string, name: string): Promise<Cursor | null> {
    const row = await this.db
      .selectFrom('cursors')
      .selectAll()
      .where('source', '=', source)
      .where('name', '=', name)
      .executeTakeFirst();
    return row
      ? { source: row.source, name: row.name, value: row.value, runId: row.run_id, updatedAt: row.updated_at }
      : null;
  }

  async listCursors(): Promise<Cursor[]> {
    const rows = await this.db.selectFrom('cursors').selectAll().orderBy('source').orderBy('name').execute();
    return rows.map((row) => ({
      source: row.source,
      name: row.name,
      value: row.value,
      runId: row.run_id,
      updatedAt: row.updated_at,
    }));
  }

  async setCursor(cursor: Omit<Cursor, 'updatedAt'>, updatedAt = new Date()): Promise<void> {
    await this.db
      .insertInto('cursors')
      .values({
        source: cursor.source,
        name: cursor.name,
        value: cursor.value,
        run_id: cursor.runId,
        updated_at: updatedAt,
      })
      .onConflict((oc) =>
        oc
          .columns(['source', 'name'])
          .doUpdateSet({ value: cursor.value, run_id: cursor.runId, updated_at: updatedAt }),
      )
      .execute();
  }

  async recordTick(tick: ScheduleTick): Promise<void> {
    await this.db
      .insertInto('schedule_ticks')
      .values({
        schedule: tick.schedule,
        tick_at: tick.tickAt,
        evaluated_at: tick.evaluatedAt,
        decision: tick.decision,
        reason: tick.reason,
        run_id: tick.runId,
        data: JSON.stringify(tick.data),
      })
      .execute();
  }

  async listTicks(options: { schedule?: string; limit?: number } = {}): Promise<ScheduleTick[]> {
    let query = this.db.selectFrom('schedule_ticks').selectAll().orderBy('id', 'desc');
    if (options.schedule) query = query.where('schedule', '=', options.schedule);
    const rows = await query.limit(options.limit ?? 100).execute();
    return rows.map((row) => ({
      schedule: row.schedule,
      tickAt: row.tick_at,
      evaluatedAt: row.evaluated_at,
      decision: row.decision,
      reason: row.reason,
      runId: row.run_id,
      data: row.data,
    }));
  }
}

/** Only one process may open an embedded store; a second one is told to use PostgreSQL. */
function lockEmbedded(home: string): () => void {
  const lockFile = join(home, 'pglite.lock');
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    if (pid !== process.pid && isAlive(pid)) {
      throw new Error(
        `the embedded run storage in ${home} is open in process ${pid}; stop it, or set VITRINA_DATABASE_URL so processes share PostgreSQL`,
      );
    }
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += CHUNK) yield items.slice(i, i + CHUNK);
}

/** One row per key, the last one winning: an upsert may not touch a row twice. */
function lastByKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

const num = (value: string | number | null): number | null => (value === null ? null : Number(value));

function runRow(run: Run) {
  return {
    id: run.id,
    status: run.status,
    trigger: run.trigger,
    selection: run.selection,
    partition_from: run.partitionFrom,
    partition_to: run.partitionTo,
    force: run.force,
    parent_run_id: run.parentRunId,
    step_count: run.stepCount,
    created_at: run.createdAt,
    finished_at: run.finishedAt,
    error: run.error,
  };
}

function toRun(row: Selectable<VitrinaDatabase['runs']>): Run {
  return {
    id: row.id,
    status: row.status,
    trigger: row.trigger,
    selection: row.selection,
    partitionFrom: row.partition_from,
    partitionTo: row.partition_to,
    force: row.force,
    parentRunId: row.parent_run_id,
    stepCount: row.step_count,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    error: row.error,
  };
}

function stepRow(step: Step) {
  return {
    run_id: step.runId,
    asset_key: step.assetKey,
    partition: step.partition,
    status: step.status,
    reason: step.reason,
    attempts: step.attempts,
    started_at: step.startedAt,
    finished_at: step.finishedAt,
    row_count: step.rowCount,
    error: step.error,
  };
}

function toStep(row: Selectable<VitrinaDatabase['steps']>): Step {
  return {
    runId: row.run_id,
    assetKey: row.asset_key,
    partition: row.partition,
    status: row.status,
    reason: row.reason,
    attempts: row.attempts,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    rowCount: num(row.row_count),
    error: row.error,
  };
}

function eventRow(event: RunEvent) {
  return {
    run_id: event.runId,
    seq: event.seq,
    type: event.type,
    asset_key: event.assetKey,
    partition: event.partition,
    at: event.at,
    message: event.message,
    data: JSON.stringify(event.data),
  };
}

function toEvent(row: Selectable<VitrinaDatabase['events']>): RunEvent {
  return {
    runId: row.run_id,
    seq: row.seq,
    type: row.type as RunEventType,
    assetKey: row.asset_key,
    partition: row.partition,
    at: row.at,
    message: row.message,
    data: row.data as Record<string, JsonValue>,
  };
}

function materializationRow(m: Materialization) {
  return {
    run_id: m.runId,
    asset_key: m.assetKey,
    partition: m.partition,
    status: m.status,
    started_at: m.startedAt,
    finished_at: m.finishedAt,
    row_count: m.rowCount,
    data_version: m.dataVersion,
    code_version: m.codeVersion,
    consumed: JSON.stringify(m.consumed),
    metadata: JSON.stringify(m.metadata),
    error: m.error,
  };
}

function toMaterialization(row: Selectable<VitrinaDatabase['materializations']>): Materialization {
  return {
    runId: row.run_id,
    assetKey: row.asset_key,
    partition: row.partition,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    rowCount: num(row.row_count),
    dataVersion: row.data_version,
    codeVersion: row.code_version,
    consumed: row.consumed,
    metadata: row.metadata as Metadata,
    error: row.error,
  };
}

function assetPartitionRow(a: AssetPartitionState) {
  return {
    asset_key: a.assetKey,
    partition: a.partition,
    status: a.status,
    data_version: a.dataVersion,
    code_version: a.codeVersion,
    consumed: JSON.stringify(a.consumed),
    materialized_at: a.materializedAt,
    row_count: a.rowCount,
    run_id: a.runId,
    failure: a.failure,
    updated_at: a.updatedAt,
  };
}

function toAssetPartition(row: Selectable<VitrinaDatabase['asset_partitions']>): AssetPartitionState {
  return {
    assetKey: row.asset_key,
    partition: row.partition,
    status: row.status,
    dataVersion: row.data_version,
    codeVersion: row.code_version,
    consumed: row.consumed,
    materializedAt: row.materialized_at,
    rowCount: num(row.row_count),
    runId: row.run_id,
    failure: row.failure,
    updatedAt: row.updated_at,
  };
}

function checkResultRow(c: CheckResultRecord) {
  return {
    run_id: c.runId,
    asset_key: c.assetKey,
    partition: c.partition,
    check_name: c.checkName,
    severity: c.severity,
    passed: c.passed,
    message: c.message,
    metadata: JSON.stringify(c.metadata),
    at: c.at,
  };
}

function toCheckResult(row: Selectable<VitrinaDatabase['check_results']>): CheckResultRecord {
  return {
    runId: row.run_id,
    assetKey: row.asset_key,
    partition: row.partition,
    checkName: row.check_name,
    severity: row.severity,
    passed: row.passed,
    message: row.message,
    metadata: row.metadata as Metadata,
    at: row.at,
  };
}
