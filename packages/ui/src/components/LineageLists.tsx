import type { ReactNode } from 'react';
import type { AssetDetail } from '../api/types.ts';

type Dependency = AssetDetail['asset']['deps'][number];

function mappingNote(mapping: Dependency['mapping']): string | null {
  if (mapping.kind === 'window') return `days ${mapping.startOffset}…${mapping.endOffset}`;
  if (mapping.kind === 'all') return 'all days';
  return null;
}

/**
 * An asset's upstream and downstream as chips, with the days a dependency reads when not the same
 * day; `chip` draws one key (a link on the asset page, a button in the side panel).
 */
export function LineageLists({
  deps,
  downstream,
  chip,
}: {
  deps: readonly Dependency[];
  downstream: readonly string[];
  chip: (key: string) => ReactNode;
}) {
  return (
    <div className="lineage-lists">
      <div>
        <h3>Upstream ({deps.length})</h3>
        <ul className="chips">
          {deps.map((dep) => {
            const note = mappingNote(dep.mapping);
            return (
              <li key={dep.key}>
                {chip(dep.key)}
                {note ? <span className="muted small"> {note}</span> : null}
              </li>
            );
          })}
          {deps.length === 0 ? <li className="muted">none — a source</li> : null}
        </ul>
      </div>
      <div>
        <h3>Downstream ({downstream.length})</h3>
        <ul className="chips">
          {downstream.map((key) => (
            <li key={key}>{chip(key)}</li>
          ))}
          {downstream.length === 0 ? <li className="muted">nothing reads it yet</li> : null}
        </ul>
      </div>
    </div>
  );
}
