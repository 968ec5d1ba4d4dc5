import { assetStatuses, indexStates, resolveSelection } from '@vitrina/core';
import type { Workspace } from '../../workspace.ts';
import { ago, colour, status, table } from '../format.ts';

/**
 * Lists the selected assets with their state. External ones (sources, charts, dashboards: observed,
 * never materialised) are left out unless asked for, and counted in a line at the end.
 */
export async function assetsCommand(
  workspace: Workspace,
  selection = '*',
  options: { external?: boolean } = {},
): Promise<void> {
  const { graph } = workspace.location;
  const selected = resolveSelection(graph, selection);
  const hidden = options.external ? [] : [...selected].filter((key) => graph.get(key).storage === 'external');
  for (const key of hidden) selected.delete(key);
  const now = new Date();
  const states = indexStates(await workspace.storage.assetPartitions());
  const rows = assetStatuses(graph, states, now)
    .filter((entry) => selected.has(entry.key))
    .map((entry) => [
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
  if (hidden.length > 0)
    console.log(
      colour.dim(
        `${rows.length > 0 ? '\n' : ''}${hidden.length} external asset${hidden.length === 1 ? '' : 's'} (sources, charts, dashboards: observed, not materialised) not listed; --external lists them`,
      ),
    );
  for (const standIn of workspace.location.standIns) console.log(colour.yellow(`stand-in: ${standIn}`));
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
