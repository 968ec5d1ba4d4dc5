import { randomBytes } from 'node:crypto';
import type { MaterializeResult, Metadata } from '../definitions/types.ts';
import type { AssetPartitionState, ConsumedVersions } from '../storage/records.ts';
import type { ActiveRun, StepState } from './activeRun.ts';
import { materializeWithRetries } from './attempt.ts';
import { runChecks } from './checks.ts';
import type { ExecuteOptions } from './executor.ts';
import { failStep } from './failure.ts';
import { leasePartition } from './lease.ts';
import { type LatestStates, materializationRecords } from './records.ts';
import { stepContext } from './stepContext.ts';

/**
 * A batch of one asset's steps (its backfill policy) materialised by one call: every member leased,
 * begun and settled on its own, so the run record, the partition states and what reads each day
 * stay exactly what separate steps would give.
 */
export class BatchRunner<R> {
  constructor(
    private readonly options: ExecuteOptions<R>,
    private readonly run: ActiveRun<R>,
    private readonly latest: LatestStates,
  ) {}

  async runBatch(leader: StepState): Promise<void> {
    const members = leader.batch!.members.filter((member) => member.step.status === 'queued');
    const { log } = this.run;
    for (const member of members) this.run.begin(member);
    const leased: StepState[] = [];
    try {
      for (const member of members) {
        const lease = await leasePartition(this.options.storage, member, log, this.run.signal);
        if (lease.kind === 'cancelled') {
          for (const other of members)
            this.run.settle(other, 'cancelled', 'cancelled while waiting for another run');
          return;
        }
        leased.push(member);
      }
      const consumed = new Map(members.map((member) => [member, this.latest.consumedBy(member.upstreams)]));
      const partitions = members.map((member) => member.step.partition);
      const outcome = await materializeWithRetries(leader.asset, leader.step, {
        signal: this.run.signal,
        log,
        context: (signal) => stepContext(this.options, log, leader, signal, partitions),
      });
      for (const member of members) member.step.attempts = leader.step.attempts;
      if (outcome.kind === 'cancelled') {
        for (const member of members) this.run.settle(member, 'cancelled', outcome.why);
      } else if (outcome.kind === 'failed') {
        for (const member of members)
          failStep(this.run, this.latest, member, consumed.get(member)!, outcome.error);
      } else await this.succeed(leader, members, consumed, outcome.result);
    } finally {
      log.write({
        releasedLeases: leased.map(({ step }) => ({
          assetKey: step.assetKey,
          partition: step.partition,
          runId: log.runId,
        })),
      });
    }
  }

  private async succeed(
    leader: StepState,
    members: StepState[],
    consumed: Map<StepState, ConsumedVersions>,
    result: MaterializeResult,
  ): Promise<void> {
    const { log } = this.run;
    const { asset } = leader;
    const finishedAt = log.now();
    const shared = result.dataVersion ?? randomBytes(8).toString('hex');
    const first = members[0]!.step.partition;
    const batch: Metadata =
      members.length > 1
        ? { batch: `${first}…${leader.step.partition}`, batch_partitions: members.length }
        : {};
    const written = members.map((member) => {
      const day = result.byPartition?.[member.step.partition];
      const rows = day?.rows ?? result.rows ?? null;
      const metadata: Metadata = { ...(result.metadata ?? {}), ...(day?.metadata ?? {}), ...batch };
      const outcome = { rows, dataVersion: day?.dataVersion ?? shared, metadata };
      member.step.rowCount = rows;
      const records = materializationRecords(
        {
          runId: log.runId,
          asset,
          partition: member.step.partition,
          startedAt: member.step.startedAt!,
          finishedAt,
          consumed: consumed.get(member)!,
        },
        { status: 'success', ...outcome, failure: null },
      );
      log.write({ materializations: [records.materialization] });
      log.emit('materialized', member.step, rows === null ? 'materialised' : `materialised ${rows} rows`, {
        rows,
        metadata,
        dataVersion: outcome.dataVersion,
        codeVersion: asset.codeVersion,
      });
      const own: MaterializeResult = { ...result, dataVersion: outcome.dataVersion, metadata };
      if (rows === null) delete own.rows;
      else own.rows = rows;
      return { member, state: records.state, result: own };
    });
    // `latest` built one table for every day: its checks run once, on it. `range` wrote each day.
    const once =
      asset.backfill?.kind === 'latest'
        ? await runChecks(asset, leader.step, result, () => this.context(leader), log)
        : undefined;
    for (const { member, state, result: own } of written) {
      const failedCheck =
        once !== undefined ? once : await runChecks(asset, member.step, own, () => this.context(member), log);
      const final: AssetPartitionState = failedCheck
        ? { ...state, status: 'failed', failure: failedCheck }
        : state;
      this.latest.set(final);
      log.write({ assetPartitions: [final] });
      this.run.settle(member, failedCheck ? 'failed' : 'success', failedCheck);
    }
  }

  private context(state: StepState) {
    return stepContext(this.options, this.run.log, state, this.run.signal);
  }
}
