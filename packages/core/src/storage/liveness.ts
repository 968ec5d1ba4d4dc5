import { type Kysely, sql } from 'kysely';
import type { Run } from './records.ts';
import type { VitrinaDatabase } from './schema.ts';

export type LeaseOutcome = { acquired: true } | { acquired: false; holder: string };

export interface LeaseRequest {
  assetKey: string;
  partition: string;
  runId: string;
  at: Date;
}

interface QueuedLease {
  lease: LeaseRequest;
  staleBefore: Date;
  resolve: (outcome: LeaseOutcome) => void;
  reject: (error: unknown) => void;
}

const leaseId = (lease: LeaseRequest) => `${lease.assetKey}\u0000${lease.partition}`;

/**
 * The queries that tell live runs from dead ones: heartbeats, the running runs, and the leases that
 * keep two runs from materialising one asset partition at once. A lease counts only while its run
 * is running and has beaten since `staleBefore`; a dead run's lease is taken over.
 */
export class RunLiveness {
  private readonly queued: QueuedLease[] = [];

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

  /**
   * Takes the lease of one asset partition for a run, or names the live run holding it. Requests
   * made in the same turn of the event loop (the steps a run starts together) share one statement.
   */
  tryLease(lease: LeaseRequest, staleBefore: Date): Promise<LeaseOutcome> {
    return new Promise((resolve, reject) => {
      this.queued.push({ lease, staleBefore, resolve, reject });
      if (this.queued.length === 1) setImmediate(() => void this.takeQueued());
    });
  }

  private async takeQueued(): Promise<void> {
    const batch = this.queued.splice(0);
    // One request per partition in a statement (ON CONFLICT may touch a row once); the rest find it held.
    const sent = new Map<string, QueuedLease>();
    for (const request of batch)
      if (!sent.has(leaseId(request.lease))) sent.set(leaseId(request.lease), request);
    const rows = [...sent.values()];
    try {
      const taken = await sql<{ assetKey: string; partition: string; runId: string }>`
        insert into vitrina.leases (asset_key, partition, run_id, acquired_at)
        select * from unnest(${rows.map((r) => r.lease.assetKey)}::text[], ${rows.map((r) => r.lease.partition)}::text[],
                             ${rows.map((r) => r.lease.runId)}::text[], ${rows.map((r) => r.lease.at.toISOString())}::timestamptz[])
        on conflict (asset_key, partition) do update
          set run_id = excluded.run_id, acquired_at = excluded.acquired_at
          where leases.run_id = excluded.run_id
             or not exists (
               select 1 from vitrina.runs holder
               where holder.id = leases.run_id and holder.status = 'running'
                 and coalesce(holder.heartbeat_at, holder.created_at) >= ${batch[0]!.staleBefore.toISOString()}::timestamptz
             )
        returning asset_key, partition, run_id`.execute(this.db);
      const won = new Map(taken.rows.map((row) => [`${row.assetKey}\u0000${row.partition}`, row.runId]));
      const lost = batch.filter((request) => !won.has(leaseId(request.lease)));
      const holders =
        lost.length === 0 ? new Map<string, string>() : await this.holders(lost.map((r) => r.lease));
      for (const request of batch) {
        const id = leaseId(request.lease);
        if (won.get(id) === request.lease.runId && sent.get(id) === request)
          request.resolve({ acquired: true });
        // Released between the statements: the caller asks again on its next poll.
        else request.resolve({ acquired: false, holder: holders.get(id) ?? won.get(id) ?? '' });
      }
    } catch (error) {
      for (const request of batch) request.reject(error);
    }
  }

  private async holders(leases: LeaseRequest[]): Promise<Map<string, string>> {
    const rows = await sql<{ assetKey: string; partition: string; runId: string }>`
      select asset_key, partition, run_id from vitrina.leases
      where (asset_key, partition) in (
        select * from unnest(${leases.map((l) => l.assetKey)}::text[], ${leases.map((l) => l.partition)}::text[]))`.execute(
      this.db,
    );
    return new Map(rows.rows.map((row) => [`${row.assetKey}\u0000${row.partition}`, row.runId]));
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
