import { useAsset, useAssetPlan, useLive } from '../api/hooks.ts';
import type { AssetNode } from '../api/types.ts';
import { formatRelative, formatTimestamp } from '../lib/format.ts';
import { to } from '../lib/routes.ts';
import { nodeState, stateSentence } from '../lib/status.ts';
import { Link } from '../router.tsx';
import { MaterializeButton } from './actions.tsx';
import { ErrorState, Facts, StateBadge } from './common.tsx';
import { LineageLists } from './LineageLists.tsx';
import { PartitionBar } from './PartitionBar.tsx';

const none: ReadonlySet<string> = new Set();

/** The lineage's side panel for one selected asset: state, why, partitions and what to do about it. */
export function AssetPanel({
  node,
  onSelect,
  onFocus,
  onClose,
}: {
  node: AssetNode;
  onSelect: (key: string) => void;
  onFocus: (key: string) => void;
  onClose: () => void;
}) {
  const live = useLive();
  const running = live.runningAssets.get(node.key);
  const state = nodeState(node.health, running !== undefined);
  const detail = useAsset(node.key);
  const plan = useAssetPlan(node.key, node.partitioned);
  const asset = detail.data?.asset;
  return (
    <aside className="side-panel" aria-label={`Asset ${node.key}`} data-asset={node.key}>
      <header className="side-header">
        <div>
          <div className="eyebrow">{node.group}</div>
          <h2 className="mono">{node.key}</h2>
        </div>
        <button type="button" className="icon-button" aria-label="Close panel" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="side-state">
        <StateBadge state={state} />
        <span className="muted">{stateSentence(state, node.reason)}</span>
      </div>
      <p>{node.description || <span className="muted">No description.</span>}</p>
      <div className="button-row">
        <MaterializeButton
          request={{ selection: node.key }}
          label={node.health === 'fresh' ? 'Materialise' : 'Materialise stale'}
          title="Runs the partitions of this asset that are stale (nothing when it is fresh)"
        />
        <MaterializeButton
          request={{ selection: node.key, force: true }}
          label="Rebuild all"
          primary={false}
        />
      </div>
      <div className="button-row">
        <Link className="button subtle" href={to.asset(node.key)}>
          Open asset page →
        </Link>
        <button type="button" className="button subtle" onClick={() => onFocus(node.key)}>
          Focus lineage
        </button>
      </div>
      <Facts
        items={[
          [
            'Last materialised',
            node.lastMaterializedAt
              ? `${formatRelative(node.lastMaterializedAt)} (${formatTimestamp(node.lastMaterializedAt)})`
              : 'never',
          ],
          [
            'Partitions',
            node.partitioned
              ? `${node.partitions.materialized} of ${node.partitions.total} materialised`
              : 'unpartitioned',
          ],
          ...(node.freshness
            ? ([
                ['Freshness', node.freshness.overdue ? 'overdue' : 'within policy'],
                [
                  'Next due',
                  `${formatRelative(node.freshness.nextTick)} (${formatTimestamp(node.freshness.nextTick)})`,
                ],
              ] as [string, string][])
            : []),
          ['Owner', asset?.owner ?? '—'],
        ]}
      />
      {node.partitioned ? (
        <div>
          <h3>Partitions</h3>
          {detail.data ? (
            <PartitionBar
              assetKey={node.key}
              partitions={detail.data.partitions}
              plan={plan.data}
              running={running ?? none}
              compact
            />
          ) : detail.error ? (
            <ErrorState error={detail.error} retry={() => void detail.refetch()} />
          ) : (
            <div className="skeleton bar" />
          )}
        </div>
      ) : null}
      {asset ? (
        <LineageLists
          deps={asset.deps}
          downstream={asset.downstream}
          chip={(key) => (
            <button type="button" className="chip" onClick={() => onSelect(key)}>
              {key}
            </button>
          )}
        />
      ) : null}
    </aside>
  );
}

/** The side panel for several selected assets: materialise them together. */
export function SelectionPanel({
  nodes,
  onSelect,
  onClear,
}: {
  nodes: AssetNode[];
  onSelect: (key: string) => void;
  onClear: () => void;
}) {
  const selection = nodes.map((node) => node.key).join(' ');
  return (
    <aside className="side-panel" aria-label="Selected assets">
      <header className="side-header">
        <h2>{nodes.length} assets selected</h2>
        <button type="button" className="icon-button" aria-label="Clear selection" onClick={onClear}>
          ×
        </button>
      </header>
      <div className="button-row">
        <MaterializeButton request={{ selection }} label={`Materialise ${nodes.length} (stale only)`} />
        <MaterializeButton request={{ selection, force: true }} label="Rebuild all" primary={false} />
      </div>
      <ul className="selection-list">
        {nodes.map((node) => (
          <li key={node.key}>
            <StateBadge state={node.health} />
            <button type="button" className="link-button mono" onClick={() => onSelect(node.key)}>
              {node.key}
            </button>
          </li>
        ))}
      </ul>
      <p className="muted hint">Shift-click (or ⌘/Ctrl-click) nodes to add or remove them.</p>
    </aside>
  );
}
