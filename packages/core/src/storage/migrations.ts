import { type Kysely, sql } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';

/** Migrations of the `vitrina` schema, applied in name order. Never edit one that has shipped: add a new one. */
const migrations: Record<string, Migration> = {
  '0001_runs_events_materializations': {
    async up(db: Kysely<unknown>) {
      const schema = db.schema.withSchema('vitrina');
      await schema
        .createTable('runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('selection', 'text', (c) => c.notNull())
        .addColumn('partition_from', 'text')
        .addColumn('partition_to', 'text')
        .addColumn('force', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('parent_run_id', 'text', (c) => c.references('vitrina.runs.id'))
        .addColumn('step_count', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('finished_at', 'timestamptz')
        .addColumn('error', 'text')
        .execute();
      await schema.createIndex('runs_created_at').on('runs').column('created_at desc').execute();

      await schema
        .createTable('steps')
        .addColumn('run_id', 'text', (c) => c.notNull().references('vitrina.runs.id').onDelete('cascade'))
        .addColumn('asset_key', 'text', (c) => c.notNull())
        .addColumn('partition', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('started_at', 'timestamptz')
        .addColumn('finished_at', 'timestamptz')
        .addColumn('row_count', 'bigint')
        .addColumn('error', 'text')
        .addPrimaryKeyConstraint('steps_pk', ['run_id', 'asset_key', 'partition'])
        .execute();

      await schema
        .createTable('events')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('run_id', 'text', (c) => c.notNull().references('vitrina.runs.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('asset_key', 'text')
        .addColumn('partition', 'text')
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('message', 'text')
        .addColumn('data', 'jsonb', (c) => c.notNull())
        .execute();
      await schema.createIndex('events_run_seq').on('events').columns(['run_id', 'seq']).unique().execute();

      await schema
        .createTable('materializations')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('run_id', 'text', (c) => c.notNull().references('vitrina.runs.id').onDelete('cascade'))
        .addColumn('asset_key', 'text', (c) => c.notNull())
        .addColumn('partition', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('started_at', 'timestamptz', (c) => c.notNull())
        .addColumn('finished_at', 'timestamptz', (c) => c.notNull())
        .addColumn('row_count', 'bigint')
        .addColumn('data_version', 'text')
        .addColumn('code_version', 'text', (c) => c.notNull())
        .addColumn('consumed', 'jsonb', (c) => c.notNull())
        .addColumn('metadata', 'jsonb', (c) => c.notNull())
        .addColumn('error', 'text')
        .execute();
      await schema
        .createIndex('materializations_asset')
        .on('materializations')
        .columns(['asset_key', 'partition', 'id desc'])
        .execute();

      await schema
        .createTable('asset_partitions')
        .addColumn('asset_key', 'text', (c) => c.notNull())
        .addColumn('partition', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('data_version', 'text')
        .addColumn('code_version', 'text')
        .addColumn('consumed', 'jsonb', (c) => c.notNull())
        .addColumn('materialized_at', 'timestamptz')
        .addColumn('row_count', 'bigint')
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('failure', 'text')
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('asset_partitions_pk', ['asset_key', 'partition'])
        .execute();

      await schema
        .createTable('check_results')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('run_id', 'text', (c) => c.notNull().references('vitrina.runs.id').onDelete('cascade'))
        .addColumn('asset_key', 'text', (c) => c.notNull())
        .addColumn('partition', 'text', (c) => c.notNull())
        .addColumn('check_name', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('passed', 'boolean', (c) => c.notNull())
        .addColumn('message', 'text')
        .addColumn('metadata', 'jsonb', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .execute();
      await schema
        .createIndex('check_results_asset')
        .on('check_results')
        .columns(['asset_key', 'id desc'])
        .execute();
      await schema.createIndex('check_results_run').on('check_results').column('run_id').execute();

      await schema
        .createTable('cursors')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('run_id', 'text')
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('cursors_pk', ['source', 'name'])
        .execute();

      await schema
        .createTable('schedule_ticks')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('schedule', 'text', (c) => c.notNull())
        .addColumn('tick_at', 'timestamptz', (c) => c.notNull())
        .addColumn('evaluated_at', 'timestamptz', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('run_id', 'text')
        .addColumn('data', 'jsonb', (c) => c.notNull())
        .execute();
      await schema
        .createIndex('schedule_ticks_schedule')
        .on('schedule_ticks')
        .columns(['schedule', 'tick_at desc'])
        .execute();
    },
  },
  '0002_run_liveness_and_leases': {
    async up(db: Kysely<unknown>) {
      const schema = db.schema.withSchema('vitrina');
      await schema
        .alterTable('runs')
        .addColumn('host', 'text')
        .addColumn('pid', 'integer')
        .addColumn('heartbeat_at', 'timestamptz')
        .execute();
      await schema.createIndex('runs_status').on('runs').column('status').execute();
      await schema
        .createTable('leases')
        .addColumn('asset_key', 'text', (c) => c.notNull())
        .addColumn('partition', 'text', (c) => c.notNull())
        .addColumn('run_id', 'text', (c) => c.notNull().references('vitrina.runs.id').onDelete('cascade'))
        .addColumn('acquired_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('leases_pk', ['asset_key', 'partition'])
        .execute();
      await schema.createIndex('leases_run').on('leases').column('run_id').execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

export async function ensureSchema(db: Kysely<unknown>): Promise<void> {
  await sql`create schema if not exists vitrina`.execute(db);
}
