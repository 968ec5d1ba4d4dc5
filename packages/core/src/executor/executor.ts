import { randomBytes, randomUUID } from 'node:crypto';
import type {
  Asset,
  Dependency,
  MaterializeResult,
  Metadata,
  RewrittenPartition,
} from '../definitions/types.ts';
import { errorMessage } from '../errors.ts';
import type { AssetGraph } from '../graph/assetGraph.ts';
import { addDays, partitionWindow, UNPARTITIONED } from '../partitions/daily.ts';
import { describeReasons, type Plan } from '../planner/plan.ts';
import { stepId } from '../planner/planner.ts';
import type {
  AssetPartitionState,
  ConsumedVersions,
  Run,
  RunEvent,
  RunEventType,
  RunStatus,
  RunTrigger,
  Step,
} from '../storage/records.ts';
import type { RunStorage } from '../storage/runStorage.ts';
import { WriteBuffer } from '../storage/writeBuffer.ts';
import type { RunEventBus } from './eventBus.ts';
import { PoolLimits } from './pools.ts';
import { backoffDelay, isTransient } from './transient.ts';

export interface ExecuteOptions<R> {
  graph: AssetGraph<R>;
  plan: Plan;
  storage: RunStorage;
  resources: R;
  /** Sizes of named pools; a pool without a size is bounded only by `maxParallel`. */
  pools: Readonly<Record<string, number>>;
  maxParallel: number;
  runId?: string;
  trigger?: RunTrigger;
  parentRunId?: string | null;
  signal?: AbortSignal;
  bus?: RunEventBus;
  now?: () => Date;
  /** Called once the run and its steps are stored, before any step starts. */
  onRecorded?: (run: Run) => void;
}

export interface RunOutcome {
  run: Run;
  steps: Step[];
}

export function newRunId(): string {
  return randomUUID();
}

interface StepState {
  step: Step;
  asset: Asset<unknown>;
  /** Planned steps this one waits for. */
  waitingOn: number;
  dependents: StepState[];
  upstreams: Array<{ key: string; partitions: string[] }>;
}

/**
 * Runs a plan: each step starts when the planned steps it reads have succeeded, within its pool's
 * size and the global cap. A failed step (or an `error` check) blocks everything downstream of it.
 * Progress goes to the event bus at once and to storage in batches.
 */
/** The partitions of a downstream asset that read one partition of an upstream through `dep`. */
function readersOf(dep: Dependency, partition: string, downstreamDaily: boolean): string[] {
  if (!downstreamDaily) return [UNPARTITIONED];
  switch (dep.mapping.kind) {
    case 'identity':
      return partition ? [partition] : [];
    case 'window': {
      const days: string[] = [];
      for (let offset = -dep.mapping.endOffset; offset <= -dep.mapping.startOffset; offset++)
        days.push(addDays(partition, offset));
      return days;
    }
    case 'all':
      // A daily asset reading all of an unpartitioned upstream: every one of its days would be
      // stale; the next plan picks them up rather than this run growing by the whole history.
      return [];
  }
}

export async function execute<R>(options: ExecuteOptions<R>): Promise<RunOutcome> {
  return new RunExecution(options).run();
}

class RunExecution<R> {
  private readonly now: () => Date;
  private readonly runId: string;
  private readonly buffer: WriteBuffer;
  private readonly states = new Map<string, StepState>();
  private readonly latest = new Map<string, AssetPartitionState>();
  private readonly ready: StepState[] = [];
  private readonly pools: PoolLimits;
  private readonly abort = new AbortController();
  private seq = 0;
  private running = 0;
  private remaining = 0;
  private finished!: () => void;

  constructor(private readonly options: ExecuteOptions<R>) {
    this.now = options.now ?? (() => new Date());
    this.runId = options.runId ?? newRunId();
    this.buffer = new WriteBuffer(options.storage);
    this.pools = new PoolLimits(options.pools);
  }

