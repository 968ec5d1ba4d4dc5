import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api } from '../api/client.ts';
import type { QuarantineSummary } from '../api/types.ts';
import { Empty, ErrorState, Loading, Section, Spinner } from '../components/common.tsx';
import { formatNumber, formatRelative, formatTimestamp, plural, shortId } from '../lib/format.ts';
import { to } from '../lib/routes.ts';
import { Link, navigate } from '../router.tsx';

const PAGE = 50;

/** Rows that failed validation, by source and day, with the reason and the raw row. */
export function QuarantinePage({ source, partition }: { source: string | null; partition: string | null }) {
  const summary = useQuery({
    queryKey: ['quarantine', 'summary'],
    queryFn: ({ signal }) => api.quarantineSummary({}, signal),
    refetchInterval: 30_000,
  });
  return (
    <div className="page quarantine-page">
      <header className="page-header">
        <div>
          <h1>Quarantine</h1>
          <p className="muted">
            Source rows that failed validation are kept here with the reason, never loaded and never lost: for
            every load, rows read = loaded + quarantined.
          </p>
        </div>
      </header>
      {summary.error && !summary.data ? (
        <ErrorState
          title="The quarantine could not be read"
          error={summary.error}
          retry={() => void summary.refetch()}
        />
      ) : !summary.data ? (
        <Loading what="the quarantine" />
      ) : summary.data.groups.length === 0 ? (
        <Empty title="Nothing is quarantined">Every source row read so far passed validation.</Empty>
      ) : (
        <div className="quarantine-layout">
          <SourceList groups={summary.data.groups} source={source} partition={partition} />
          {source && !summary.data.groups.some((group) => group.source === source) ? (
            <Empty title={`No source "${source}" in the quarantine`}>
              Nothing from <code>{source}</code> has been quarantined. The sources with quarantined rows are
              on the left: <Link href={to.quarantine()}>all sources</Link>.
            </Empty>
          ) : (
            <Rows key={`${source}|${partition}`} source={source} partition={partition} />
          )}
        </div>
      )}
    </div>
  );
}

function SourceList({
  groups,
  source,
  partition,
}: {
  groups: QuarantineSummary['groups'];
  source: string | null;
  partition: string | null;
}) {
  const sources = useMemo(() => {
    const totals = new Map<string, { rows: number; days: Map<string, number> }>();
    for (const group of groups) {
      const entry = totals.get(group.source) ?? { rows: 0, days: new Map<string, number>() };
      entry.rows += group.rows;
      entry.days.set(group.partition, (entry.days.get(group.partition) ?? 0) + group.rows);
      totals.set(group.source, entry);
    }
    return [...totals].sort((a, b) => a[0].localeCompare(b[0]));
  }, [groups]);
  return (
    <nav className="card source-list" aria-label="Sources and days">
      <button
        type="button"
        className={!source ? 'source-item active' : 'source-item'}
        onClick={() => navigate(to.quarantine())}
      >
        <span>All sources</span>
        <strong>{formatNumber(groups.reduce((sum, group) => sum + group.rows, 0))}</strong>
      </button>
      {sources.map(([name, entry]) => (
        <div key={name} className="source-block" data-source={name}>
          <button
            type="button"
            className={source === name && !partition ? 'source-item active' : 'source-item'}
            onClick={() => navigate(to.quarantine(name))}
          >
            <span className="mono">{name}</span>
            <strong>{formatNumber(entry.rows)}</strong>
          </button>
          {source === name || sources.length <= 3
            ? partitionKinds(entry.days).map(({ kind, items }) => (
                <div key={kind} className="partition-kind">
                  <span className="day-list-title muted">{kind}</span>
                  <ul className="day-list">
                    {items.slice(0, 60).map(([day, rows]) => (
                      <li key={day}>
                        <button
                          type="button"
                          className={source === name && partition === day ? 'day-item active' : 'day-item'}
                          onClick={() => navigate(to.quarantine(name, day))}
                          data-day={day}
                        >
                          <span className="mono">{day}</span>
                          <span className="muted">{formatNumber(rows)}</span>
                        </button>
                      </li>
                    ))}
                  </ul>
                </div>
              ))
            : null}
        </div>
      ))}
    </nav>
  );
}

