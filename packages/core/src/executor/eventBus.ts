import type { RunEvent } from '../storage/records.ts';

export type RunListener = (event: RunEvent) => void;

/** In-process fan-out of run events, so the CLI and the server follow a run live. */
export class RunEventBus {
  private readonly listeners = new Map<string, Set<RunListener>>();

  /** Listens to one run's events, or every run's with '*'. Returns the unsubscribe function. */
  subscribe(runId: string, listener: RunListener): () => void {
    const set = this.listeners.get(runId) ?? new Set<RunListener>();
    this.listeners.set(runId, set);
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(runId);
    };
  }

  publish(event: RunEvent): void {
    for (const key of [event.runId, '*']) {
      for (const listener of this.listeners.get(key) ?? []) {
        try {
          listener(event);
        } catch {
          // A listener's failure must never stop a run.
        }
      }
    }
  }
}
