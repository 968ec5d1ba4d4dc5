import type { QueryClient } from '@tanstack/react-query';
import { type Run, type RunEvent, runEventTypes, schemas } from './types.ts';

export interface LiveRun {
  id: string;
  status: Run['status'];
  total: number;
  done: number;
  failed: number;
  /** `asset|partition` of the steps running now. */
  running: Set<string>;
  /** When this browser started following it (ms). */
  since: number;
}

export interface LiveSnapshot {
  runs: ReadonlyMap<string, LiveRun>;
  /** Asset key → partitions being materialised now (across all live runs). */
  runningAssets: ReadonlyMap<string, ReadonlySet<string>>;
}

const finishedStep = new Set<RunEvent['type']>([
  'step_succeeded',
  'step_failed',
  'step_blocked',
  'step_cancelled',
]);

/** Applies one event to a run's live state; returns whether asset states may have changed. */
export function applyEvent(run: LiveRun, event: RunEvent): boolean {
  const step = `${event.assetKey ?? ''}|${event.partition ?? ''}`;
  switch (event.type) {
    case 'run_started': {
      const steps = event.data.steps;
      if (typeof steps === 'number') run.total = steps;
      return false;
    }
    case 'step_started':
      run.running.add(step);
      return true;
    case 'run_finished': {
      const status = event.data.status;
      run.status = status === 'success' || status === 'failed' || status === 'cancelled' ? status : 'failed';
      run.running.clear();
      return true;
    }
    default:
      if (!finishedStep.has(event.type)) return event.type === 'materialized';
      run.running.delete(step);
      run.done++;
      if (event.type !== 'step_succeeded') run.failed++;
      return true;
  }
}

type Source = Pick<EventSource, 'addEventListener' | 'close'> & { onerror: EventSource['onerror'] };

/**
 * Follows every running run over Server-Sent Events: which assets are materialising now, progress
 * per run, and fresh data for the graph as steps finish. One stream per run, however many views
 * watch it.
 */
export class LiveRuns {
  private runs = new Map<string, LiveRun>();
  private sources = new Map<string, Source>();
  private listeners = new Set<() => void>();
  private snapshot: LiveSnapshot = { runs: new Map(), runningAssets: new Map() };
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  /** Runs with step events since the last refresh. */
  private readonly changedRuns = new Set<string>();

  constructor(
    private readonly client: QueryClient,
    private readonly open: (url: string) => Source = (url) => new EventSource(url),
  ) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LiveSnapshot => this.snapshot;

  private everyRun: Source | null = null;

  /**
   * Follows every run's start and end in the server (`/api/live`): a run started elsewhere (the
   * CLI, the scheduler) is followed from its first event, and one that ends before anything else
   * would notice still refreshes the run lists. Runs of another process are found by the poll.
   */
  followEveryRun(): () => void {
    if (this.everyRun) return () => {};
    const source = this.open('/api/live');
    this.everyRun = source;
    source.addEventListener('run_started', (message) => {
      const parsed = schemas.event.safeParse(JSON.parse((message as MessageEvent<string>).data));
      if (parsed.success) this.track(parsed.data.runId);
    });
    source.addEventListener('run_finished', () => {
      void this.client.invalidateQueries({ queryKey: ['runs'] });
    });
    source.onerror = null; // the browser reconnects by itself
    return () => {
      source.close();
      this.everyRun = null;
    };
  }

  /** Starts following a run (no-op when already followed or known finished). */
  track(runId: string): void {
    if (this.sources.has(runId)) return;
    const known = this.runs.get(runId);
    if (known && known.status !== 'running') return;
    const run: LiveRun = {
      id: runId,
      status: 'running',
      total: 0,
      done: 0,
      failed: 0,
      running: new Set(),
      since: Date.now(),
    };
    this.runs.set(runId, run);
    // A run started elsewhere (the CLI, the scheduler) shows in the run lists as soon as it is followed.
    if (!known) void this.client.invalidateQueries({ queryKey: ['runs'] });
    const source = this.open(`/api/runs/${encodeURIComponent(runId)}/stream`);
    this.sources.set(runId, source);
    for (const type of runEventTypes) {
      source.addEventListener(type, (message) => {
        const parsed = schemas.event.safeParse(JSON.parse((message as MessageEvent<string>).data));
        if (!parsed.success) return;
        const changed = applyEvent(run, parsed.data);
        if (parsed.data.type === 'run_finished') this.finish(runId);
        else if (changed) this.refresh(parsed.data.assetKey, runId);
        this.publish();
      });
    }
    // On a dropped connection the browser reconnects by itself, resuming with Last-Event-ID.
    source.onerror = null;
    this.publish();
  }

  /** Stops following a run storage no longer lists as running (it ended without a last event). */
  forget(runId: string): void {
    this.sources.get(runId)?.close();
    this.sources.delete(runId);
    const run = this.runs.get(runId);
    if (run?.status === 'running') this.runs.delete(runId);
    this.publish();
  }

  close(): void {
    this.everyRun?.close();
    this.everyRun = null;
    for (const source of this.sources.values()) source.close();
    this.sources.clear();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
  }

  private finish(runId: string) {
    this.sources.get(runId)?.close();
    this.sources.delete(runId);
    void this.client.invalidateQueries({ queryKey: ['runs'] });
    void this.client.invalidateQueries({ queryKey: ['run', runId] });
    // Every asset page shown: a step's event can arrive before its records are flushed to storage,
    // and the run ends only after they are, so this refetch is the one that sees them all.
    void this.client.invalidateQueries({ queryKey: ['asset'] });
    // A load may have quarantined rows: the quarantine's counts and rows change with its end.
    void this.client.invalidateQueries({ queryKey: ['quarantine'] });
    this.refresh(null, null);
  }

  /**
   * Refetches the graph, the run pages and the run lists at most every 300 ms while steps finish
   * (the changed asset's page at once): the pages follow the event stream rather than a poll.
   */
  private refresh(assetKey: string | null, runId: string | null) {
    if (assetKey) void this.client.invalidateQueries({ queryKey: ['asset', assetKey] });
    if (runId) this.changedRuns.add(runId);
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.client.invalidateQueries({ queryKey: ['assets'] });
      void this.client.invalidateQueries({ queryKey: ['plan'] });
      if (this.changedRuns.size > 0) void this.client.invalidateQueries({ queryKey: ['runs', 'list'] });
      for (const id of this.changedRuns) void this.client.invalidateQueries({ queryKey: ['run', id] });
      this.changedRuns.clear();
    }, 300);
  }

  private publish() {
    const runningAssets = new Map<string, Set<string>>();
    for (const run of this.runs.values()) {
      for (const step of run.running) {
        const bar = step.indexOf('|');
        const key = step.slice(0, bar);
        if (!runningAssets.has(key)) runningAssets.set(key, new Set());
        runningAssets.get(key)!.add(step.slice(bar + 1));
      }
    }
    this.snapshot = {
      runs: new Map([...this.runs].map(([id, run]) => [id, { ...run, running: new Set(run.running) }])),
      runningAssets,
    };
    for (const listener of this.listeners) listener();
  }
}
