import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { useAsset, useAssetColumns, useAssetPlan, useLive } from '../api/hooks.ts';
import type { AssetDetail } from '../api/types.ts';
import { MaterializeButton } from '../components/actions.tsx';
import { ColumnsSection, columnNeighbours } from '../components/ColumnsSection.tsx';
import {
  Empty,
  ErrorState,
  Facts,
  Loading,
  RunStatusBadge,
  Section,
  StateBadge,
} from '../components/common.tsx';
import { LineageLists } from '../components/LineageLists.tsx';
import { PartitionBar } from '../components/PartitionBar.tsx';
import { RowCountChart } from '../components/RowCountChart.tsx';
import { SqlSection } from '../components/SqlSection.tsx';
import {
  backfillText,
  durationBetween,
  formatDuration,
  formatNumber,
  formatPartition,
  formatRelative,
  formatTimestamp,
  shortId,
  tagLabel,
} from '../lib/format.ts';
import { to } from '../lib/routes.ts';
import { nodeState, stateSentence } from '../lib/status.ts';
import { Link } from '../router.tsx';

const none: ReadonlySet<string> = new Set();

export function AssetPage({ assetKey, column }: { assetKey: string; column: string | null }) {
  const detail = useAsset(assetKey);
  const columns = useAssetColumns(assetKey);
  const partitioned = detail.data?.asset.partitioned ?? false;
  const plan = useAssetPlan(assetKey, partitioned);
  const live = useLive();
  if (detail.error && !detail.data) {
    if (detail.error instanceof ApiError && detail.error.status === 404) {
      return (
        <Empty title={`No asset "${assetKey}"`}>
          <Link href={to.lineage(null, assetKey)}>Search the lineage for it</Link>
        </Empty>
      );
    }
    return (
      <ErrorState
        title="The asset could not be loaded"
        error={detail.error}
        retry={() => void detail.refetch()}
      />
    );
  }
  if (!detail.data) return <Loading what={assetKey} />;
  const { asset } = detail.data;
  const running = live.runningAssets.get(assetKey);
  const state = nodeState(asset.health, running !== undefined);
  const neighbours = columnNeighbours(columns.data, column);
  return (
    <div className="page asset-page" data-asset={asset.key}>
      <header className="page-header">
        <div>
          <div className="eyebrow">
            <Link href={to.lineage()}>Lineage</Link> / {asset.group}
          </div>
          <h1 className="mono">{asset.key}</h1>
          <div className="page-state">
            <StateBadge state={state} />
            <span className="muted">{stateSentence(state, asset.reason)}</span>
          </div>
        </div>
        <div className="button-row">
          <MaterializeButton request={{ selection: asset.key }} label="Materialise stale" />
          <MaterializeButton
            request={{ selection: asset.key, force: true }}
            label="Rebuild all"
            primary={false}
          />
          <Link className="button subtle" href={to.lineage(asset.key)}>
            Show in lineage
          </Link>
        </div>
      </header>
      <div className="grid">
        <Section title="Overview" id="overview">
          <p className="lead">{asset.description || <span className="muted">No description.</span>}</p>
          <Facts
            items={[
              ['Owner', asset.owner ?? '—'],
              ['Group', asset.group],
              ['Lives in', asset.storage],
              ['Pool', asset.pool],
              ['Code version', <code key="v">{asset.codeVersion}</code>],
              [
                'Last materialised',
                asset.lastMaterializedAt
                  ? `${formatRelative(asset.lastMaterializedAt)} · ${formatTimestamp(asset.lastMaterializedAt)}`
                  : 'never',
              ],
              [
                'Retries',
                asset.retry.maxRetries === 0
                  ? 'none'
                  : `${asset.retry.maxRetries}, from ${formatDuration(asset.retry.initialDelayMs)} ×${asset.retry.factor}`,
              ],
              ['Timeout', asset.timeoutMs ? formatDuration(asset.timeoutMs) : 'none'],
              ...(asset.backfill ? [['Backfill', backfillText(asset.backfill)] as [string, string]] : []),
              ...Object.entries(asset.tags).map(
                ([name, value]) =>
                  [
                    tagLabel(name),
                    /^https?:\/\//.test(value) ? (
                      <a key={name} href={value} target="_blank" rel="noreferrer">
                        {value}
                      </a>
                    ) : name === 'procedure' || name === 'table' ? (
                      <code key={name}>{value}</code>
                    ) : (
                      value
                    ),
                  ] as [string, ReactNode],
              ),
            ]}
          />
        </Section>
        <FreshnessSection asset={asset} />
        <Section title="Lineage" id="lineage">
          <LineageLists
            deps={asset.deps}
            downstream={asset.downstream}
            chip={(key) => (
              <Link
                className={neighbours.has(key) ? 'chip mono highlighted' : 'chip mono'}
                href={to.asset(key)}
              >
                {key}
              </Link>
            )}
          />
        </Section>
      </div>
      <ColumnsSection asset={asset} columns={columns} selected={column} />
      {asset.partitioned ? (
        <Section
          title="Partitions"
          id="partitions"
          actions={
            <span className="muted">
              {asset.partitions.materialized} of {asset.partitions.total} days materialised
              {asset.partitionsDefinition
                ? ` · daily from ${asset.partitionsDefinition.start}, ${asset.partitionsDefinition.timezone}`
                : ''}
            </span>
          }
        >
          {plan.error ? (
            <p className="error-text">The planner could not say which days are stale: {plan.error.message}</p>
          ) : null}
          <PartitionBar
            assetKey={asset.key}
            partitions={detail.data.partitions}
            plan={plan.data}
            running={running ?? none}
          />
        </Section>
      ) : null}
      <Section title="Rows over time" id="rows">
        <RowCountChart materializations={detail.data.materializations} partitioned={asset.partitioned} />
      </Section>
      <ChecksSection detail={detail.data} />
      <SqlSection sql={asset.sql} upstream={asset.deps.map((dep) => dep.key)} />
      <HistorySection detail={detail.data} />
    </div>
  );
}

