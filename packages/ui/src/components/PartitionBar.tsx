import { useMemo, useState } from 'react';
import type { AssetDetail, Plan } from '../api/types.ts';
import { formatNumber, formatTimestamp, plural } from '../lib/format.ts';
import {
  type PartitionCell,
  type PartitionState,
  partitionCells,
  partitionRange,
  partitionStateLabels,
  partitionSummary,
} from '../lib/partitions.ts';
import { MaterializeButton } from './actions.tsx';

const cellColours: Record<PartitionState, string> = {
  fresh: '#16a34a',
  stale: '#d97706',
  failed: '#dc2626',
  never: '#cbd5e1',
  running: '#2563eb',
};

/**
 * One cell per day coloured by state; drag (or click, then shift-click) to pick a range, then
 * backfill it — only its stale days, or all of them with "rebuild fresh days too".
 */
export function PartitionBar({
  assetKey,
  partitions,
  plan,
  running,
  compact = false,
}: {
  assetKey: string;
  partitions: AssetDetail['partitions'];
  plan: Plan | undefined;
  running: ReadonlySet<string>;
  compact?: boolean;
}) {
  const planned = useMemo(
    () => (plan ? plan.steps.filter((step) => step.assetKey === assetKey) : []),
    [plan, assetKey],
  );
  const cells = useMemo(() => partitionCells(partitions, planned, running), [partitions, planned, running]);
  const summary = partitionSummary(cells);
  const [anchor, setAnchor] = useState<string | null>(null);
  const [end, setEnd] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [force, setForce] = useState(false);
  const [downstream, setDownstream] = useState(false);
  const range = anchor ? partitionRange(anchor, end ?? anchor) : null;
  const inRange = (cell: PartitionCell) =>
    range !== null && cell.partition >= range.from && cell.partition <= range.to;
  const chosen = range ? cells.filter(inRange) : [];
  const staleChosen = chosen.filter((cell) => cell.state !== 'fresh' && cell.state !== 'running').length;

  if (cells.length === 0) return <p className="muted">No partitions yet.</p>;
  return (
    <div className={compact ? 'partition-bar compact' : 'partition-bar'}>
      <div
        className="partition-cells"
        title={`Partitions of ${assetKey}`}
        onPointerLeave={() => setDragging(false)}
        onPointerUp={() => setDragging(false)}
        style={{ gridTemplateColumns: `repeat(${cells.length}, minmax(3px, 1fr))` }}
      >
        {cells.map((cell) => (
          <button
            type="button"
            key={cell.partition}
            aria-pressed={inRange(cell)}
            aria-label={`${cell.partition}: ${partitionStateLabels[cell.state]}`}
            className={inRange(cell) ? 'cell chosen' : 'cell'}
            data-partition={cell.partition}
            data-state={cell.state}
            style={{ background: cellColours[cell.state] }}
            title={`${cell.partition} — ${partitionStateLabels[cell.state]}${cell.reason ? `: ${cell.reason}` : ''}${
              cell.rowCount !== null ? ` · ${formatNumber(cell.rowCount)} rows` : ''
            }${cell.materializedAt ? ` · ${formatTimestamp(cell.materializedAt)}` : ''}`}
            onPointerDown={(event) => {
              event.preventDefault();
              if (event.shiftKey && anchor) setEnd(cell.partition);
              else {
                setAnchor(cell.partition);
                setEnd(cell.partition);
              }
              setDragging(true);
            }}
            onPointerEnter={() => {
              if (dragging) setEnd(cell.partition);
            }}
            onKeyDown={(event) => {
              if (event.key !== 'Enter' && event.key !== ' ') return;
              event.preventDefault();
              if (event.shiftKey && anchor) setEnd(cell.partition);
              else {
                setAnchor(cell.partition);
                setEnd(cell.partition);
              }
            }}
          />
        ))}
      </div>
      <div className="partition-axis muted">
        <span>{cells[0]!.partition}</span>
        <span>
          {(['fresh', 'stale', 'never', 'failed', 'running'] as const)
            .filter((state) => summary[state] > 0)
            .map((state) => (
              <span key={state} className="legend-item">
                <i style={{ background: cellColours[state] }} /> {summary[state]}{' '}
                {partitionStateLabels[state].toLowerCase()}
              </span>
            ))}
        </span>
        <span>{cells[cells.length - 1]!.partition}</span>
      </div>
      {range ? (
        <div className="backfill">
          <strong>
            {range.from === range.to ? range.from : `${range.from} → ${range.to}`} (
            {plural(chosen.length, 'day')}, {staleChosen} not fresh)
          </strong>
          <label>
            <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} />{' '}
            rebuild fresh days too
          </label>
          <label>
            <input
              type="checkbox"
              checked={downstream}
              onChange={(event) => setDownstream(event.target.checked)}
            />{' '}
            and everything downstream
          </label>
          <MaterializeButton
            label="Backfill"
            request={{
              selection: downstream ? `${assetKey}+` : assetKey,
              ...(range.from === range.to ? { partition: range.from } : { from: range.from, to: range.to }),
              force,
            }}
            disabled={!force && staleChosen === 0 && !downstream}
            title={!force && staleChosen === 0 ? 'Every day in the range is fresh' : undefined}
          />
          <button type="button" className="button subtle" onClick={() => setAnchor(null)}>
            Clear
          </button>
        </div>
      ) : compact ? null : (
        <p className="muted hint">
          Drag across days (or click one, then shift-click another) to backfill a range.
        </p>
      )}
    </div>
  );
}
