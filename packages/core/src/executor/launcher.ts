import type { Location } from '../definitions/location.ts';
import type { Plan } from '../planner/plan.ts';
import type { RunEvent, RunTrigger } from '../storage/records.ts';
import type { RunStorage } from '../storage/runStorage.ts';
import { RunEventBus } from './eventBus.ts';
import { execute, newRunId, type RunOutcome } from './executor.ts';

export interface LaunchedRun {
  runId: string;
  /** Resolves once the run is stored (so it can be looked up), rejects if it could not start. */
  recorded: Promise<void>;
  /** Resolves when the run has finished and everything it did is stored. */
  done: Promise<RunOutcome>;
}

interface ActiveRun {
  abort: AbortController;
  /** Every event of the run so far, so a late subscriber misses nothing that storage has not got yet. */
  events: RunEvent[];
  done: Promise<RunOutcome>;
}

/**
 * Starts runs of one code location in this process and keeps track of them: their live events,
 * cancellation, and the location's resources (opened on the first run, closed with the launcher).
 * The CLI, the HTTP API and the scheduler all start runs through it.
 */
export class RunLauncher<R = unknown> {
  readonly bus = new RunEventBus();
  private readonly active = new Map<string, ActiveRun>();
  private resources: Promise<R> | null = null;

  constructor(
    private readonly options: {
      location: Location<R>;
      storage: RunStorage;
      pools: Readonly<Record<string, number>>;
      maxParallel: number;
    },
  ) {}

  launch(
    plan: Plan,
    options: { trigger?: RunTrigger; parentRunId?: string | null; runId?: string } = {},
  ): LaunchedRun {
    const runId = options.runId ?? newRunId();
    const abort = new AbortController();
    const events: RunEvent[] = [];
    const unsubscribe = this.bus.subscribe(runId, (event) => events.push(event));
    const { location, storage, pools, maxParallel } = this.options;
    let onRecorded!: () => void;
    const recorded = new Promise<void>((resolve) => {
      onRecorded = resolve;
    });
    const done = (async () => {
      try {
        this.resources ??= location.resources.open();
        return await execute({
          graph: location.graph,
          plan,
          storage,
          resources: await this.resources,
          pools,
          maxParallel,
          runId,
          bus: this.bus,
          signal: abort.signal,
          trigger: options.trigger ?? 'manual',
          parentRunId: options.parentRunId ?? null,
          onRecorded,
        });
      } finally {
        unsubscribe();
        this.active.delete(runId);
      }
    })();
    this.active.set(runId, { abort, events, done });
    return { runId, recorded: Promise.race([recorded, done.then(() => {})]), done };
  }

  /** Cancels a run started here; false when no such run is active in this process. */
  cancel(runId: string, reason = 'cancelled'): boolean {
    const run = this.active.get(runId);
    if (!run) return false;
    run.abort.abort(new Error(reason));
    return true;
  }

  /** The completion of a run active here, or null. */
  done(runId: string): Promise<RunOutcome> | null {
    return this.active.get(runId)?.done ?? null;
  }

  /** The runs started here that have not finished. */
  activeRunIds(): string[] {
    return [...this.active.keys()];
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /** The events so far of a run active here (null when it is not), and a subscription to the rest. */
  follow(
    runId: string,
    listener: (event: RunEvent) => void,
  ): { past: RunEvent[]; unsubscribe: () => void } | null {
    const run = this.active.get(runId);
    if (!run) return null;
    const past = [...run.events];
    const unsubscribe = this.bus.subscribe(runId, listener);
    return { past, unsubscribe };
  }

  /** Cancels what is running, waits for it, and closes the location's resources. */
  async close(): Promise<void> {
    const running = [...this.active.values()];
    for (const run of running) run.abort.abort(new Error('shutting down'));
    await Promise.allSettled(running.map((run) => run.done));
    if (this.resources) {
      const opened = this.resources;
      this.resources = null;
      const resources = await opened.then(
        (value) => ({ value }),
        () => null,
      );
      if (resources) await this.options.location.resources.close(resources.value);
    }
  }
}