function FreshnessSection({ asset }: { asset: AssetDetail['asset'] }) {
  const policy = asset.freshnessPolicy;
  const freshness = asset.freshness;
  return (
    <Section title="Freshness" id="freshness">
      {!policy || !freshness ? (
        <p className="muted">
          No freshness policy: it is materialised when its upstreams change or on the schedule.
        </p>
      ) : (
        <>
          <p className={freshness.overdue ? 'error-text' : undefined}>
            {freshness.overdue
              ? `Overdue: by ${formatTimestamp(freshness.tick)} the data had to be newer than ${formatTimestamp(freshness.requiredDataTime)}.`
              : 'Within its policy.'}
          </p>
          <Facts
            items={[
              [
                'Policy',
                <span key="p">
                  <code>{policy.cron}</code> ({policy.timezone}), at most{' '}
                  {formatDuration(policy.maximumLagMinutes * 60_000)} behind
                </span>,
              ],
              [
                'Data as of',
                freshness.dataTime
                  ? `${formatTimestamp(freshness.dataTime)} (${formatRelative(freshness.dataTime)})`
                  : 'no data yet',
              ],
              [
                'Next due',
                <strong key="n" data-testid="next-due">
                  {formatTimestamp(freshness.nextTick)} ({formatRelative(freshness.nextTick)})
                </strong>,
              ],
              [
                'Then needs data newer than',
                formatTimestamp(
                  new Date(Date.parse(freshness.nextTick) - policy.maximumLagMinutes * 60_000).toISOString(),
                ),
              ],
            ]}
          />
        </>
      )}
    </Section>
  );
}

function ChecksSection({ detail }: { detail: AssetDetail }) {
  const { checks } = detail.asset;
  const latest = new Map<string, AssetDetail['checkResults'][number]>();
  for (const result of detail.checkResults) {
    const known = latest.get(result.checkName);
    if (!known || known.at < result.at) latest.set(result.checkName, result);
  }
  return (
    <Section
      title={`Checks (${checks.length})`}
      id="checks"
      actions={
        checks.length > 0 ? (
          <MaterializeButton
            request={{ selection: detail.asset.key, checksOnly: true }}
            label="Run checks"
            primary={false}
            title="Run the checks on the data materialised now, materialising nothing"
          />
        ) : null
      }
    >
      {checks.length === 0 ? (
        <p className="muted">No checks declared.</p>
      ) : (
        <ul className="checks">
          {checks.map((check) => {
            const last = latest.get(check.name);
            const recent = detail.checkResults
              .filter((result) => result.checkName === check.name)
              .slice(0, 30);
            return (
              <li key={check.name} data-check={check.name}>
                <div className="check-head">
                  <span
                    className={`badge ${last ? (last.passed ? 'ok' : check.severity === 'error' ? 'bad' : 'warn') : ''}`}
                  >
                    {last ? (last.passed ? '✓ passed' : '✕ failed') : 'not run'}
                  </span>
                  <strong className="mono">{check.name}</strong>
                  <span
                    className={`severity ${check.severity}`}
                    title={
                      check.severity === 'error'
                        ? 'A failure of this check fails the step and blocks what reads this asset'
                        : 'A failure of this check is reported; downstream runs on'
                    }
                  >
                    {check.severity === 'error' ? 'blocks downstream if it fails' : 'warns if it fails'}
                  </span>
                </div>
                {check.description ? <div className="muted">{check.description}</div> : null}
                {last ? (
                  <div className="small muted">
                    {formatPartition(last.partition)} · {last.message ?? ''} · {formatRelative(last.at)}
                  </div>
                ) : null}
                {recent.length > 1 ? (
                  <div className="check-strip" title="Recent results, newest first">
                    {recent.map((result) => (
                      <i
                        key={`${result.runId}-${result.partition}-${result.at}`}
                        className={result.passed ? 'ok' : 'bad'}
                        title={`${formatPartition(result.partition)}: ${result.passed ? 'passed' : 'failed'}${result.message ? ` — ${result.message}` : ''}`}
                      />
                    ))}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}

function HistorySection({ detail }: { detail: AssetDetail }) {
  const rows = detail.materializations.slice(0, 200);
  return (
    <Section
      title="Materialisation history"
      id="history"
      actions={<span className="muted">{rows.length} most recent</span>}
    >
      {rows.length === 0 ? (
        <p className="muted">Never materialised.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>Status</th>
                <th>Partition</th>
                <th>Finished</th>
                <th className="number">Duration</th>
                <th className="number">Rows</th>
                <th>Run</th>
                <th>Code</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.runId}-${row.partition}-${row.startedAt}`}>
                  <td>
                    <RunStatusBadge status={row.status} />
                    {row.error ? <div className="error-text small">{row.error}</div> : null}
                  </td>
                  <td className="mono">{formatPartition(row.partition)}</td>
                  <td title={formatTimestamp(row.finishedAt)}>{formatRelative(row.finishedAt)}</td>
                  <td className="number">{formatDuration(durationBetween(row.startedAt, row.finishedAt))}</td>
                  <td className="number">{formatNumber(row.rowCount)}</td>
                  <td>
                    <Link className="mono" href={to.run(row.runId)}>
                      {shortId(row.runId)}
                    </Link>
                  </td>
                  <td className="mono muted">{row.codeVersion}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
