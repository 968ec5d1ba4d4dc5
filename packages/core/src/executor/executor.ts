import { randomUUID } from 'node:crypto';
import type { AssetGraph } from '../graph/assetGraph.ts';
import { describeReasons, type Plan } from '../planner/plan.ts';
import { thisProcess } from '../storage/processes.ts';
import type { Run, RunStatus, RunTrigger, Step } from '../storage/records.ts';
import type { RunStorage } from '../storage/runStorage.ts';
import { WriteBuffer } from '../storage/writeBuffer.ts';
import { ActiveRun } from './activeRun.ts';
import type { RunEventBus } from './eventBus.ts';
import { countByStatus, LatestStates, queuedStep } from './records.ts';
import { HEARTBEAT_MS } from './recovery.ts';

export { countByStatus };

import { CheckStepRunner } from './checkStepRunner.ts';
import { RunLog } from './runLog.ts';
import { StepRunner } from './stepRunner.ts';

export interface ExecuteOptions<R> {
  graph: AssetGraph<R>;
  plan: Plan;
  storage: RunStorage;
  resources: R;
  /** Sizes of named pools; a pool without a size is bounded only by `maxParallel`. */
  pools: Readonly<Record<string, number>>;
  maxParallel: number;
  runId?: string;
  /** Who started the run; a check-only plan's run is always recorded as `checks`. */
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

/**
 * Runs a plan: each step starts when the planned steps it reads have succeeded, within its pool's
 * size and the global cap. A failed step (or an `error` check) blocks everything downstream of it.
 * A check-only plan (`planChecks`) runs each step's checks on the data stored instead, none
 * waiting for another. Progress goes to the event bus at once and to storage in batches.
 */
export async function execute<R>(options: ExecuteOptions<R>): Promise<RunOutcome> {
  const { graph, plan, storage } = options;
  const log = new RunLog(
    options.runId ?? newRunId(),
    options.now ?? (() => new Date()),
    new WriteBuffer(storage),
    options.bus,
  );
  const active = new ActiveRun(log, graph, options.pools, options.maxParallel);
  const createdAt = log.now();
  for (const planned of plan.steps) {
    active.add(queuedStep(log.runId, planned.assetKey, planned.partition, describeReasons(planned.reasons)));
  }
  const checksOnly = plan.mode === 'checks';
  // A check-only step reads what is stored, never what another step of its run writes: none waits.
  if (!checksOnly) {
    active.link(createdAt);
    active.batch();
  }
  const runner = checksOnly
    ? new CheckStepRunner(options, active)
    : new StepRunner(options, active, await LatestStates.load(storage, active.assetKeys()));

  const run: Run = {
    id: log.runId,
    status: 'running',
    trigger: triggerOf(plan, options.trigger),
    selection: plan.request.selection,
    partitionFrom: plan.request.from ?? null,
    partitionTo: plan.request.to ?? null,
    force: plan.request.force ?? false,
    parentRunId: options.parentRunId ?? null,
    stepCount: active.size,
    createdAt,
    finishedAt: null,
    error: null,
    host: thisProcess.host,
    pid: thisProcess.pid,
    heartbeatAt: createdAt,
  };
  await storage.createRun(run, active.steps());
  options.onRecorded?.(run);
  // A missed beat is harmless (the next one makes up for it); only a long silence marks the run dead.
  const heartbeat = setInterval(() => {
    storage.liveness.beat([run.id], log.now()).catch(() => {});
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const external = options.signal;
  const onAbort = () => active.abort(external?.reason);
  if (external?.aborted) onAbort();
  else external?.addEventListener('abort', onAbort, { once: true });

  const kind = checksOnly ? 'check-only run' : 'run';
  log.emit('run_started', null, `${kind} of ${active.size} steps`, { steps: active.size, checksOnly });
  try {
    await active.start((state) => runner.runStep(state));
  } finally {
    clearInterval(heartbeat);
    external?.removeEventListener('abort', onAbort);
  }

  const steps = active.steps();
  run.status = runStatus(steps, active.signal.aborted);
  run.finishedAt = log.now();
  const counts = countByStatus(steps);
  run.stepCount = steps.length;
  log.write({
    runs: [
      { id: run.id, status: run.status, finishedAt: run.finishedAt, error: null, stepCount: run.stepCount },
    ],
  });
  // Whoever hears that the run finished (the UI refetching its history) must find all of it stored.
  await log.flush();
  log.emit('run_finished', null, `run ${run.status}`, { status: run.status, ...counts });
  await log.flush();
  return { run, steps };
}

/** A check-only plan's run is recorded as `checks` however it was started, and no other run is. */
function triggerOf(plan: Plan, trigger: RunTrigger | undefined): RunTrigger {
  if (plan.mode === 'checks') return 'checks';
  if (trigger === 'checks') throw new Error('the trigger "checks" is for check-only plans (planChecks)');
  return trigger ?? 'manual';
}

function runStatus(steps: readonly Step[], cancelled: boolean): RunStatus {
  if (cancelled) return 'cancelled';
  return steps.every((step) => step.status === 'success') ? 'success' : 'failed';
}
