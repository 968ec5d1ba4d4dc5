import { useEffect, useState } from 'react';
import { api } from './client.ts';
import { type RunEvent, runEventTypes, schemas } from './types.ts';

/**
 * A run's events over Server-Sent Events: everything so far, then live until `run_finished`.
 * Events arriving together are rendered together (one update per animation frame).
 */
export function useRunStream(runId: string): { events: RunEvent[]; connected: boolean; finished: boolean } {
  const [state, setState] = useState<{ events: RunEvent[]; connected: boolean; finished: boolean }>({
    events: [],
    connected: false,
    finished: false,
  });
  useEffect(() => {
    setState({ events: [], connected: false, finished: false });
    const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/stream`);
    let pending: RunEvent[] = [];
    let frame: number | null = null;
    let finished = false;
    const flush = () => {
      frame = null;
      const batch = pending;
      pending = [];
      setState((previous) => ({ events: [...previous.events, ...batch], connected: !finished, finished }));
    };
    source.onopen = () => setState((previous) => ({ ...previous, connected: true }));
    for (const type of runEventTypes) {
      source.addEventListener(type, (message) => {
        const parsed = schemas.event.safeParse(JSON.parse((message as MessageEvent<string>).data));
        if (!parsed.success) return;
        pending.push(parsed.data);
        if (parsed.data.type === 'run_finished') {
          finished = true;
          source.close();
        }
        frame ??= requestAnimationFrame(flush);
      });
    }
    source.onerror = () => {
      setState((previous) => ({ ...previous, connected: false }));
      // The browser reconnects by itself; stop if the run ended without a last event (a crashed server).
      api.run(runId).then(
        ({ run }) => {
          if (run.status === 'running' || finished) return;
          finished = true;
          source.close();
          frame ??= requestAnimationFrame(flush);
        },
        () => undefined,
      );
    };
    return () => {
      source.close();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [runId]);
  return state;
}
