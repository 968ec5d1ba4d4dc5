import type { Asset } from '../definitions/types.ts';
import type { AssetGraph } from '../graph/assetGraph.ts';
import { addDays } from '../partitions/daily.ts';
import { stepId } from '../planner/planner.ts';
import type { Step } from '../storage/records.ts';
import { PoolLimits } from './pools.ts';
import { partitionLabel } from './records.ts';
import type { RunLog } from './runLog.ts';

export interface StepState {
  step: Step;
  asset: Asset<unknown>;
  /** Steps of this run it still waits for. */
  waitingOn: number;
  dependents: StepState[];
  /** Every upstream partition it reads, whether this run materialises it or not. */
  upstreams: Array<{ key: string; partitions: string[] }>;
  /** The steps materialised with it in one go (its asset's backfill policy), or null. */
  batch: Batch | null;
}

/** Steps of one asset that run as one (see `BackfillPolicy`), in partition order. */
export interface Batch {
  members: StepState[];
  /** Handed to the ready queue (once, as its newest member still queued). */
  released: boolean;
}

export type Ending = 'success' | 'failed' | 'cancelled';

/**
 * The steps of one run while it goes: which wait for which, the ready queue drained within the
 * pools and the global cap, and how each ends — a failure blocks everything downstream of it, and
 * aborting cancels everything still queued.
 */
export class ActiveRun<R> {
  private readonly states = new Map<string, StepState>();
  private readonly ready: StepState[] = [];
  private readonly pools: PoolLimits;
  private readonly controller = new AbortController();
  private running = 0;
  private remaining = 0;
  private finished!: () => void;
  private runStep!: (state: StepState) => Promise<void>;

