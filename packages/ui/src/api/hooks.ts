import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useSyncExternalStore } from 'react';
import { api, type MaterializeRequest } from './client.ts';
import type { LiveRuns, LiveSnapshot } from './live.ts';
import type { Launched } from './types.ts';

export const LiveRunsContext = createContext<LiveRuns | null>(null);

function useLiveRunsStore(): LiveRuns {
  const store = useContext(LiveRunsContext);
  if (!store) throw new Error('LiveRunsContext is missing');
  return store;
}

/** What is running now, across the app; also keeps following every run the server says is running. */
export function useLive(): LiveSnapshot {
  const store = useLiveRunsStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** Follows every run the server starts, and polls the running runs (another process's too); mounted once, in the app shell. */
export function useFollowRunningRuns(): void {
  const store = useLiveRunsStore();
  useEffect(() => store.followEveryRun(), [store]);
  const running = useQuery({
    queryKey: ['runs', 'running'],
    queryFn: ({ signal }) => api.runs({ limit: 100, status: 'running' }, signal),
    refetchInterval: 4000,
  });
  useEffect(() => {
    if (!running.data) return;
    const ids = new Set(running.data.runs.map((run) => run.id));
    for (const id of ids) store.track(id);
    for (const [id, run] of store.getSnapshot().runs) {
      // A run storage no longer lists as running, followed for a while: it ended without a last event.
      if (run.status === 'running' && !ids.has(id) && Date.now() - run.since > 10_000) store.forget(id);
    }
  }, [running.data, store]);
}

export function useGraph() {
  return useQuery({
    queryKey: ['assets'],
    queryFn: ({ signal }) => api.graph(signal),
    refetchInterval: 30_000,
  });
}

export function useAsset(key: string | null) {
  return useQuery({
    queryKey: ['asset', key],
    queryFn: ({ signal }) => api.asset(key!, signal),
    enabled: key !== null,
  });
}

/** An asset's columns with their lineage; under the asset's key, so a materialisation refreshes them. */
export function useAssetColumns(key: string) {
  return useQuery({
    queryKey: ['asset', key, 'columns'],
    queryFn: ({ signal }) => api.assetColumns(key, signal),
  });
}

/** The planner's view of one asset: which partitions are stale and why. */
export function useAssetPlan(key: string | null, enabled = true) {
  return useQuery({
    queryKey: ['plan', key],
    queryFn: ({ signal }) => api.plan(key!, signal),
    enabled: key !== null && enabled,
  });
}

export function useRuns(limit: number, status?: string) {
  return useQuery({
    queryKey: ['runs', 'list', limit, status ?? 'all'],
    queryFn: ({ signal }) => api.runs({ limit, status }, signal),
    // The event stream refreshes the lists as steps finish; the poll is the fallback.
    refetchInterval: (query) =>
      query.state.data?.runs.some((run) => run.status === 'running') ? 5000 : 15_000,
  });
}

export function useRun(id: string) {
  return useQuery({
    queryKey: ['run', id],
    queryFn: ({ signal }) => api.run(id, signal),
    // The event stream refreshes a running run's page as its steps finish; the poll is the fallback.
    refetchInterval: (query) => (query.state.data?.run.status === 'running' ? 5000 : false),
  });
}

/** Starts a run and follows it live at once. */
export function useMaterialize(onLaunched?: (launched: Launched, request: MaterializeRequest) => void) {
  const store = useLiveRunsStore();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: MaterializeRequest) => api.materialize(request),
    onSuccess: (launched, request) => {
      if (launched.runId) store.track(launched.runId);
      void client.invalidateQueries({ queryKey: ['runs'] });
      onLaunched?.(launched, request);
    },
  });
}

export function useRunAction(kind: 'cancel' | 'rerun', onDone?: (launched: Launched | null) => void) {
  const store = useLiveRunsStore();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string): Promise<Launched | null> => {
      if (kind === 'cancel') {
        await api.cancel(id);
        return null;
      }
      return api.rerun(id);
    },
    onSuccess: (launched, id) => {
      if (launched?.runId) store.track(launched.runId);
      void client.invalidateQueries({ queryKey: ['runs'] });
      void client.invalidateQueries({ queryKey: ['run', id] });
      onDone?.(launched);
    },
  });
}
