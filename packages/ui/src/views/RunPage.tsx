import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { useRun } from '../api/hooks.ts';
import { useRunStream } from '../api/stream.ts';
import type { RunEvent, Step } from '../api/types.ts';
import { RunActionButton } from '../components/actions.tsx';
import { Empty, ErrorState, Facts, Loading, RunStatusBadge, Section } from '../components/common.tsx';
import { RunTimeline } from '../components/Gantt.tsx';
import {
  durationBetween,
  formatClock,
  formatDuration,
  formatNumber,
  formatPartition,
  formatRelative,
  formatTimestamp,
  runPartitions,
  shortId,
} from '../lib/format.ts';
import { to } from '../lib/routes.ts';
import { runStatusStyles } from '../lib/status.ts';
import { Link } from '../router.tsx';

function useNow(active: boolean, every = 500): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), every);
    return () => clearInterval(timer);
  }, [active, every]);
  return now;
}

export function RunPage({ runId }: { runId: string }) {
  const run = useRun(runId);
  if (run.error && !run.data) {
    if (run.error instanceof ApiError && run.error.status === 404) {
      return (
        <Empty title={`No run "${runId}"`}>
          <Link href={to.runs()}>All runs</Link>
        </Empty>
      );
    }
    return (
      <ErrorState title="The run could not be loaded" error={run.error} retry={() => void run.refetch()} />
    );
  }
  if (!run.data) return <Loading what={`run ${shortId(runId)}`} />;
  return <RunDetail run={run.data.run} steps={run.data.steps} />;
}

function RunDetail({
  run,
  steps,
}: {
  run: NonNullable<ReturnType<typeof useRun>['data']>['run'];
  steps: Step[];
}) {
  const stream = useRunStream(run.id);
  const running = run.status === 'running';
  const now = useNow(running);
  const counts = useMemo(() => {
    const result: Record<string, number> = {};
    for (const step of steps) result[step.status] = (result[step.status] ?? 0) + 1;
    return result;
  }, [steps]);
  const done = steps.filter((step) => !['queued', 'running'].includes(step.status)).length;
  const failedSteps = steps.filter((step) => step.status === 'failed' || step.status === 'blocked');
  return (
    <div className="page run-page" data-run={run.id} data-status={run.status}>
      <header className="page-header">
        <div>
          <div className="eyebrow">
            <Link href={to.runs()}>Runs</Link> / {run.trigger}
            {run.parentRunId ? (
              <>
                {' '}
                of <Link href={to.run(run.parentRunId)}>{shortId(run.parentRunId)}</Link>
              </>
            ) : null}
          </div>
          <h1>
            Run <span className="mono">{shortId(run.id)}</span> <RunStatusBadge status={run.status} />
          </h1>
          <p className="muted mono">{run.selection}</p>
        </div>
        <div className="button-row">
          {running ? <RunActionButton kind="cancel" runId={run.id} /> : null}
          {run.status === 'failed' || run.status === 'cancelled' ? (
            <RunActionButton kind="rerun" runId={run.id} />
          ) : null}
        </div>
      </header>
      <div
        className="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={run.stepCount}
        aria-valuenow={done}
        aria-label="Steps done"
      >
        {(['success', 'failed', 'blocked', 'cancelled', 'running'] as const).map((status) =>
          counts[status] ? (
            <i
              key={status}
              style={{
                width: `${(counts[status] / Math.max(1, run.stepCount)) * 100}%`,
                background: runStatusStyles[status].colour,
              }}
              title={`${counts[status]} ${runStatusStyles[status].label.toLowerCase()}`}
            />
          ) : null,
        )}
      </div>
      <Facts
        items={[
          [
            'Steps',
            `${done} of ${run.stepCount} done${counts.failed ? `, ${counts.failed} failed` : ''}${counts.blocked ? `, ${counts.blocked} blocked` : ''}`,
          ],
          ['Started', `${formatTimestamp(run.createdAt)} (${formatRelative(run.createdAt, now)})`],
          [
            'Duration',
            `${formatDuration(durationBetween(run.createdAt, run.finishedAt, now))}${running ? ' and counting' : ''}`,
          ],
          ['Partitions', runPartitions(run)],
        ]}
      />
      {run.error ? <p className="error-text">{run.error}</p> : null}
      {failedSteps.length > 0 ? (
        <Section title="What went wrong" id="failures">
          <ul className="failures">
            {failedSteps.slice(0, 50).map((step) => (
              <li key={`${step.assetKey}|${step.partition}`}>
                <RunStatusBadge status={step.status} />{' '}
                <Link className="mono" href={to.asset(step.assetKey)}>
                  {step.assetKey}
                </Link>{' '}
                <span className="muted">{formatPartition(step.partition)}</span>
                {step.error ? <pre className="code error">{step.error}</pre> : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section title="Timeline" id="timeline">
        <RunTimeline run={run} steps={steps} now={now} />
      </Section>
      <Section
        title="Event log"
        id="events"
        actions={
          <span className={stream.connected ? 'live-dot on' : 'live-dot'}>
            {stream.connected ? 'live' : stream.finished ? 'complete' : 'connecting…'}
          </span>
        }
      >
        <EventLog events={stream.events} live={running} />
      </Section>
    </div>
  );
}

const quiet = new Set(['step_queued']);

function EventLog({ events, live }: { events: RunEvent[]; live: boolean }) {
  const [filter, setFilter] = useState('');
  const [showQueued, setShowQueued] = useState(false);
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const words = filter.toLowerCase();
  const shown = events.filter(
    (event) =>
      (showQueued || !quiet.has(event.type)) &&
      (!words ||
        `${event.type} ${event.assetKey ?? ''} ${event.partition ?? ''} ${event.message ?? ''}`
          .toLowerCase()
          .includes(words)),
  );
  const visible = shown.slice(-2000);
  useEffect(() => {
    if (follow && live && box.current) box.current.scrollTop = box.current.scrollHeight;
  });
  if (events.length === 0) return <p className="muted">Waiting for events…</p>;
  return (
    <div className="event-log">
      <div className="event-filters">
        <input
          type="search"
          placeholder="Filter events (type, asset, day, message)"
          aria-label="Filter events"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
        <label>
          <input
            type="checkbox"
            checked={showQueued}
            onChange={(event) => setShowQueued(event.target.checked)}
          />{' '}
          queued
        </label>
        {live ? (
          <label>
            <input type="checkbox" checked={follow} onChange={(event) => setFollow(event.target.checked)} />{' '}
            follow
          </label>
        ) : null}
        <span className="muted small">
          {shown.length} of {events.length}
        </span>
      </div>
      <div className="event-rows" ref={box} role="log" aria-live={live ? 'polite' : 'off'}>
        {visible.map((event) => (
          <div key={event.seq} className={`event-row type-${event.type}`} data-type={event.type}>
            <span className="mono muted">{formatClock(event.at)}</span>
            <span className="event-type">{event.type.replace(/_/g, ' ')}</span>
            <span className="mono">
              {event.assetKey ? <Link href={to.asset(event.assetKey)}>{event.assetKey}</Link> : null}
              {event.partition ? <span className="muted"> {event.partition}</span> : null}
            </span>
            <span className="event-message">{event.message ?? summarise(event)}</span>
          </div>
        ))}
      </div>
    </div>
  );
}

function summarise(event: RunEvent): string {
  const rows = event.data.rows;
  if (typeof rows === 'number') return `${formatNumber(rows)} rows`;
  return '';
}