  async run(): Promise<RunOutcome> {
    const { plan, storage, graph } = this.options;
    const createdAt = this.now();
    for (const planned of plan.steps) {
      const asset = graph.get(planned.assetKey) as Asset<unknown>;
      const step: Step = {
        runId: this.runId,
        assetKey: planned.assetKey,
        partition: planned.partition,
        status: 'queued',
        reason: describeReasons(planned.reasons),
        attempts: 0,
        startedAt: null,
        finishedAt: null,
        rowCount: null,
        error: null,
      };
      this.states.set(stepId(asset.key, planned.partition), {
        step,
        asset,
        waitingOn: 0,
        dependents: [],
        upstreams: [],
      });
    }
    this.link(createdAt);
    await this.loadUpstreamState();

    const run: Run = {
      id: this.runId,
      status: 'running',
      trigger: this.options.trigger ?? 'manual',
      selection: plan.request.selection,
      partitionFrom: plan.request.from ?? null,
      partitionTo: plan.request.to ?? null,
      force: plan.request.force ?? false,
      parentRunId: this.options.parentRunId ?? null,
      stepCount: this.states.size,
      createdAt,
      finishedAt: null,
      error: null,
    };
    await storage.createRun(
      run,
      [...this.states.values()].map((state) => state.step),
    );
    this.options.onRecorded?.(run);

    const external = this.options.signal;
    const onAbort = () => this.abort.abort(external?.reason);
    if (external?.aborted) onAbort();
    else external?.addEventListener('abort', onAbort, { once: true });

    this.emit('run_started', null, `run of ${this.states.size} steps`, { steps: this.states.size });
    for (const state of this.states.values()) {
      this.emit('step_queued', state, state.step.reason, { reason: state.step.reason });
    }
    this.remaining = this.states.size;
    const done = new Promise<void>((resolve) => {
      this.finished = resolve;
    });
    for (const state of this.states.values()) if (state.waitingOn === 0) this.ready.push(state);
    if (this.remaining === 0) this.finished();
    if (this.abort.signal.aborted) this.cancelQueued();
    else this.pump();
    this.abort.signal.addEventListener('abort', () => this.cancelQueued(), { once: true });
    await done;
    external?.removeEventListener('abort', onAbort);

    const steps = [...this.states.values()].map((state) => state.step);
    run.status = runStatus(steps, this.abort.signal.aborted);
    run.finishedAt = this.now();
    const counts = countByStatus(steps);
    run.stepCount = steps.length;
    this.buffer.add({
      runs: [
        { id: run.id, status: run.status, finishedAt: run.finishedAt, error: null, stepCount: run.stepCount },
      ],
    });
    // Whoever hears that the run finished (the UI refetching its history) must find all of it stored.
    await this.buffer.flush();
    this.emit('run_finished', null, `run ${run.status}`, { status: run.status, ...counts });
    await this.buffer.flush();
    return { run, steps };
  }

  /** Works out, for each step, which planned steps it waits for and which upstream partitions it reads. */
  private link(now: Date): void {
    const { graph } = this.options;
    for (const state of this.states.values()) {
      for (const dep of state.asset.deps) {
        const partitions = graph.upstreamPartitions(dep, state.step.partition, now);
        state.upstreams.push({ key: dep.key, partitions });
        for (const partition of partitions) {
          const upstream = this.states.get(stepId(dep.key, partition));
          if (!upstream) continue;
          upstream.dependents.push(state);
          state.waitingOn++;
        }
      }
    }
  }

  private async loadUpstreamState(): Promise<void> {
    const keys = new Set<string>();
    for (const state of this.states.values()) {
      keys.add(state.asset.key);
      for (const upstream of state.upstreams) keys.add(upstream.key);
    }
    for (const partition of await this.options.storage.assetPartitions([...keys])) {
      this.latest.set(stepId(partition.assetKey, partition.partition), partition);
    }
  }

