import { isTile, tileKey } from '../../lib/collapse.ts';
import type { Layout } from '../../lib/layout.ts';
import { type NodeState, stateStyles } from '../../lib/status.ts';
import type { Folding } from './useFolding.ts';

/** *Unfold all* and *Fold groups*, when the graph has groups to fold or unfold. */
export function FoldButtons({ folding }: { folding: Folding }) {
  if (!folding.anyFolded && !folding.anyFoldable) return null;
  const buttons = [
    {
      folded: false,
      label: 'Unfold all',
      enabled: folding.anyFolded,
      title: 'Show every asset of every group',
    },
    {
      folded: true,
      label: 'Fold groups',
      enabled: folding.anyFoldable,
      title: 'Show each group as one tile with its counts',
    },
  ];
  return (
    <fieldset className="zoom-buttons">
      <legend className="visually-hidden">Groups</legend>
      {buttons.map((button) => (
        <button
          key={button.label}
          type="button"
          className="button"
          disabled={!button.enabled}
          onClick={() => folding.setFolded(null, button.folded)}
          data-action={button.folded ? 'fold-all' : 'unfold-all'}
          title={button.title}
        >
          {button.label}
        </button>
      ))}
    </fieldset>
  );
}

/**
 * The lineage as a list, for a keyboard or a screen reader (and the tests): every asset drawn,
 * with its state and place, and every group with a button that folds or unfolds it.
 */
export function NodeList({
  layout,
  states,
  folding,
  onJump,
  onToggleGroup,
}: {
  layout: Layout;
  states: ReadonlyMap<string, NodeState>;
  folding: Folding;
  onJump: (key: string) => void;
  onToggleGroup: (id: string) => void;
}) {
  return (
    <ul className="visually-hidden">
      {layout.nodes
        .filter((node) => !isTile(node.key))
        .map((node) => (
          <li
            key={node.key}
            data-node={node.key}
            data-health={states.get(node.key)}
            data-x={node.x}
            data-y={node.y}
          >
            <button type="button" onClick={() => onJump(node.key)}>
              {node.key}: {stateStyles[states.get(node.key) ?? 'never'].label}
            </button>
          </li>
        ))}
      {[...folding.groups.values()].map((group) => {
        const tile = layout.byKey.get(tileKey(group.id));
        const folded = folding.boxes.get(group.id)?.collapsed;
        return (
          <li key={group.id} data-group={group.id} data-folded={folded} data-x={tile?.x} data-y={tile?.y}>
            <button type="button" onClick={() => onToggleGroup(group.id)}>
              {folded ? 'Show' : 'Fold'} the {group.members.length} assets of {group.layer} · {group.group}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
