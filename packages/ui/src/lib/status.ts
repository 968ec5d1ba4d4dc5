import type { AssetHealth, Run, Step } from '../api/types.ts';

/** What a node shows: the API's health, or `running` while a live run is materialising it. */
export type NodeState = AssetHealth | 'running';

export interface StateStyle {
  label: string;
  /** Strong colour: stripes, badges, the whole node when zoomed out. */
  colour: string;
  /** Light tint for backgrounds. */
  tint: string;
  /** A glyph beside the colour, so the state never depends on colour alone. */
  glyph: string;
  /** Sort order for legends and lists: the states needing attention first. */
  rank: number;
}

export const stateStyles: Record<NodeState, StateStyle> = {
  failed: { label: 'Failed', colour: '#dc2626', tint: '#fef2f2', glyph: '✕', rank: 0 },
  running: { label: 'Running', colour: '#2563eb', tint: '#eff6ff', glyph: '▶', rank: 1 },
  overdue: { label: 'Overdue', colour: '#9333ea', tint: '#faf5ff', glyph: '⏰', rank: 2 },
  stale: { label: 'Stale', colour: '#d97706', tint: '#fffbeb', glyph: '◐', rank: 3 },
  never: { label: 'Never materialised', colour: '#94a3b8', tint: '#f8fafc', glyph: '○', rank: 4 },
  fresh: { label: 'Fresh', colour: '#16a34a', tint: '#f0fdf4', glyph: '●', rank: 5 },
  external: { label: 'External', colour: '#64748b', tint: '#f1f5f9', glyph: '⇢', rank: 6 },
};

export const nodeStates = (Object.keys(stateStyles) as NodeState[]).sort(
  (a, b) => stateStyles[a].rank - stateStyles[b].rank,
);

/** A running materialisation outranks whatever the graph last said. */
export function nodeState(health: AssetHealth, running: boolean): NodeState {
  return running ? 'running' : health;
}

/** One line on why a node has its state, for tooltips and the side panel. */
export function stateSentence(state: NodeState, reason: string | null): string {
  const style = stateStyles[state];
  if (state === 'running') return 'Materialising now';
  if (state === 'fresh') return 'Up to date';
  if (state === 'external') return 'Observed source (not materialised here)';
  return reason ? `${style.label}: ${reason}` : style.label;
}

export type RunStatus = Run['status'];
export type StepStatus = Step['status'];

export const runStatusStyles: Record<
  RunStatus | StepStatus,
  { label: string; colour: string; glyph: string }
> = {
  queued: { label: 'Queued', colour: '#94a3b8', glyph: '…' },
  running: { label: 'Running', colour: '#2563eb', glyph: '▶' },
  success: { label: 'Succeeded', colour: '#16a34a', glyph: '✓' },
  failed: { label: 'Failed', colour: '#dc2626', glyph: '✕' },
  blocked: { label: 'Blocked', colour: '#b45309', glyph: '⊘' },
  cancelled: { label: 'Cancelled', colour: '#64748b', glyph: '■' },
};

/** Counts per state, in legend order, leaving out states nothing is in. */
export function stateCounts(states: Iterable<NodeState>): { state: NodeState; count: number }[] {
  const counts = new Map<NodeState, number>();
  for (const state of states) counts.set(state, (counts.get(state) ?? 0) + 1);
  return nodeStates
    .filter((state) => counts.has(state))
    .map((state) => ({ state, count: counts.get(state)! }));
}
