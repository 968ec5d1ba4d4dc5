import { useState } from 'react';
import { useRuns } from '../api/hooks.ts';
import { runStatuses } from '../api/types.ts';
import { Empty, ErrorState, Loading, RunStatusBadge, Spinner } from '../components/common.tsx';
import { durationBetween, formatDuration, formatRelative, formatTimestamp, shortId } from '../lib/format.ts';
import { to } from '../lib/routes.ts';
import { runStatusStyles } from '../lib/status.ts';
import { Link, navigate } from '../router.tsx';

export function RunsPage({ status }: { status: string | null }) {
  const [limit, setLimit] = useState(50);
  const runs = useRuns(limit, status ?? undefined);
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Runs</h1>
          <p className="muted">
            Every materialisation, newest first: started by hand, by a schedule, or by a freshness policy.
          </p>
        </div>
        <fieldset className="segmented">
          <legend className="visually-hidden">Filter by status</legend>
          <button type="button" aria-pressed={!status} onClick={() => navigate(to.runs())}>
            All
          </button>
          {runStatuses.map((value) => (
            <button
              type="button"
              key={value}
              aria-pressed={status === value}
              onClick={() => navigate(to.runs(value))}
            >
              {runStatusStyles[value].label}
            </button>
          ))}
        </fieldset>
      </header>
      {runs.error && !runs.data ? (
        <ErrorState title="Runs could not be loaded" error={runs.error} retry={() => void runs.refetch()} />
      ) : !runs.data ? (
        <Loading what="runs" />
      ) : runs.data.runs.length === 0 ? (
        <Empty title={status ? `No ${status} runs` : 'No runs yet'}>
          Materialise an asset from the <Link href={to.lineage()}>lineage</Link> and its run appears here.
        </Empty>
      ) : (
        <div className="card">
          <div className="table-scroll">
            <table className="table runs-table">
              <thead>
                <tr>
                  <th>Status</th>
                  <th>Run</th>
                  <th>Selection</th>
                  <th>Trigger</th>
                  <th className="number">Steps</th>
                  <th>Started</th>
                  <th className="number">Duration</th>
                </tr>
              </thead>
              <tbody>
                {runs.data.runs.map((run) => (
                  <tr
                    key={run.id}
                    data-run={run.id}
                    className="clickable"
                    onClick={() => navigate(to.run(run.id))}
                  >
                    <td>
                      <RunStatusBadge status={run.status} />
                    </td>
                    <td>
                      <Link
                        className="mono"
                        href={to.run(run.id)}
                        onClick={(event) => event.stopPropagation()}
                      >
                        {shortId(run.id)}
                      </Link>
                    </td>
                    <td className="mono ellipsis" title={run.selection}>
                      {run.selection}
                      {run.partitionFrom ? (
                        <span className="muted">
                          {' '}
                          {run.partitionFrom === run.partitionTo
                            ? run.partitionFrom
                            : `${run.partitionFrom} → ${run.partitionTo}`}
                        </span>
                      ) : null}
                      {run.force ? <span className="tag">force</span> : null}
                    </td>
                    <td>
                      {run.trigger}
                      {run.parentRunId ? <span className="muted"> of {shortId(run.parentRunId)}</span> : null}
                    </td>
                    <td className="number">{run.stepCount}</td>
                    <td title={formatTimestamp(run.createdAt)}>{formatRelative(run.createdAt)}</td>
                    <td className="number">
                      {formatDuration(durationBetween(run.createdAt, run.finishedAt))}
                      {run.status === 'running' ? ' …' : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {runs.data.runs.length === limit ? (
            <div className="card-footer">
              <button
                type="button"
                className="button"
                onClick={() => setLimit((value) => Math.min(500, value + 50))}
                disabled={runs.isFetching}
              >
                {runs.isFetching ? <Spinner /> : null} Show more
              </button>
            </div>
          ) : null}
        </div>
      )}
    </div>
  );
}
