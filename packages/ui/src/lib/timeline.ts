/** The run timeline (Gantt): step bars on a time axis with readable ticks. */

export interface TimelineStep {
  assetKey: string;
  partition: string;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface TimelineBar<T extends TimelineStep> {
  step: T;
  /** Offsets from the timeline's start, in ms; null when the step never started. */
  start: number | null;
  end: number | null;
}

export interface Timeline<T extends TimelineStep> {
  start: number;
  span: number;
  bars: TimelineBar<T>[];
  ticks: { at: number; label: string }[];
}

const tickSteps = [
  10, 25, 50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
  900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000,
];

export function tickLabel(ms: number): string {
  if (ms === 0) return '0';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${ms / 1000} s`;
  if (ms < 3_600_000) return `${ms / 60_000} min`;
  return `${ms / 3_600_000} h`;
}

/** Ticks at a round interval giving at most `most` of them across `span` ms. */
export function ticks(span: number, most = 8): { at: number; label: string }[] {
  const step = tickSteps.find((candidate) => span / candidate <= most) ?? Math.ceil(span / most);
  const result: { at: number; label: string }[] = [];
  for (let at = 0; at <= span; at += step) result.push({ at, label: tickLabel(at) });
  return result;
}

/**
 * Bars for the steps of a run: from the run's creation (or its first step) to its end, or to `now`
 * while it runs; a running step's bar grows to `now`.
 */
export function timeline<T extends TimelineStep>(
  steps: readonly T[],
  run: { createdAt: string; finishedAt: string | null },
  now: number = Date.now(),
): Timeline<T> {
  const created = Date.parse(run.createdAt);
  const starts = steps.map((step) => (step.startedAt ? Date.parse(step.startedAt) : Number.NaN));
  const firstStart = Math.min(...starts.filter((value) => !Number.isNaN(value)));
  const start = Number.isFinite(firstStart) ? Math.min(created, firstStart) : created;
  const ends = steps.map((step) => (step.finishedAt ? Date.parse(step.finishedAt) : Number.NaN));
  const lastEnd = Math.max(start, ...ends.filter((value) => !Number.isNaN(value)));
  const finish = run.finishedAt ? Math.max(Date.parse(run.finishedAt), lastEnd) : Math.max(now, lastEnd);
  const span = Math.max(1, finish - start);
  const bars = steps.map((step, index) => {
    const begun = starts[index]!;
    if (Number.isNaN(begun)) return { step, start: null, end: null };
    const ended = ends[index]!;
    const end = Number.isNaN(ended) ? (step.status === 'running' ? finish : begun) : ended;
    return { step, start: begun - start, end: Math.max(begun, end) - start };
  });
  return { start, span, bars, ticks: ticks(span) };
}

/** Past this many steps, the run page shows a row per asset rather than a row per step. */
export const GROUP_STEPS_ABOVE = 60;

export interface StepGroup<T extends TimelineStep> {
  key: string;
  steps: T[];
  /** The group as one step: its first start, its last end (none while one runs), its worst status. */
  span: TimelineStep;
  counts: { status: StepStatusName; count: number }[];
}

type StepStatusName = 'failed' | 'running' | 'blocked' | 'cancelled' | 'queued' | 'success';
/** The order statuses are counted and a group takes its colour from: what needs a look first. */
const statusOrder: StepStatusName[] = ['failed', 'running', 'blocked', 'cancelled', 'queued', 'success'];

/** A run's steps by asset, in the order each asset first appears in `steps`. */
export function groupSteps<T extends TimelineStep & { status: StepStatusName }>(
  steps: readonly T[],
): StepGroup<T>[] {
  const byKey = new Map<string, T[]>();
  for (const step of steps) {
    const list = byKey.get(step.assetKey);
    if (list) list.push(step);
    else byKey.set(step.assetKey, [step]);
  }
  return [...byKey].map(([key, members]) => {
    const counts = statusOrder
      .map((status) => ({ status, count: members.filter((step) => step.status === status).length }))
      .filter(({ count }) => count > 0);
    const starts = members.map((step) => step.startedAt).filter((at): at is string => at !== null);
    const running = members.some((step) => step.status === 'running' || (step.startedAt && !step.finishedAt));
    const ends = members.map((step) => step.finishedAt).filter((at): at is string => at !== null);
    return {
      key,
      steps: members,
      span: {
        assetKey: key,
        partition: '',
        status: counts[0]!.status,
        startedAt: starts.sort()[0] ?? null,
        finishedAt: running ? null : (ends.sort().at(-1) ?? null),
      },
      counts,
    };
  });
}