  constructor(
    readonly log: RunLog,
    private readonly graph: AssetGraph<R>,
    pools: Readonly<Record<string, number>>,
    private readonly maxParallel: number,
  ) {
    this.pools = new PoolLimits(pools);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get size(): number {
    return this.states.size;
  }

  abort(reason: unknown): void {
    this.controller.abort(reason);
  }

  has(assetKey: string, partition: string): boolean {
    return this.states.has(stepId(assetKey, partition));
  }

  steps(): Step[] {
    return [...this.states.values()].map((state) => state.step);
  }

  /** The assets whose partitions the run writes or reads. */
  assetKeys(): string[] {
    const keys = new Set<string>();
    for (const state of this.states.values()) {
      keys.add(state.asset.key);
      for (const upstream of state.upstreams) keys.add(upstream.key);
    }
    return [...keys];
  }

  add(step: Step): StepState {
    const state: StepState = {
      step,
      asset: this.graph.get(step.assetKey) as Asset<unknown>,
      waitingOn: 0,
      dependents: [],
      upstreams: [],
      batch: null,
    };
    this.states.set(stepId(step.assetKey, step.partition), state);
    return state;
  }

  /** Links the planned steps, before the run starts. */
  link(now: Date): void {
    for (const state of this.states.values()) this.linkUpstreams(state, now);
  }

  /**
   * Groups the queued steps of each asset with a backfill policy into batches: every planned day
   * (`latest`), or runs of consecutive days up to its size (`range`).
   */
  batch(): void {
    const byAsset = new Map<string, StepState[]>();
    for (const state of this.states.values()) {
      if (!state.asset.backfill || !state.asset.partitions) continue;
      const steps = byAsset.get(state.asset.key) ?? [];
      steps.push(state);
      byAsset.set(state.asset.key, steps);
    }
    for (const steps of byAsset.values()) {
      steps.sort((a, b) => (a.step.partition < b.step.partition ? -1 : 1));
      const policy = steps[0]!.asset.backfill!;
      const groups: StepState[][] = [];
      for (const state of steps) {
        const group = groups.at(-1);
        const joins =
          group !== undefined &&
          (policy.kind === 'latest' ||
            (group.length < policy.maxPartitions &&
              addDays(group.at(-1)!.step.partition, 1) === state.step.partition));
        if (joins) group.push(state);
        else groups.push([state]);
      }
      for (const members of groups) {
        const batch: Batch = { members, released: false };
        for (const member of members) member.batch = batch;
      }
    }
  }

  /** Runs every step, starting each once what it waits for has succeeded; resolves when all have ended. */
  async start(runStep: (state: StepState) => Promise<void>): Promise<void> {
    this.runStep = runStep;
    for (const state of this.states.values()) {
      this.log.emit('step_queued', state.step, state.step.reason, { reason: state.step.reason });
    }
    this.remaining = this.states.size;
    const done = new Promise<void>((resolve) => {
      this.finished = resolve;
    });
    for (const state of this.states.values()) if (state.waitingOn === 0) this.release(state);
    if (this.remaining === 0) this.finished();
    if (this.signal.aborted) this.cancelQueued();
    else this.pump();
    this.signal.addEventListener('abort', () => this.cancelQueued(), { once: true });
    await done;
  }

  /** Queues steps added (with `add`) while the run goes; they start once the current step ends. */
  enqueue(added: StepState[], now: Date): void {
    this.remaining += added.length;
    for (const state of added) {
      this.linkUpstreams(state, now);
      this.log.saveStep(state.step);
      this.log.emit('step_queued', state.step, state.step.reason, { reason: state.step.reason });
    }
    for (const state of added) {
      const failedUpstream = state.upstreams.some((upstream) =>
        upstream.partitions.some((partition) => {
          const status = this.states.get(stepId(upstream.key, partition))?.step.status;
          return status === 'failed' || status === 'blocked' || status === 'cancelled';
        }),
      );
      if (failedUpstream) this.block(state, 'an upstream step of this run did not succeed');
      else if (state.waitingOn === 0) this.ready.push(state);
    }
  }

  /** Marks a step running as it starts. */
  begin(state: StepState): void {
    const { step } = state;
    step.status = 'running';
    step.startedAt = this.log.now();
    this.log.saveStep(step);
    this.log.emit('step_started', step, null, {});
  }

  /** Ends a step that ran, and releases or blocks what waits on it. */
  settle(state: StepState, status: Ending, error: string | null): void {
    const { step } = state;
    step.status = status;
    step.error = error;
    step.finishedAt = this.log.now();
    this.log.saveStep(step);
    if (status === 'success') this.log.emit('step_succeeded', step, null, { rows: step.rowCount });
    else if (status === 'failed') this.log.emit('step_failed', step, error, { error });
    else this.log.emit('step_cancelled', step, error, {});
    this.remaining--;
    const label = partitionLabel(step.assetKey, step.partition);
    for (const dependent of state.dependents) {
      if (status === 'success') {
        if (--dependent.waitingOn === 0 && dependent.step.status === 'queued') {
          if (this.signal.aborted) this.cancel(dependent);
          else this.release(dependent);
        }
      } else if (status === 'failed') {
        this.block(dependent, `upstream ${label} failed: ${error}`);
      }
    }
    if (this.remaining === 0) this.finished();
  }

  /** Records which upstream partitions a step reads, and waits for those this run has yet to succeed at. */
  private linkUpstreams(state: StepState, now: Date): void {
    for (const dep of state.asset.deps) {
      const partitions = this.graph.upstreamPartitions(dep, state.step.partition, now);
      state.upstreams.push({ key: dep.key, partitions });
      for (const partition of partitions) {
        const upstream = this.states.get(stepId(dep.key, partition));
        if (!upstream || upstream.step.status === 'success') continue;
        upstream.dependents.push(state);
        state.waitingOn++;
      }
    }
  }

  /**
   * A step with nothing left to wait for goes to the ready queue; a batch's, once every member is
   * ready or will not run (blocked, cancelled), as its newest member still queued.
   */
  private release(state: StepState): void {
    const { batch } = state;
    if (!batch) {
      this.ready.push(state);
      return;
    }
    if (batch.released) return;
    const queued = batch.members.filter((member) => member.step.status === 'queued');
    if (queued.length === 0 || queued.some((member) => member.waitingOn > 0)) return;
    batch.released = true;
    this.ready.push(queued.at(-1)!);
  }

  private pump(): void {
    for (let i = 0; i < this.ready.length && this.running < this.maxParallel; ) {
      const state = this.ready[i]!;
      if (!this.pools.hasRoom(state.asset.pool)) {
        i++;
        continue;
      }
      this.ready.splice(i, 1);
      this.pools.take(state.asset.pool);
      this.running++;
      void this.runStep(state).finally(() => {
        this.pools.give(state.asset.pool);
        this.running--;
        this.pump();
      });
    }
  }

  private block(state: StepState, why: string): void {
    const { step } = state;
    if (step.status !== 'queued') return;
    step.status = 'blocked';
    step.error = why;
    step.finishedAt = this.log.now();
    this.log.saveStep(step);
    this.log.emit('step_blocked', step, why, { cause: why });
    this.remaining--;
    for (const dependent of state.dependents) this.block(dependent, why);
    // The rest of its batch may now be all ready: it runs without this day.
    if (state.batch && !this.signal.aborted) {
      const waiting = state.batch.members.find((member) => member.step.status === 'queued');
      if (waiting) this.release(waiting);
    }
    if (this.remaining === 0) this.finished();
  }

  private cancel(state: StepState): void {
    const { step } = state;
    if (step.status !== 'queued') return;
    step.status = 'cancelled';
    step.finishedAt = this.log.now();
    this.log.saveStep(step);
    this.log.emit('step_cancelled', step, 'cancelled before it started', {});
    this.remaining--;
    if (this.remaining === 0) this.finished();
  }

  private cancelQueued(): void {
    this.ready.length = 0;
    for (const state of this.states.values()) this.cancel(state);
  }
}
