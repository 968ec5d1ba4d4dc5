import { type Kysely, sql } from 'kysely';
import type { Run } from './records.ts';
import type { VitrinaDatabase } from './schema.ts';

export type LeaseOutcome = { acquired: true } | { acquired: false; holder: string };

/**
 * The queries that tell live runs from dead ones: heartbeats, the running runs, and the leases that
 * keep two runs from materialising one asset partition at once. A lease counts only while its run
 * is running and has beaten since `staleBefore`; a dead run's lease is taken over.
 */
export class RunLiveness {
  constructor(private readonly db: Kysely<VitrinaDatabase>) {}

  async beat(runIds: readonly string[], at: Date): Promise<void> {
    if (runIds.length === 0) return;
    await this.db
      .updateTable('runs')
      .set({ heartbeatAt: at })
      .where('id', '=', sql<string>`any(${[...runIds]}::text[])`)
      .where('status', '=', 'running')
      .execute();
  }

  running(): Promise<Run[]> {
    return this.db.selectFrom('runs').selectAll().where('status', '=', 'running').execute();
  }

  async tryLease(
    lease: { assetKey: string; partition: string; runId: string; at: Date },
    staleBefore: Date,
  ): Promise<LeaseOutcome> {
    const taken = await sql<{ runId: string }>`
      insert into vitrina.leases (asset_key, partition, run_id, acquired_at)
      values (${lease.assetKey}, ${lease.partition}, ${lease.runId}, ${lease.at})
      on conflict (asset_key, partition) do update
        set run_id = excluded.run_id, acquired_at = excluded.acquired_at
        where leases.run_id = excluded.run_id
           or not exists (
             select 1 from vitrina.runs holder
             where holder.id = leases.run_id and holder.status = 'running'
               and coalesce(holder.heartbeat_at, holder.created_at) >= ${staleBefore}
           )
      returning run_id`.execute(this.db);
    if (taken.rows.length > 0) return { acquired: true };
    const holder = await this.db
      .selectFrom('leases')
      .select('runId')
      .where('assetKey', '=', lease.assetKey)
      .where('partition', '=', lease.partition)
      .executeTakeFirst();
    // Released between the two statements: try again on the caller's next poll.
    return { acquired: false, holder: holder?.runId ?? '' };
  }

  async lastEventSeq(runId: string): Promise<number> {
    const row = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('runId', '=', runId)
      .executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  async releaseAll(runId: string): Promise<void> {
    await this.db.deleteFrom('leases').where('runId', '=', runId).execute();
  }
}
