import type { AssetGraph } from '../graph/assetGraph.ts';
import { stepId } from '../planner/planner.ts';
import { isProcessAlive, thisProcess } from '../storage/processes.ts';
import {
  emptyBatch,
  type Run,
  type RunEvent,
  type RunStatus,
  type Step,
  type WriteBatch,
} from '../storage/records.ts';
import type { RunStorage } from '../storage/runStorage.ts';
import { countByStatus, materializationRecords } from './records.ts';

/** How often a running run says it is alive. */
export const HEARTBEAT_MS = 5_000;
/** A run silent this long is dead even if a process with its pid exists (pid reuse, another host). */
export const STALE_AFTER_MS = 60_000;
/** On this machine, a live pid silent this long is taken for a reused one. */
const REUSED_PID_AFTER_MS = 10 * STALE_AFTER_MS;

export interface EndedRun {
  runId: string;
  why: string;
}

/**
 * Ends the runs whose process is gone — killed, crashed, or its machine lost — so none stays
 * `running` for good: each is marked failed with the last heartbeat, its unfinished steps failed
 * (running) or cancelled (queued), the partitions they were writing marked failed (a check-only
 * run writes none), and its leases freed. Every process that opens the run storage calls it, and
 * the scheduler on each tick.
 */
export async function recoverDeadRuns(
  storage: RunStorage,
  options: { now?: Date; graph?: AssetGraph<unknown> } = {},
): Promise<EndedRun[]> {
  const now = options.now ?? new Date();
  const ended: EndedRun[] = [];
  for (const run of await storage.liveness.running()) {
    const why = deathOf(run, now);
    if (!why) continue;
    const { graph } = options;
    const codeVersionOf = graph
      ? (key: string) => (graph.has(key) ? graph.get(key).codeVersion : undefined)
      : undefined;
    await endRun(storage, run, { status: 'failed', why, now, codeVersionOf });
    ended.push({ runId: run.id, why });
  }
  return ended;
}

/**
 * Why a running run is dead, or null while it may be alive. On this machine the pid says it: a
 * live process only missing beats (an event loop blocked by a long synchronous step, a slow run
 * storage) is not ended; only a silence long enough to mean its pid was reused is. On another
 * machine, a silence of STALE_AFTER_MS is all there is to go by.
 */
function deathOf(run: Run, now: Date): string | null {
  const lastBeat = run.heartbeatAt ?? run.createdAt;
  const silentMs = now.getTime() - lastBeat.getTime();
  const where = run.pid === null ? 'an unrecorded process' : `process ${run.pid} on ${run.host}`;
  const beat = `last heartbeat ${lastBeat.toISOString()}`;
  const silence = `process died: ${where} has not beaten for ${Math.round(silentMs / 1000)} s (${beat})`;
  if (run.host === thisProcess.host && run.pid !== null) {
    if (!isProcessAlive(run.pid)) return `process died: ${where} is gone (${beat})`;
    return silentMs > REUSED_PID_AFTER_MS ? silence : null;
  }
  return silentMs > STALE_AFTER_MS ? silence : null;
}

/**
 * Records the end of a run whose executor cannot: a dead one (failed), or one this process gives up
 * on while exiting (cancelled). Writes what the executor would have written, in one transaction.
 */
export async function endRun(
  storage: RunStorage,
  run: Pick<Run, 'id'>,
  options: {
    status: Extract<RunStatus, 'failed' | 'cancelled'>;
    why: string;
    now?: Date;
    codeVersionOf?: ((assetKey: string) => string | undefined) | undefined;
  },
): Promise<void> {
  const now = options.now ?? new Date();
  const steps = await storage.listSteps(run.id);
  const unfinished = steps.filter((step) => step.status === 'queued' || step.status === 'running');
  // A check-only run's steps write no partition, so there is none to mark failed.
  const checksOnly = (await storage.getRun(run.id))?.trigger === 'checks';
  const writing = checksOnly ? [] : unfinished.filter((step) => step.status === 'running');
  const previous = await storage.assetPartitions([...new Set(writing.map((step) => step.assetKey))]);
  let seq = await storage.liveness.lastEventSeq(run.id);
  const event = (type: RunEvent['type'], step: Step | null, message: string, data: RunEvent['data']) => ({
    runId: run.id,
    seq: ++seq,
    type,
    assetKey: step?.assetKey ?? null,
    partition: step?.partition ?? null,
    at: now,
    message,
    data,
  });
  const batch: WriteBatch = emptyBatch();
  for (const step of unfinished) {
    const running = step.status === 'running';
    const status = running && options.status === 'failed' ? 'failed' : 'cancelled';
    const error = running ? options.why : `${options.why}; the step had not started`;
    batch.steps.push({ ...step, status, error, finishedAt: now });
    batch.events.push(
      event(
        status === 'failed' ? 'step_failed' : 'step_cancelled',
        step,
        error,
        status === 'failed' ? { error } : {},
      ),
    );
    if (!running || checksOnly) continue;
    const before = previous.find((s) => s.assetKey === step.assetKey && s.partition === step.partition);
    const codeVersion = options.codeVersionOf?.(step.assetKey) ?? before?.codeVersion ?? 'unknown';
    const records = materializationRecords(
      {
        runId: run.id,
        asset: { key: step.assetKey, codeVersion },
        partition: step.partition,
        startedAt: step.startedAt ?? now,
        finishedAt: now,
        consumed: before?.consumed ?? {},
      },
      { status: 'failed', error: options.why, previous: before },
    );
    batch.materializations.push(records.materialization);
    batch.assetPartitions.push(records.state);
  }
  const ended = new Map(batch.steps.map((step) => [stepId(step.assetKey, step.partition), step]));
  const counts = countByStatus(steps.map((step) => ended.get(stepId(step.assetKey, step.partition)) ?? step));
  batch.events.push(
    event('run_finished', null, `run ${options.status}: ${options.why}`, {
      status: options.status,
      ...counts,
    }),
  );
  batch.runs.push({
    id: run.id,
    status: options.status,
    finishedAt: now,
    error: options.why,
    stepCount: steps.length,
  });
  await storage.write(batch);
  await storage.liveness.releaseAll(run.id);
}
