import type { RunEvent } from '@vitrina/core';
import logUpdate from 'log-update';
import { colour, duration, status, stepLabel } from './format.ts';

interface StepView {
  label: string;
  status: string;
  startedAt: number | null;
  finishedAt: number | null;
  rows: number | null;
  note: string | null;
}

/** Without a terminal (a log file, CI), how often the summary line is printed. */
const SUMMARY_EVERY_MS = 10_000;

/**
 * Follows a run's events. On a terminal it redraws a live board (overall counts, the running
 * steps with their elapsed time, the latest finished ones). Elsewhere — a log file, CI — it prints
 * the summary line (done/total, running, failed, blocked, elapsed) every 10 s and at the end, and
 * one line per failed step: a bring-up of thousands of steps stays a log one can read.
 */
export class Progress {
  private readonly steps = new Map<string, StepView>();
  private readonly finishedOrder: StepView[] = [];
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | null = null;
  // A terminal that reports no size (some CI pseudo-terminals) gets the line-per-step output.
  private readonly live = Boolean(process.stdout.isTTY) && (process.stdout.rows ?? 0) > 0;

  constructor(
    private readonly runId: string,
    private readonly total: number,
  ) {
    if (this.live) this.timer = setInterval(() => this.draw(), 100);
    else {
      console.log(`run ${runId} · ${total} steps`);
      this.timer = setInterval(() => console.log(this.header()), SUMMARY_EVERY_MS);
    }
  }

  onEvent = (event: RunEvent): void => {
    const key = stepLabel(event.assetKey ?? '', event.partition);
    let view = this.steps.get(key);
    if (event.assetKey && !view) {
      view = { label: key, status: 'queued', startedAt: null, finishedAt: null, rows: null, note: null };
      this.steps.set(key, view);
    }
    if (!view) return;
    const at = event.at.getTime();
    switch (event.type) {
      case 'step_started':
        view.status = 'running';
        view.startedAt = at;
        break;
      case 'materialized':
        view.rows = typeof event.data.rows === 'number' ? event.data.rows : null;
        break;
      case 'step_retry':
        view.note = event.message;
        break;
      case 'step_succeeded':
      case 'step_failed':
      case 'step_blocked':
      case 'step_cancelled':
        view.status = event.type.slice('step_'.length).replace('succeeded', 'success');
        view.finishedAt = at;
        view.note = event.type === 'step_succeeded' ? null : event.message;
        this.finishedOrder.push(view);
        if (!this.live && event.type === 'step_failed') console.log(this.line(view));
        break;
      default:
        break;
    }
  };

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.live) {
      this.draw();
      logUpdate.done();
    } else console.log(this.header());
  }

  private counts() {
    const counts: Record<string, number> = {};
    for (const view of this.steps.values()) counts[view.status] = (counts[view.status] ?? 0) + 1;
    return counts;
  }

  private header(): string {
    const counts = this.counts();
    const done =
      (counts.success ?? 0) + (counts.failed ?? 0) + (counts.blocked ?? 0) + (counts.cancelled ?? 0);
    const parts = [
      colour.bold(`run ${this.runId.slice(0, 8)}`),
      // Steps the run adds as it goes (what reads a day a lookback rewrote) count too.
      `${done}/${Math.max(this.total, this.steps.size)} done`,
      `${counts.running ?? 0} running`,
      counts.failed ? colour.red(`${counts.failed} failed`) : '0 failed',
      counts.blocked ? colour.magenta(`${counts.blocked} blocked`) : '',
      counts.cancelled ? colour.yellow(`${counts.cancelled} cancelled`) : '',
      duration(Date.now() - this.started),
    ];
    return parts.filter(Boolean).join(' · ');
  }

  private line(view: StepView): string {
    const end = view.finishedAt ?? Date.now();
    const elapsed = view.startedAt === null ? '' : duration(end - view.startedAt);
    const rows = view.rows === null ? '' : `${view.rows} rows`;
    const note = view.note ? colour.dim(view.note) : '';
    return [status(view.status.padEnd(9)), view.label, elapsed, rows, note].filter(Boolean).join('  ');
  }

  private draw(): void {
    const room = Math.max(6, (process.stdout.rows ?? 24) - 4);
    const running = [...this.steps.values()].filter((view) => view.status === 'running');
    const recent = this.finishedOrder.slice(-Math.max(0, room - running.length)).reverse();
    const lines = [...running, ...recent].slice(0, room).map((view) => `  ${this.line(view)}`);
    logUpdate([this.header(), ...lines].join('\n'));
  }
}