  private pump(): void {
    for (let i = 0; i < this.ready.length && this.running < this.options.maxParallel; ) {
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

  private async runStep(state: StepState): Promise<void> {
    const { step, asset } = state;
    step.status = 'running';
    step.startedAt = this.now();
    this.saveStep(step);
    this.emit('step_started', state, null, {});
    const consumed = this.consumedVersions(state);
    let result: MaterializeResult | undefined;
    for (;;) {
      step.attempts++;
      try {
        result = await this.attempt(state);
        break;
      } catch (error) {
        if (this.abort.signal.aborted) return this.settle(state, 'cancelled', 'cancelled while running');
        const retriesLeft = asset.retry.maxRetries - (step.attempts - 1);
        if (isTransient(error) && retriesLeft > 0) {
          const delay = backoffDelay(asset.retry, step.attempts);
          this.emit(
            'step_retry',
            state,
            `attempt ${step.attempts} failed (${errorMessage(error)}); retrying in ${delay} ms`,
            {
              attempt: step.attempts,
              delayMs: delay,
              error: errorMessage(error),
            },
          );
          if (await sleep(delay, this.abort.signal)) continue;
          return this.settle(state, 'cancelled', 'cancelled while waiting to retry');
        }
        return this.fail(state, consumed, errorMessage(error));
      }
    }
    await this.succeed(state, consumed, result ?? {});
  }

  private async attempt(state: StepState): Promise<MaterializeResult | undefined> {
    const { asset, step } = state;
    const controller = new AbortController();
    const forward = () => controller.abort(this.abort.signal.reason);
    this.abort.signal.addEventListener('abort', forward, { once: true });
    const timer =
      asset.timeoutMs === null
        ? null
        : setTimeout(() => {
            const timeout = new Error(`timed out after ${asset.timeoutMs} ms`);
            timeout.name = 'TimeoutError';
            controller.abort(timeout);
          }, asset.timeoutMs);
    try {
      const work = asset.materialize!({
        ...this.context(state, controller.signal),
        attempt: step.attempts,
      });
      // A step that ignores its signal still ends the attempt when aborted.
      return await Promise.race([work, rejectOnAbort(controller.signal)]);
    } finally {
      if (timer) clearTimeout(timer);
      this.abort.signal.removeEventListener('abort', forward);
    }
  }

  private context(state: StepState, signal: AbortSignal) {
    const { asset, step } = state;
    return {
      key: asset.key,
      partition: step.partition,
      window: asset.partitions && step.partition ? partitionWindow(asset.partitions, step.partition) : null,
      runId: this.runId,
      signal,
      resources: this.options.resources,
      cursors: this.options.storage,
      log: (message: string, level: 'info' | 'warn' | 'error' = 'info') =>
        this.emit('log', state, message, { level }),
    };
  }

  private async succeed(
    state: StepState,
    consumed: ConsumedVersions,
    result: MaterializeResult,
  ): Promise<void> {
    const { step, asset } = state;
    const finishedAt = this.now();
    const dataVersion = result.dataVersion ?? randomBytes(8).toString('hex');
    const metadata: Metadata = result.metadata ?? {};
    const rows = result.rows ?? null;
    step.rowCount = rows;
    this.buffer.add({
      materializations: [
        {
          runId: this.runId,
          assetKey: asset.key,
          partition: step.partition,
          status: 'success',
          startedAt: step.startedAt!,
          finishedAt,
          rowCount: rows,
          dataVersion,
          codeVersion: asset.codeVersion,
          consumed,
          metadata,
          error: null,
        },
      ],
    });
    this.emit('materialized', state, rows === null ? 'materialised' : `materialised ${rows} rows`, {
      rows,
      metadata,
      dataVersion,
      codeVersion: asset.codeVersion,
    });
    const failedCheck = await this.runChecks(state, result);
    const partitionState: AssetPartitionState = {
      assetKey: asset.key,
      partition: step.partition,
      status: failedCheck ? 'failed' : 'materialized',
      dataVersion,
      codeVersion: asset.codeVersion,
      consumed,
      materializedAt: step.startedAt,
      rowCount: rows,
      runId: this.runId,
      failure: failedCheck,
      updatedAt: finishedAt,
    };
    this.latest.set(stepId(asset.key, step.partition), partitionState);
    this.buffer.add({ assetPartitions: [partitionState] });
    this.recordRewritten(state, result.rewrote ?? [], partitionState);
    if (failedCheck) this.settle(state, 'failed', failedCheck);
    else this.settle(state, 'success', null);
  }

  /**
   * Records the other partitions a step rewrote, with the step's outcome: they were written by the
   * same load and passed (or failed) the same checks.
   */
  private recordRewritten(state: StepState, rewritten: RewrittenPartition[], own: AssetPartitionState): void {
    const { step, asset } = state;
    const changed: string[] = [];
    for (const written of rewritten) {
      if (written.partition === step.partition) continue;
      const before = this.latest.get(stepId(asset.key, written.partition));
      if (before?.dataVersion !== written.dataVersion) changed.push(written.partition);
      const now = this.now();
      const upstreams = asset.deps.map((dep) => ({
        key: dep.key,
        partitions: this.options.graph.upstreamPartitions(dep, written.partition, now),
      }));
      const consumed = this.consumedVersions({ upstreams });
      const partitionState: AssetPartitionState = {
        ...own,
        partition: written.partition,
        dataVersion: written.dataVersion,
        consumed,
        rowCount: written.rows,
      };
      this.latest.set(stepId(asset.key, written.partition), partitionState);
      this.buffer.add({
        materializations: [
          {
            runId: this.runId,
            assetKey: asset.key,
            partition: written.partition,
            status: 'success',
            startedAt: step.startedAt!,
            finishedAt: own.updatedAt,
            rowCount: written.rows,
            dataVersion: written.dataVersion,
            codeVersion: asset.codeVersion,
            consumed,
            metadata: { ...(written.metadata ?? {}), rewrittenBy: step.partition },
            error: null,
          },
        ],
        assetPartitions: [partitionState],
      });
    }
    if (own.status === 'materialized' && changed.length > 0) this.planDownstreamOf(asset.key, changed);
  }

  /**
   * Adds to this run what reads partitions that a step rewrote with new data: every selected asset
   * downstream of them, partition by partition (same-day and window mappings), transitively — so one
   * run brings the days a lookback corrected up to date, not the next one.
   */
  private planDownstreamOf(key: string, partitions: string[]): void {
    const { graph, plan } = this.options;
    const selected = new Set(plan.assets.map((asset) => asset.key));
    const now = this.now();
    const added: StepState[] = [];
    const queue = partitions.map((partition) => ({ key, partition }));
    for (let next = queue.shift(); next; next = queue.shift()) {
      for (const downKey of graph.downstreamKeys(next.key)) {
        if (!selected.has(downKey)) continue;
        const down = graph.get(downKey) as Asset<unknown>;
        const dep = down.deps.find((candidate) => candidate.key === next!.key)!;
        for (const partition of readersOf(dep, next.partition, down.partitions !== null)) {
          if (this.states.has(stepId(downKey, partition))) continue;
          const state: StepState = {
            step: {
              runId: this.runId,
              assetKey: downKey,
              partition,
              status: 'queued',
              reason: `upstream ${next.key}${next.partition ? `[${next.partition}]` : ''} was rewritten with new data`,
              attempts: 0,
              startedAt: null,
              finishedAt: null,
              rowCount: null,
              error: null,
            },
            asset: down,
            waitingOn: 0,
            dependents: [],
            upstreams: [],
          };
          this.states.set(stepId(downKey, partition), state);
          added.push(state);
          queue.push({ key: downKey, partition });
        }
      }
    }
    this.remaining += added.length;
    for (const state of added) {
      for (const dep of state.asset.deps) {
        const upstreamPartitions = graph.upstreamPartitions(dep, state.step.partition, now);
        state.upstreams.push({ key: dep.key, partitions: upstreamPartitions });
        for (const partition of upstreamPartitions) {
          const upstream = this.states.get(stepId(dep.key, partition));
          if (!upstream || upstream.step.status === 'success') continue;
          upstream.dependents.push(state);
          state.waitingOn++;
        }
      }
      this.saveStep(state.step);
      this.emit('step_queued', state, state.step.reason, { reason: state.step.reason });
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

  private fail(state: StepState, consumed: ConsumedVersions, error: string): void {
    const { step, asset } = state;
    const finishedAt = this.now();
    const previous = this.latest.get(stepId(asset.key, step.partition));
    const partitionState: AssetPartitionState = {
      assetKey: asset.key,
      partition: step.partition,
      status: 'failed',
      dataVersion: previous?.dataVersion ?? null,
      codeVersion: previous?.codeVersion ?? null,
      consumed: previous?.consumed ?? {},
      materializedAt: previous?.materializedAt ?? null,
      rowCount: previous?.rowCount ?? null,
      runId: this.runId,
      failure: error,
      updatedAt: finishedAt,
    };
    this.latest.set(stepId(asset.key, step.partition), partitionState);
    this.buffer.add({
      materializations: [
        {
          runId: this.runId,
          assetKey: asset.key,
          partition: step.partition,
          status: 'failed',
          startedAt: step.startedAt!,
          finishedAt,
          rowCount: null,
          dataVersion: null,
          codeVersion: asset.codeVersion,
          consumed,
          metadata: {},
          error,
        },
      ],
      assetPartitions: [partitionState],
    });
    this.settle(state, 'failed', error);
  }

  /** Runs the asset's checks; returns why an `error` check failed, or null. */
  private async runChecks(state: StepState, materialization: MaterializeResult): Promise<string | null> {
    const { asset, step } = state;
    let failure: string | null = null;
    for (const check of asset.checks) {
      let passed: boolean;
      let message: string | null;
      let metadata: Metadata = {};
      try {
        const result = await check.run({ ...this.context(state, this.abort.signal), materialization });
        passed = result.passed;
        message = result.message ?? null;
        metadata = result.metadata ?? {};
      } catch (error) {
        passed = false;
        message = `the check raised: ${errorMessage(error)}`;
      }
      const at = this.now();
      this.buffer.add({
        checkResults: [
          {
            runId: this.runId,
            assetKey: asset.key,
            partition: step.partition,
            checkName: check.name,
            severity: check.severity,
            passed,
            message,
            metadata,
            at,
          },
        ],
      });
      this.emit(
        'check_result',
        state,
        `${check.name} ${passed ? 'passed' : 'failed'}${message ? `: ${message}` : ''}`,
        {
          check: check.name,
          severity: check.severity,
          passed,
          metadata,
        },
      );
      if (!passed && check.severity === 'error' && failure === null) {
        failure = `check ${check.name} failed${message ? `: ${message}` : ''}`;
      }
    }
    return failure;
  }

  /** Finishes a step and releases or blocks what waits on it. */
  private settle(state: StepState, status: 'success' | 'failed' | 'cancelled', error: string | null): void {
    const { step } = state;
    step.status = status;
    step.error = error;
    step.finishedAt = this.now();
    this.saveStep(step);
    const label = `${step.assetKey}${step.partition ? `[${step.partition}]` : ''}`;
    if (status === 'success') {
      this.emit('step_succeeded', state, null, { rows: step.rowCount });
    } else if (status === 'failed') {
      this.emit('step_failed', state, error, { error });
    } else {
      this.emit('step_cancelled', state, error, {});
    }
    this.remaining--;
    for (const dependent of state.dependents) {
      if (status === 'success') {
        if (--dependent.waitingOn === 0 && dependent.step.status === 'queued') {
          if (this.abort.signal.aborted) this.cancel(dependent);
          else this.ready.push(dependent);
        }
      } else if (status === 'failed') {
        this.block(dependent, `upstream ${label} failed: ${error}`);
      }
    }
    if (this.remaining === 0) this.finished();
  }

  private block(state: StepState, why: string): void {
    if (state.step.status !== 'queued') return;
    state.step.status = 'blocked';
    state.step.error = why;
    state.step.finishedAt = this.now();
    this.saveStep(state.step);
    this.emit('step_blocked', state, why, { cause: why });
    this.remaining--;
    for (const dependent of state.dependents) this.block(dependent, why);
    if (this.remaining === 0) this.finished();
  }

  private cancel(state: StepState): void {
    if (state.step.status !== 'queued') return;
    state.step.status = 'cancelled';
    state.step.finishedAt = this.now();
    this.saveStep(state.step);
    this.emit('step_cancelled', state, 'cancelled before it started', {});
    this.remaining--;
    if (this.remaining === 0) this.finished();
  }

  private cancelQueued(): void {
    this.ready.length = 0;
    for (const state of this.states.values()) this.cancel(state);
  }

  private consumedVersions(state: Pick<StepState, 'upstreams'>): ConsumedVersions {
    const consumed: ConsumedVersions = {};
    for (const upstream of state.upstreams) {
      const versions: Record<string, string> = {};
      for (const partition of upstream.partitions) {
        const version = this.latest.get(stepId(upstream.key, partition))?.dataVersion;
        if (version) versions[partition] = version;
      }
      consumed[upstream.key] = versions;
    }
    return consumed;
  }

  private saveStep(step: Step): void {
    this.buffer.add({ steps: [{ ...step }] });
  }

  private emit(
    type: RunEventType,
    state: StepState | null,
    message: string | null,
    data: RunEvent['data'],
  ): void {
    const event: RunEvent = {
      runId: this.runId,
      seq: ++this.seq,
      type,
      assetKey: state?.step.assetKey ?? null,
      partition: state?.step.partition ?? null,
      at: this.now(),
      message,
      data,
    };
    this.buffer.add({ events: [event] });
    this.options.bus?.publish(event);
  }
}

function runStatus(steps: readonly Step[], cancelled: boolean): RunStatus {
  if (cancelled) return 'cancelled';
  return steps.every((step) => step.status === 'success') ? 'success' : 'failed';
}

export function countByStatus(steps: readonly Step[]): Record<Step['status'], number> {
  const counts = { queued: 0, running: 0, success: 0, failed: 0, blocked: 0, cancelled: 0 };
  for (const step of steps) counts[step.status]++;
  return counts;
}

/** Resolves true after `ms`, or false as soon as the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}