function Rows({ source, partition }: { source: string | null; partition: string | null }) {
  const [offset, setOffset] = useState(0);
  const filter = { source: source ?? undefined, partition: partition ?? undefined, limit: PAGE, offset };
  const page = useQuery({
    queryKey: ['quarantine', 'rows', filter],
    queryFn: ({ signal }) => api.quarantine(filter, signal),
    placeholderData: keepPreviousData,
  });
  const title = `${source ?? 'All sources'}${partition ? ` · ${partition}` : ''}`;
  return (
    <Section
      title={title}
      id="quarantined-rows"
      actions={
        page.data ? (
          <span className="muted">
            {page.isFetching ? <Spinner /> : null} {plural(page.data.total, 'row')}
          </span>
        ) : null
      }
    >
      {page.error && !page.data ? (
        <ErrorState error={page.error} retry={() => void page.refetch()} />
      ) : !page.data ? (
        <Loading what="rows" />
      ) : page.data.rows.length === 0 ? (
        <p className="muted">No quarantined rows here.</p>
      ) : (
        <>
          <div className="table-scroll">
            <table className="table quarantine-table">
              <thead>
                <tr>
                  <th>Day</th>
                  <th>Source</th>
                  <th>Asset</th>
                  <th>Reason</th>
                  <th>Raw row</th>
                  <th>Run</th>
                  <th>When</th>
                </tr>
              </thead>
              <tbody>
                {page.data.rows.map((row) => (
                  <tr key={row.id} data-row={row.id}>
                    <td className="mono nowrap">{row.partition}</td>
                    <td className="mono nowrap">{row.source}</td>
                    <td>
                      <Link className="mono" href={to.asset(row.asset)}>
                        {row.asset}
                      </Link>
                    </td>
                    <td className="reason">{row.reason}</td>
                    <td className="raw-cell">
                      <RawRow raw={row.raw} reason={row.reason} />
                    </td>
                    <td>
                      <Link className="mono" href={to.run(row.runId)}>
                        {shortId(row.runId)}
                      </Link>
                    </td>
                    <td className="nowrap" title={formatTimestamp(row.quarantinedAt)}>
                      {formatRelative(row.quarantinedAt)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="card-footer pager">
            <button
              type="button"
              className="button"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE))}
            >
              ← Newer
            </button>
            <span className="muted">
              {formatNumber(offset + 1)}–{formatNumber(offset + page.data.rows.length)} of{' '}
              {formatNumber(page.data.total)}
            </span>
            <button
              type="button"
              className="button"
              disabled={offset + PAGE >= page.data.total}
              onClick={() => setOffset(offset + PAGE)}
            >
              Older →
            </button>
          </div>
        </>
      )}
    </Section>
  );
}

const isDay = (partition: string) => /^\d{4}-\d{2}-\d{2}$/.test(partition);

/** A source's partitions split into days and files (a partner's file is not a day), newest first. */
function partitionKinds(
  partitions: ReadonlyMap<string, number>,
): { kind: string; items: [string, number][] }[] {
  const all = [...partitions].sort((a, b) => b[0].localeCompare(a[0]));
  const days = all.filter(([partition]) => isDay(partition));
  const files = all.filter(([partition]) => !isDay(partition));
  return [
    ...(days.length ? [{ kind: plural(days.length, 'day'), items: days }] : []),
    ...(files.length ? [{ kind: plural(files.length, 'file'), items: files }] : []),
  ];
}

/**
 * The row as it was read: a record as its fields one per line (the one the reason names marked),
 * anything else as text.
 */
function RawRow({ raw, reason }: { raw: unknown; reason: string }) {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return <code className="raw">{typeof raw === 'string' ? raw : JSON.stringify(raw)}</code>;
  }
  const blamed = reason.match(/^([\w.]+):/)?.[1];
  return (
    <dl className="raw raw-fields">
      {Object.entries(raw as Record<string, unknown>).map(([field, value]) => (
        <div key={field} className={field === blamed ? 'raw-field blamed' : 'raw-field'} data-field={field}>
          <dt>{field}</dt>
          <dd>{value === null ? 'null' : typeof value === 'string' ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
