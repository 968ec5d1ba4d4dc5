import { useState } from 'react';
import type { Step } from '../api/types.ts';
import { durationBetween, formatDuration, formatNumber } from '../lib/format.ts';
import { to } from '../lib/routes.ts';
import { runStatusStyles } from '../lib/status.ts';
import { GROUP_STEPS_ABOVE, groupSteps, timeline } from '../lib/timeline.ts';
import { Link } from '../router.tsx';

type RunSpan = { createdAt: string; finishedAt: string | null };

/**
 * A run's steps on a time axis: one row per step for a small run; past GROUP_STEPS_ABOVE steps one
 * row per asset (its first start to its last end, with its steps counted by status), each opening
 * into its steps.
 */
export function RunTimeline({ run, steps, now }: { run: RunSpan; steps: Step[]; now: number }) {
  if (steps.length <= GROUP_STEPS_ABOVE) return <StepGantt run={run} steps={steps} now={now} />;
  return <GroupedGantt run={run} steps={steps} now={now} />;
}

function GroupedGantt({ run, steps, now }: { run: RunSpan; steps: Step[]; now: number }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const groups = groupSteps(byStart(steps));
  const chart = timeline(
    groups.map((group) => group.span),
    run,
    now,
  );
  // The steps on the same axis: their first start and last end are the groups' own.
  const stepBars = new Map(timeline(steps, run, now).bars.map((bar) => [bar.step, bar]));
  const percent = (value: number) => `${(value / chart.span) * 100}%`;
  const toggle = (key: string) =>
    setOpen((previous) => {
      const next = new Set(previous);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  return (
    <div className="gantt grouped">
      <p className="muted small">
        {formatNumber(steps.length)} steps of {formatNumber(groups.length)} assets, a row per asset: open one
        for its steps.
      </p>
      <Axis ticks={chart.ticks} percent={percent} label="Asset" />
      {chart.bars.map(({ start, end }, index) => {
        const group = groups[index]!;
        const style = runStatusStyles[group.span.status as Step['status']];
        const expanded = open.has(group.key);
        return (
          <div key={group.key} className="gantt-group" data-group={group.key} data-status={group.span.status}>
            <div className="gantt-row">
              <div className="gantt-label">
                <button
                  type="button"
                  className="icon-button gantt-toggle"
                  aria-expanded={expanded}
                  aria-label={`${expanded ? 'Hide' : 'Show'} the steps of ${group.key}`}
                  onClick={() => toggle(group.key)}
                >
                  {expanded ? '▾' : '▸'}
                </button>
                <Link className="mono" href={to.asset(group.key)}>
                  {group.key}
                </Link>
                <span className="gantt-counts">
                  {group.counts.map(({ status, count }) => (
                    <span key={status} style={{ color: runStatusStyles[status].colour }} data-count={status}>
                      {runStatusStyles[status].glyph} {formatNumber(count)}
                    </span>
                  ))}
                </span>
              </div>
              <div className="gantt-track">
                {chart.ticks.map((tick) => (
                  <span key={tick.at} className="gantt-grid" style={{ left: percent(tick.at) }} />
                ))}
                {start !== null && end !== null ? (
                  <span
                    className={`gantt-bar${group.span.status === 'running' ? ' running' : ''}`}
                    style={{
                      left: percent(start),
                      width: `max(3px, ${percent(end - start)})`,
                      background: style.colour,
                    }}
                    title={`${group.key}: ${group.steps.length} steps, ${group.counts.map(({ status, count }) => `${count} ${runStatusStyles[status].label.toLowerCase()}`).join(', ')}`}
                  />
                ) : (
                  <span className="gantt-waiting muted">{style.label.toLowerCase()}</span>
                )}
              </div>
            </div>
            {expanded ? (
              <StepRows
                bars={group.steps.map((step) => stepBars.get(step)!)}
                ticks={chart.ticks}
                percent={percent}
                now={now}
              />
            ) : null}
          </div>
        );
      })}
    </div>
  );
}

function Axis({
  ticks,
  percent,
  label,
}: {
  ticks: { at: number; label: string }[];
  percent: (value: number) => string;
  label: string;
}) {
  return (
    <div className="gantt-row gantt-axis">
      <div className="gantt-label muted">{label}</div>
      <div className="gantt-track">
        {ticks.map((tick) => (
          <span key={tick.at} className="gantt-tick" style={{ left: percent(tick.at) }}>
            {tick.label}
          </span>
        ))}
      </div>
    </div>
  );
}

const MAX_ROWS = 400;

function StepGantt({ run, steps, now }: { run: RunSpan; steps: Step[]; now: number }) {
  if (steps.length === 0) return <p className="muted">No steps.</p>;
  const sorted = byStart(steps);
  const chart = timeline(sorted.slice(0, MAX_ROWS), run, now);
  const percent = (value: number) => `${(value / chart.span) * 100}%`;
  return (
    <div className="gantt">
      <Axis ticks={chart.ticks} percent={percent} label="Step" />
      <StepRows bars={chart.bars} ticks={chart.ticks} percent={percent} now={now} />
      {sorted.length > MAX_ROWS ? <p className="muted">…and {sorted.length - MAX_ROWS} more steps.</p> : null}
    </div>
  );
}

const byStart = (steps: readonly Step[]) =>
  [...steps].sort(
    (a, b) =>
      (a.startedAt ?? '9').localeCompare(b.startedAt ?? '9') ||
      a.assetKey.localeCompare(b.assetKey) ||
      a.partition.localeCompare(b.partition),
  );

function StepRows({
  bars,
  ticks,
  percent,
  now,
}: {
  bars: { step: Step; start: number | null; end: number | null }[];
  ticks: { at: number }[];
  percent: (value: number) => string;
  now: number;
}) {
  return (
    <>
      {bars.map(({ step, start, end }) => {
        const style = runStatusStyles[step.status];
        const duration = durationBetween(step.startedAt, step.finishedAt, now);
        return (
          <div
            className="gantt-row"
            key={`${step.assetKey}|${step.partition}`}
            data-step={step.assetKey}
            data-status={step.status}
          >
            <div className="gantt-label">
              <Link className="mono" href={to.asset(step.assetKey)}>
                {step.assetKey}
              </Link>
              {step.partition ? <span className="muted"> {step.partition}</span> : null}
            </div>
            <div className="gantt-track">
              {ticks.map((tick) => (
                <span key={tick.at} className="gantt-grid" style={{ left: percent(tick.at) }} />
              ))}
              {start !== null && end !== null ? (
                <span
                  className={`gantt-bar${step.status === 'running' ? ' running' : ''}`}
                  style={{
                    left: percent(start),
                    width: `max(3px, ${percent(end - start)})`,
                    background: style.colour,
                  }}
                  title={`${step.assetKey} ${step.partition}: ${style.label.toLowerCase()} in ${formatDuration(duration)}${step.rowCount !== null ? `, ${formatNumber(step.rowCount)} rows` : ''}${step.attempts > 1 ? `, ${step.attempts} attempts` : ''} — ${step.reason}`}
                />
              ) : (
                <span className="gantt-waiting muted">{style.label.toLowerCase()}</span>
              )}
            </div>
          </div>
        );
      })}
    </>
  );
}
