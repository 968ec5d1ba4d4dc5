import { randomBytes } from 'node:crypto';
import type { MaterializeResult, Metadata, RewrittenPartition, StepContext } from '../definitions/types.ts';
import type { AssetPartitionState, ConsumedVersions } from '../storage/records.ts';
import type { ActiveRun, StepState } from './activeRun.ts';
import { materializeWithRetries } from './attempt.ts';
import { BatchRunner } from './batchRunner.ts';
import { runChecks } from './checks.ts';
import { planDownstreamOf } from './downstream.ts';
import type { ExecuteOptions } from './executor.ts';
import { failStep } from './failure.ts';
import { leasePartition } from './lease.ts';
import { type LatestStates, materializationRecords } from './records.ts';
import { stepContext } from './stepContext.ts';

/** One step from start to end: its attempts, checks and records, and the partitions it rewrote. */
export class StepRunner<R> {
  private selected: Set<string> | null = null;
  private readonly batches: BatchRunner<R>;

  constructor(
    private readonly options: ExecuteOptions<R>,
    private readonly run: ActiveRun<R>,
    private readonly latest: LatestStates,
  ) {
    this.batches = new BatchRunner(options, run, latest);
  }

  async runStep(state: StepState): Promise<void> {
    if (state.batch) return this.batches.runBatch(state);
    const { step, asset } = state;
    const { log } = this.run;
    this.run.begin(state);
    const lease = await leasePartition(this.options.storage, state, log, this.run.signal);
    if (lease.kind === 'cancelled')
      return this.run.settle(state, 'cancelled', 'cancelled while waiting for another run');
    try {
      const consumed = this.latest.consumedBy(state.upstreams);
      if (lease.waitedFor && (await this.doneMeanwhile(state, consumed, lease.waitedFor))) return;
      const outcome = await materializeWithRetries(asset, step, {
        signal: this.run.signal,
        log,
        context: (signal) => this.context(state, signal),
      });
      if (outcome.kind === 'cancelled') this.run.settle(state, 'cancelled', outcome.why);
      else if (outcome.kind === 'failed') failStep(this.run, this.latest, state, consumed, outcome.error);
      else await this.succeed(state, consumed, outcome.result);
    } finally {
      log.write({
        releasedLeases: [{ assetKey: step.assetKey, partition: step.partition, runId: log.runId }],
      });
    }
  }

  /**
   * After waiting for another run: if it materialised the partition from the same code and inputs,
   * this step has nothing to add and succeeds without running, saying so.
   */
  private async doneMeanwhile(state: StepState, consumed: ConsumedVersions, other: string): Promise<boolean> {
    const { step, asset } = state;
    const [now] = (await this.options.storage.assetPartitions([asset.key])).filter(
      (candidate) => candidate.partition === step.partition,
    );
    const same =
      now?.runId === other &&
      now.status === 'materialized' &&
      now.codeVersion === asset.codeVersion &&
      sameVersions(now.consumed, consumed);
    if (!same) return false;
    this.latest.set(now);
    step.rowCount = now.rowCount;
    this.run.log.emit('log', step, `skipped: run ${other.slice(0, 8)} materialised it from the same inputs`, {
      level: 'info',
      skippedFor: other,
    });
    this.run.settle(state, 'success', null);
    return true;
  }

  private context(state: StepState, signal: AbortSignal): StepContext<unknown> {
    return stepContext(this.options, this.run.log, state, signal);
  }

  private async succeed(
    state: StepState,
    consumed: ConsumedVersions,
    result: MaterializeResult,
  ): Promise<void> {
    const { step, asset } = state;
    const { log } = this.run;
    const finishedAt = log.now();
    const dataVersion = result.dataVersion ?? randomBytes(8).toString('hex');
    const metadata: Metadata = result.metadata ?? {};
    const rows = result.rows ?? null;
    step.rowCount = rows;
    const records = materializationRecords(
      {
        runId: log.runId,
        asset,
        partition: step.partition,
        startedAt: step.startedAt!,
        finishedAt,
        consumed,
      },
      { status: 'success', rows, dataVersion, metadata, failure: null },
    );
    // Stored before the checks run, which may take long; the partition's state waits for their verdict.
    log.write({ materializations: [records.materialization] });
    log.emit('materialized', step, rows === null ? 'materialised' : `materialised ${rows} rows`, {
      rows,
      metadata,
      dataVersion,
      codeVersion: asset.codeVersion,
    });
    const failedCheck = await runChecks(asset, step, result, () => this.context(state, this.run.signal), log);
    const own: AssetPartitionState = failedCheck
      ? { ...records.state, status: 'failed', failure: failedCheck }
      : records.state;
    this.latest.set(own);
    log.write({ assetPartitions: [own] });
    this.recordRewritten(state, result.rewrote ?? [], own);
    if (failedCheck) this.run.settle(state, 'failed', failedCheck);
    else this.run.settle(state, 'success', null);
  }

  /**
   * Records the other partitions a step rewrote, with the step's outcome: they were written by the
   * same load and passed (or failed) the same checks.
   */
  private recordRewritten(state: StepState, rewritten: RewrittenPartition[], own: AssetPartitionState): void {
    const { step, asset } = state;
    const { log } = this.run;
    const { graph, plan } = this.options;
    const changed: string[] = [];
    for (const written of rewritten) {
      if (written.partition === step.partition) continue;
      if (this.latest.get(asset.key, written.partition)?.dataVersion !== written.dataVersion) {
        changed.push(written.partition);
      }
      const now = log.now();
      const consumed = this.latest.consumedBy(
        asset.deps.map((dep) => ({
          key: dep.key,
          partitions: graph.upstreamPartitions(dep, written.partition, now),
        })),
      );
      const records = materializationRecords(
        {
          runId: log.runId,
          asset,
          partition: written.partition,
          startedAt: step.startedAt!,
          finishedAt: own.updatedAt,
          consumed,
        },
        {
          status: 'success',
          rows: written.rows,
          dataVersion: written.dataVersion,
          metadata: { ...(written.metadata ?? {}), rewrittenBy: step.partition },
          failure: own.failure,
        },
      );
      this.latest.set(records.state);
      log.write({ materializations: [records.materialization], assetPartitions: [records.state] });
    }
    if (own.status === 'materialized' && changed.length > 0) {
      this.selected ??= new Set(plan.assets.map((selected) => selected.key));
      planDownstreamOf(this.run, graph, this.selected, asset.key, changed);
    }
  }
}

/** Whether two sets of consumed versions are equal (storage may return their keys in another order). */
function sameVersions(a: ConsumedVersions, b: ConsumedVersions): boolean {
  const flat = (versions: ConsumedVersions) =>
    Object.entries(versions)
      .flatMap(([key, partitions]) =>
        Object.entries(partitions).map(([p, v]) => `${key}\u0000${p}\u0000${v}`),
      )
      .sort()
      .join('\n');
  return flat(a) === flat(b);
}
