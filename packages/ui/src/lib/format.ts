const numberFormat = new Intl.NumberFormat('en-GB');

/** 1234567 → "1,234,567"; null → "—". */
export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : numberFormat.format(value);
}

/** A duration in the unit a person reads at a glance: 850 ms, 12.3 s, 4 m 05 s, 2 h 03 m, 3 d 4 h. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const value = Math.max(0, ms);
  if (value < 1000) return `${Math.round(value)} ms`;
  if (value < 60_000) return `${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`;
  const seconds = Math.floor(value / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} m ${String(seconds % 60).padStart(2, '0')} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} m`;
  const hours = Math.floor(minutes / 60);
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** Milliseconds between two ISO timestamps; `to` missing means still going, measured to `now`. */
export function durationBetween(
  from: string | null,
  to: string | null,
  now: number = Date.now(),
): number | null {
  if (!from) return null;
  const start = Date.parse(from);
  const end = to ? Date.parse(to) : now;
  return Number.isNaN(start) || Number.isNaN(end) ? null : end - start;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago", "in 4 h" — relative to `now`. */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'never';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '—';
  const diff = at - now;
  const abs = Math.abs(diff);
  const future = diff > 0;
  if (abs < 45_000) return future ? 'in a moment' : 'just now';
  const say = (value: number, unit: string) => {
    const text = `${value} ${unit}${value === 1 || unit === 'min' ? '' : 's'}`;
    return future ? `in ${text}` : `${text} ago`;
  };
  if (abs < 3_600_000) return say(Math.round(abs / 60_000), 'min');
  if (abs < 36 * 3_600_000) return say(Math.round(abs / 3_600_000), 'hour');
  return say(Math.round(abs / 86_400_000), 'day');
}

/** "25 Nov 2026, 04:01:23" in the viewer's time zone (or the one given). */
export function formatTimestamp(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  });
}

/** "04:01:23.622" — for event logs, where order within a second matters. */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** The first eight characters of a run id: enough to tell runs apart, as the CLI accepts prefixes. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** A partition key for display: the empty key of an unpartitioned asset reads as "—". */
export function formatPartition(partition: string | null | undefined): string {
  return partition ? partition : '—';
}

/** "1 step", "3 steps". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatNumber(count)} ${count === 1 ? singular : pluralForm}`;
}

/** SQL written inside template literals carries the code's indentation: take it off, keeping nesting. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n+|\s+$/g, '').split('\n');
  const rest = lines.slice(1);
  const indents = rest.filter((line) => line.trim()).map((line) => /^ */.exec(line)![0].length);
  const first = /^ */.exec(lines[0] ?? '')![0].length;
  // When the first line starts flush (it followed the backtick), continuation lines keep two spaces.
  const cut = indents.length ? Math.max(0, Math.min(...indents) - (first === 0 ? 2 : 0)) : 0;
  return [
    lines[0]!.slice(first),
    ...rest.map((line) => line.slice(Math.min(cut, /^ */.exec(line)![0].length))),
  ].join('\n');
}

/** How the warehouse's asset tags read on an asset page; any other tag is its name, humanised. */
const tagLabels: Record<string, string> = {
  procedure: 'Procedure',
  writes: 'Writes',
  source: 'Source system',
  table: 'Source table',
  load: 'Load',
  superset: 'Superset dashboard',
};

/** `procedure` → `Procedure`; `last_owner` → `Last owner`. */
export function tagLabel(name: string): string {
  const known = tagLabels[name];
  if (known) return known;
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}

/**
 * The partitions a run was started for, in one phrase that agrees with its force flag: a range or
 * all of them, and whether fresh ones are rebuilt too.
 */
export function runPartitions(run: {
  partitionFrom: string | null;
  partitionTo: string | null;
  force: boolean;
}): string {
  const range =
    run.partitionFrom === null
      ? null
      : run.partitionFrom === run.partitionTo || run.partitionTo === null
        ? run.partitionFrom
        : `${run.partitionFrom} → ${run.partitionTo}`;
  if (run.force)
    return range
      ? `${range}, every one rebuilt (forced)`
      : 'every partition, fresh ones rebuilt too (forced)';
  return range ? `${range}, the stale or missing ones` : 'every stale or missing one';
}

/** A backfill policy as the asset page says it. */
export function backfillText(policy: { kind: 'range'; maxPartitions: number } | { kind: 'latest' }): string {
  return policy.kind === 'latest'
    ? 'one build per run, standing for every day it plans'
    : `consecutive days in one step, up to ${formatNumber(policy.maxPartitions)} a step`;
}
