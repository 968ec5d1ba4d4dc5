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
 * Progress goes to the event bus at once and to storage in batches.
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
  active.link(createdAt);
  const latest = await LatestStates.load(storage, active.assetKeys());

  const run: Run = {
    id: log.runId,
    status: 'running',
    trigger: options.trigger ?? 'manual',
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

  log.emit('run_started', null, `run of ${active.size} steps`, { steps: active.size });
  const runner = new StepRunner(options, active, latest);
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

function runStatus(steps: readonly Step[], cancelled: boolean): RunStatus {
  if (cancelled) return 'cancelled';
  return steps.every((step) => step.status === 'success') ? 'success' : 'failed';
}
