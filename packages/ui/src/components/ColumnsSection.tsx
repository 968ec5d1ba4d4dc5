import type { UseQueryResult } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { AssetColumn, AssetColumns, AssetDetail, ColumnRef } from '../api/types.ts';
import { to } from '../lib/routes.ts';
import { Link } from '../router.tsx';
import { ErrorState, Loading, Section } from './common.tsx';

const DECLARE = 'declare them with `columns` in its definition';

/** Why an asset has no column to show, and what to do about it. */
function noColumnsReason(table: AssetColumns['table'], storage: AssetDetail['asset']['storage']): string {
  if (table === 'absent') return `its table does not exist yet: materialise it, or ${DECLARE}.`;
  if (storage === 'postgres') return `the location names no warehouse to read its table from; ${DECLARE}.`;
  return `tables are read from the PostgreSQL warehouse only, and this asset lives in ${storage}; ${DECLARE}.`;
}

function LineageChips({ refs, empty, lit }: { refs: readonly ColumnRef[]; empty: string; lit: boolean }) {
  if (refs.length === 0) return <span className="muted">{empty}</span>;
  return (
    <ul className="chips">
      {refs.map((ref) => (
        <li key={`${ref.asset}.${ref.column}`}>
          <Link
            className={lit ? 'chip highlighted' : 'chip'}
            href={to.asset(ref.asset, ref.column)}
            data-ref={`${ref.asset}.${ref.column}`}
          >
            {ref.asset}.<strong>{ref.column}</strong>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function ColumnRow({
  assetKey,
  column,
  selected,
}: {
  assetKey: string;
  column: AssetColumn;
  selected: boolean;
}) {
  const row = useRef<HTMLTableRowElement>(null);
  // On selection only (a link from another asset's column lands here), not on every refetch.
  useEffect(() => {
    if (selected) row.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return (
    <tr
      ref={row}
      data-column={column.name}
      data-selected={selected || undefined}
      className={selected ? 'selected' : undefined}
    >
      <td>
        <Link
          className="mono column-name"
          href={to.asset(assetKey, selected ? null : column.name)}
          replace
          aria-current={selected ? 'true' : undefined}
          title={selected ? 'Clear the selection' : 'Select: highlight where it comes from and what reads it'}
        >
          {column.name}
        </Link>
        {column.missing ? (
          <span className="badge warn" title="Declared, but the warehouse table has no such column">
            not in the table
          </span>
        ) : null}
      </td>
      <td className="muted mono small">
        {column.type ?? '—'}
        {column.nullable === false ? ' · not null' : ''}
      </td>
      <td>
        {column.description ?? (
          <span className="muted">{column.source === 'database' ? 'not documented' : '—'}</span>
        )}
      </td>
      <td>
        <LineageChips refs={column.from} empty="—" lit={selected} />
      </td>
      <td>
        <LineageChips refs={column.readBy} empty="—" lit={selected} />
      </td>
    </tr>
  );
}

/** The asset's columns — its table's and the declared ones — with where each comes from and what reads it. */
export function ColumnsSection({
  asset,
  columns,
  selected,
}: {
  asset: AssetDetail['asset'];
  columns: UseQueryResult<AssetColumns>;
  selected: string | null;
}) {
  const list = columns.data?.columns ?? [];
  const missing = list.filter((column) => column.missing).length;
  return (
    <Section
      title={columns.data ? `Columns (${list.length})` : 'Columns'}
      id="columns"
      actions={
        missing > 0 ? (
          <span className="muted">{missing} declared but not in the table</span>
        ) : columns.data?.table === 'found' ? (
          <span className="muted">read from the warehouse table</span>
        ) : null
      }
    >
      {columns.error && !columns.data ? (
        <ErrorState
          title="The columns could not be read"
          error={columns.error}
          retry={() => void columns.refetch()}
        />
      ) : !columns.data ? (
        <Loading what="columns" />
      ) : list.length === 0 ? (
        <p className="muted">No columns known: {noColumnsReason(columns.data.table, asset.storage)}</p>
      ) : (
        <>
          {selected && !list.some((column) => column.name === selected) ? (
            <p className="error-text small">{`No column "${selected}" in ${asset.key}.`}</p>
          ) : null}
          <div className="table-scroll">
            <table className="table compact columns-table">
              <thead>
                <tr>
                  <th>Column</th>
                  <th>Type</th>
                  <th>Description</th>
                  <th>Comes from</th>
                  <th>Read by</th>
                </tr>
              </thead>
              <tbody>
                {list.map((column) => (
                  <ColumnRow
                    key={column.name}
                    assetKey={asset.key}
                    column={column}
                    selected={column.name === selected}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Section>
  );
}

/** The assets the selected column comes from or is read by, to highlight in the asset lineage. */
export function columnNeighbours(
  columns: AssetColumns | undefined,
  selected: string | null,
): ReadonlySet<string> {
  const column = columns?.columns.find((candidate) => candidate.name === selected);
  return new Set(column ? [...column.from, ...column.readBy].map((ref) => ref.asset) : []);
}
