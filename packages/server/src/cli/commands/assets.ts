import {
  type AssetStatus,
  assetStatuses,
  indexStates,
  partitionDateSchema,
  planFromState,
  resolveSelection,
  type StateIndex,
  UserError,
} from '@vitrina/core';
import type { Workspace } from '../../workspace.ts';
import { ago, colour, status, table } from '../format.ts';

/**
 * Lists the selected assets with their state, then counts them by state. External ones (sources,
 * charts, dashboards: observed, never materialised) are left out unless asked for, and counted in a
 * line at the end. With `to`, the state is through that day, and a line says what the days after it
 * hold still to build (a bring-up that deliberately leaves yesterday for the next day's load).
 */
export async function assetsCommand(
  workspace: Workspace,
  selection = '*',
  options: { external?: boolean; to?: string } = {},
): Promise<void> {
  const to = options.to === undefined ? undefined : dayOption(options.to);
  const { graph } = workspace.location;
  const selected = resolveSelection(graph, selection);
  const hidden = options.external ? [] : [...selected].filter((key) => graph.get(key).storage === 'external');
  for (const key of hidden) selected.delete(key);
  const now = new Date();
  const states = indexStates(await workspace.storage.assetPartitions());
  const statuses = assetStatuses(graph, states, now, to).filter((entry) => selected.has(entry.key));
  const rows = statuses.map((entry) => [
    entry.key,
    entry.group,
    status(entry.health),
    entry.partitions.total > 1 || graph.get(entry.key).partitions
      ? `${entry.partitions.materialized}/${entry.partitions.total}`
      : entry.partitions.materialized > 0
        ? '1/1'
        : '0/1',
    ago(entry.lastMaterializedAt, now),
    entry.reason ? colour.dim(truncate(entry.reason, 90)) : '',
  ]);
  if (rows.length > 0)
    console.log(table(['ASSET', 'GROUP', 'STATUS', 'PARTITIONS', 'LAST MATERIALISED', 'WHY'], rows));
  else if (hidden.length === 0) console.log('No assets selected.');
  if (rows.length > 0) console.log(`\n${countsLine(statuses, to)}`);
  if (to !== undefined) {
    const later = leftAfter(workspace, selected, states, to, now);
    if (later) console.log(later);
  }
  if (hidden.length > 0)
    console.log(
      colour.dim(
        `${rows.length > 0 ? '\n' : ''}${hidden.length} external asset${hidden.length === 1 ? '' : 's'} (sources, charts, dashboards: observed, not materialised) not listed; --external lists them`,
      ),
    );
  for (const standIn of workspace.location.standIns) console.log(colour.yellow(`stand-in: ${standIn}`));
}

function dayOption(value: string): string {
  const parsed = partitionDateSchema.safeParse(value);
  if (!parsed.success) throw new UserError(`--to: expected a calendar day YYYY-MM-DD, got "${value}"`);
  return parsed.data;
}

/** "75 assets through 2026-12-01: 73 fresh, 2 failed". */
function countsLine(statuses: AssetStatus[], to: string | undefined): string {
  const counts = new Map<string, number>();
  for (const entry of statuses) counts.set(entry.health, (counts.get(entry.health) ?? 0) + 1);
  const parts = ['fresh', 'stale', 'overdue', 'never', 'failed']
    .filter((health) => counts.has(health))
    .map((health) => `${counts.get(health)} ${status(health)}`);
  const noun = `${statuses.length} asset${statuses.length === 1 ? '' : 's'}`;
  return `${noun}${to ? ` through ${to}` : ''}: ${parts.join(', ')}`;
}

/** What the days after `to` still hold to build, in one line; null when nothing. */
function leftAfter(
  workspace: Workspace,
  selected: ReadonlySet<string>,
  states: StateIndex,
  to: string,
  now: Date,
): string | null {
  const next = new Date(`${to}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const from = next.toISOString().slice(0, 10);
  const { graph } = workspace.location;
  const daily = [...selected].filter((key) => graph.get(key).partitions);
  let plan: ReturnType<typeof planFromState>;
  try {
    plan = planFromState(graph, new Set(daily), states, { selection: '*', from }, now);
  } catch {
    return null; // no complete day after `to` yet
  }
  const steps = plan.steps.filter((step) => step.partition >= from);
  if (steps.length === 0) return colour.dim(`Nothing is left after ${to}.`);
  const days = [...new Set(steps.map((step) => step.partition))].sort();
  const assets = new Set(steps.map((step) => step.assetKey)).size;
  const span = days.length === 1 ? days[0] : `${days[0]} … ${days.at(-1)} (${days.length} days)`;
  return colour.dim(
    `Left for later, not failed: ${span}, ${steps.length} partitions of ${assets} assets (vitrina plan '*' --from ${from} lists them).`,
  );
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
