import { describe, expect, it } from 'vitest';
import { applyEvent, type LiveRun } from '../src/api/live.ts';
import type { RunEvent, Step } from '../src/api/types.ts';
import {
  dedent,
  durationBetween,
  formatDuration,
  formatNumber,
  formatPartition,
  formatRelative,
  plural,
  runPartitions,
  tagLabel,
} from '../src/lib/format.ts';
import { adjacency, focusSet, reachable, searchAssets } from '../src/lib/graph.ts';
import { partitionCells, partitionRange, partitionSummary } from '../src/lib/partitions.ts';
import { href, parseRoute, to } from '../src/lib/routes.ts';
import { runToastText } from '../src/lib/runToast.ts';
import { niceMax, rowSeries } from '../src/lib/series.ts';
import { splitAtKeys } from '../src/lib/sqlLinks.ts';
import { nodeState, stateCounts, stateSentence, stateStyles } from '../src/lib/status.ts';
import { groupSteps, ticks, timeline } from '../src/lib/timeline.ts';
import { fitView, MAX_ZOOM, MIN_ZOOM, zoomAround } from '../src/lib/view.ts';

describe('states', () => {
  it('shows running over whatever the graph said, and explains each state', () => {
    expect(nodeState('stale', true)).toBe('running');
    expect(nodeState('failed', false)).toBe('failed');
    expect(stateSentence('stale', 'upstream raw.trips has newer data')).toBe(
      'Stale: upstream raw.trips has newer data',
    );
    expect(stateSentence('fresh', null)).toBe('Up to date');
  });

  it('gives every state its own colour and glyph, so colour is never the only cue', () => {
    const styles = Object.values(stateStyles);
    expect(new Set(styles.map((style) => style.colour)).size).toBe(styles.length);
    expect(new Set(styles.map((style) => style.glyph)).size).toBe(styles.length);
  });

  it('counts states with the ones needing attention first', () => {
    expect(stateCounts(['fresh', 'stale', 'failed', 'fresh'])).toEqual([
      { state: 'failed', count: 1 },
      { state: 'stale', count: 1 },
      { state: 'fresh', count: 2 },
    ]);
  });
});

describe('formatting', () => {
  it('formats durations in the unit a person reads', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1234)).toBe('1.23 s');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 m 05 s');
    expect(formatDuration(2 * 3_600_000 + 3 * 60_000)).toBe('2 h 03 m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
    expect(formatDuration(null)).toBe('—');
  });

  it('measures a running duration to now', () => {
    const now = Date.parse('2026-11-25T10:00:10Z');
    expect(durationBetween('2026-11-25T10:00:00Z', null, now)).toBe(10_000);
    expect(durationBetween('2026-11-25T10:00:00Z', '2026-11-25T10:00:02Z', now)).toBe(2000);
    expect(durationBetween(null, null, now)).toBeNull();
  });

  it('says times relative to now, past and future', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(formatRelative('2026-11-25T09:59:50Z', now)).toBe('just now');
    expect(formatRelative('2026-11-25T09:55:00Z', now)).toBe('5 min ago');
    expect(formatRelative('2026-11-25T07:00:00Z', now)).toBe('3 hours ago');
    expect(formatRelative('2026-11-25T11:00:00Z', now)).toBe('in 1 hour');
    expect(formatRelative('2026-11-22T10:00:00Z', now)).toBe('3 days ago');
    expect(formatRelative(null, now)).toBe('never');
  });

  it('formats numbers, partitions, plurals and indented SQL', () => {
    expect(formatNumber(1_234_567)).toBe('1,234,567');
    expect(formatNumber(null)).toBe('—');
    expect(formatPartition('')).toBe('—');
    expect(plural(1, 'step')).toBe('1 step');
    expect(plural(3, 'match', 'matches')).toBe('3 matches');
    expect(dedent('insert into t\n      select 1\n        from x')).toBe(
      'insert into t\n  select 1\n    from x',
    );
  });
});

describe('graph walks and search', () => {
  const graph = adjacency(
    ['a', 'b', 'c', 'd', 'e'],
    [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'd', to: 'c' },
      { from: 'c', to: 'e' },
    ],
  );

  it('finds upstream and downstream, to a depth', () => {
    expect([...reachable(['c'], graph.upstream)].sort()).toEqual(['a', 'b', 'd']);
    expect([...reachable(['c'], graph.upstream, 1)].sort()).toEqual(['b', 'd']);
    expect([...focusSet(['b'], graph, 'both')].sort()).toEqual(['a', 'b', 'c', 'e']);
    expect([...focusSet(['b'], graph, 'downstream')].sort()).toEqual(['b', 'c', 'e']);
  });

  it('searches keys first, then groups and descriptions; every word must match', () => {
    const nodes = [
      { key: 'bi.fact_payments', group: 'bi', description: 'one row per payment' },
      { key: 'stage.payments', group: 'stage', description: 'raw payments' },
      { key: 'dimension.users', group: 'dimension', description: 'users with their first payment' },
    ];
    expect(searchAssets(nodes, 'payments').map((node) => node.key)).toEqual([
      'stage.payments',
      'bi.fact_payments',
    ]);
    expect(searchAssets(nodes, 'payment').map((node) => node.key)).toContain('dimension.users');
    expect(searchAssets(nodes, 'stage raw').map((node) => node.key)).toEqual(['stage.payments']);
    expect(searchAssets(nodes, '  ')).toEqual([]);
  });
});

describe('partition bar', () => {
  const stored = [
    {
      partition: '2026-11-01',
      status: 'materialized' as const,
      rowCount: 10,
      materializedAt: 'x',
      failure: null,
    },
    {
      partition: '2026-11-02',
      status: 'materialized' as const,
      rowCount: 12,
      materializedAt: 'x',
      failure: null,
    },
    {
      partition: '2026-11-03',
      status: 'failed' as const,
      rowCount: null,
      materializedAt: null,
      failure: 'boom',
    },
  ];
  const planned = [
    { partition: '2026-11-02', reasons: [{ message: 'upstream raw.trips has newer data' }] },
    { partition: '2026-11-03', reasons: [{ message: 'last attempt failed' }] },
    { partition: '2026-11-04', reasons: [{ message: 'never materialised' }] },
  ];

  it('colours each day from storage and the plan', () => {
    const cells = partitionCells(stored, planned, new Set(['2026-11-01']));
    expect(cells.map((cell) => [cell.partition, cell.state, cell.reason])).toEqual([
      ['2026-11-01', 'running', null],
      ['2026-11-02', 'stale', 'upstream raw.trips has newer data'],
      ['2026-11-03', 'failed', 'boom'],
      ['2026-11-04', 'never', 'never materialised'],
    ]);
    expect(partitionSummary(cells)).toEqual({ fresh: 0, stale: 1, failed: 1, never: 1, running: 1 });
  });

  it('orders a picked range', () => {
    expect(partitionRange('2026-11-05', '2026-11-02')).toEqual({ from: '2026-11-02', to: '2026-11-05' });
  });
});

describe('run timeline', () => {
  it('places steps on a time axis, a running step growing to now', () => {
    const run = { createdAt: '2026-11-25T10:00:00.000Z', finishedAt: null };
    const steps = [
      {
        assetKey: 'a',
        partition: '',
        status: 'success',
        startedAt: '2026-11-25T10:00:01.000Z',
        finishedAt: '2026-11-25T10:00:03.000Z',
      },
      {
        assetKey: 'b',
        partition: '',
        status: 'running',
        startedAt: '2026-11-25T10:00:03.000Z',
        finishedAt: null,
      },
      { assetKey: 'c', partition: '', status: 'queued', startedAt: null, finishedAt: null },
    ];
    const chart = timeline(steps, run, Date.parse('2026-11-25T10:00:10.000Z'));
    expect(chart.span).toBe(10_000);
    expect(chart.bars.map((bar) => [bar.start, bar.end])).toEqual([
      [1000, 3000],
      [3000, 10_000],
      [null, null],
    ]);
    expect(chart.ticks.map((tick) => tick.label)).toEqual(['0', '2 s', '4 s', '6 s', '8 s', '10 s']);
  });

  it('picks round tick intervals', () => {
    expect(ticks(25).map((tick) => tick.at)).toEqual([0, 10, 20]);
    expect(ticks(3_600_000).length).toBeLessThanOrEqual(9);
  });
});

describe('view', () => {
  it('zooms around the cursor, within limits', () => {
    const view = zoomAround({ x: 0, y: 0, k: 1 }, 2, 100, 50);
    expect(view).toEqual({ k: 2, x: -100, y: -50 });
    expect(zoomAround(view, 1e9, 0, 0).k).toBe(MAX_ZOOM);
    expect(zoomAround(view, 1e-9, 0, 0).k).toBe(MIN_ZOOM);
  });

  it('fits a graph into the screen, never magnifying', () => {
    expect(fitView({ width: 100, height: 100 }, 1000, 800)).toEqual({ k: 1, x: 450, y: 350 });
    const big = fitView({ width: 10_000, height: 1000 }, 1064, 800);
    expect(big.k).toBeCloseTo(0.1);
  });
});

describe('row counts', () => {
  const m = (
    partition: string,
    finishedAt: string,
    rowCount: number | null,
    status: 'success' | 'failed' = 'success',
  ) => ({
    partition,
    finishedAt,
    rowCount,
    status,
  });

  it('takes the latest count per day for a daily asset', () => {
    const series = rowSeries(
      [
        m('2026-11-02', '2026-11-03T01:00Z', 5),
        m('2026-11-01', '2026-11-02T01:00Z', 3),
        m('2026-11-01', '2026-11-04T01:00Z', 4),
        m('2026-11-03', '2026-11-04T02:00Z', 9, 'failed'),
      ],
      true,
    );
    expect(series.map((point) => [point.label, point.rows])).toEqual([
      ['2026-11-01', 4],
      ['2026-11-02', 5],
    ]);
  });

  it('takes every materialisation in time order for an unpartitioned one, and rounds the axis', () => {
    const series = rowSeries([m('', '2026-11-03T01:00:00Z', 7), m('', '2026-11-02T01:00:00Z', 6)], false);
    expect(series.map((point) => point.rows)).toEqual([6, 7]);
    expect(niceMax(237)).toBe(250);
    expect(niceMax(0)).toBe(1);
    expect(niceMax(1000)).toBe(1000);
  });
});

describe('routes', () => {
  it('round-trips every route through its URL', () => {
    for (const url of [
      to.lineage(),
      to.lineage('clean.trips', 'trips'),
      to.asset('stage.payments'),
      to.asset('stage.payments', 'amount'),
      to.runs('failed'),
      to.run('abc'),
      to.quarantine('crm', '2026-11-01'),
    ]) {
      const [path, search] = url.split('?');
      expect(href(parseRoute(path!, search ? `?${search}` : ''))).toBe(url);
    }
    expect(parseRoute('/nowhere')).toEqual({ name: 'notFound', path: '/nowhere' });
    expect(parseRoute('/assets/source.crm.deals')).toEqual({
      name: 'asset',
      key: 'source.crm.deals',
      column: null,
    });
    expect(parseRoute('/assets/clean.trips', '?column=district')).toMatchObject({ column: 'district' });
    expect(to.asset('clean.trips', 'district')).toBe('/assets/clean.trips?column=district');
  });
});

describe('upstream keys in SQL text', () => {
  const linked = (text: string, keys: string[]) =>
    splitAtKeys(text, keys)
      .filter((piece) => piece.key)
      .map((piece) => `${piece.text}→${piece.key}`);

  it('splits the text at every occurrence of a key, keeping all of it', () => {
    const sql =
      'select t.day, s.district\nfrom raw.trips t join raw.stations s on s.station_id = t.from_station';
    const pieces = splitAtKeys(sql, ['raw.trips', 'raw.stations']);
    expect(pieces.map((piece) => piece.text).join('')).toBe(sql);
    expect(linked(sql, ['raw.trips', 'raw.stations'])).toEqual([
      'raw.trips→raw.trips',
      'raw.stations→raw.stations',
    ]);
  });

  it('matches whole names only, in any case, the longest key first', () => {
    expect(linked('from raw.trips_old join x.raw.trips', ['raw.trips'])).toEqual([]);
    expect(linked('from "raw.trips" join raw.trips.minutes', ['raw.trips'])).toEqual([]);
    expect(linked('FROM RAW.TRIPS;', ['raw.trips'])).toEqual(['RAW.TRIPS→raw.trips']);
    expect(linked('from source.crm.deals, source.crm', ['source.crm', 'source.crm.deals'])).toEqual([
      'source.crm.deals→source.crm.deals',
      'source.crm→source.crm',
    ]);
    expect(splitAtKeys('select 1', [])).toEqual([{ text: 'select 1', key: null }]);
    expect(splitAtKeys('', ['raw.trips'])).toEqual([]);
  });
});

describe('live run state', () => {
  const event = (
    type: RunEvent['type'],
    assetKey: string | null,
    data: Record<string, unknown> = {},
  ): RunEvent => ({
    runId: 'r',
    seq: 1,
    type,
    assetKey,
    partition: assetKey ? '2026-11-01' : null,
    at: '2026-11-25T10:00:00Z',
    message: null,
    data,
  });

  it('follows steps from started to done and the run to its end', () => {
    const run: LiveRun = {
      id: 'r',
      status: 'running',
      total: 0,
      done: 0,
      failed: 0,
      running: new Set(),
      since: 0,
    };
    expect(applyEvent(run, event('run_started', null, { steps: 2 }))).toBe(false);
    expect(run.total).toBe(2);
    expect(applyEvent(run, event('step_started', 'a'))).toBe(true);
    expect([...run.running]).toEqual(['a|2026-11-01']);
    applyEvent(run, event('step_succeeded', 'a'));
    applyEvent(run, event('step_started', 'b'));
    applyEvent(run, event('step_failed', 'b'));
    expect(run).toMatchObject({ done: 2, failed: 1 });
    expect(run.running.size).toBe(0);
    applyEvent(run, event('run_finished', null, { status: 'failed' }));
    expect(run.status).toBe('failed');
  });
});

describe("a run's toast", () => {
  const run = { id: '0123456789abcdef', label: 'Run', steps: 10 };
  const live = (status: LiveRun['status'], done: number, failed: number) => ({
    status,
    total: 10,
    done,
    failed,
  });

  it('says started until the live state arrives, then counts, then how the run ended', () => {
    expect(runToastText(run, undefined)).toMatchObject({ kind: 'info', finished: false });
    expect(runToastText(run, undefined).text).toMatch(/started: 10 steps$/);
    expect(runToastText(run, live('running', 3, 0)).text).toMatch(/running: 3 of 10 steps done$/);
    expect(runToastText(run, live('running', 4, 1))).toMatchObject({ kind: 'error', finished: false });
    expect(runToastText(run, live('success', 10, 0))).toMatchObject({ kind: 'success', finished: true });
    expect(runToastText(run, live('success', 10, 0)).text).toMatch(/succeeded: 10 steps$/);
    expect(runToastText(run, live('failed', 10, 2)).text).toMatch(/failed: 2 of 10 steps did not succeed$/);
    expect(runToastText(run, live('cancelled', 4, 0))).toMatchObject({ kind: 'info', finished: true });
    expect(runToastText(run, live('cancelled', 4, 0)).text).toMatch(/cancelled after 4 of 10 steps$/);
  });
});

describe('asset tags', () => {
  it('read as labels, not as raw keys', () => {
    expect(tagLabel('procedure')).toBe('Procedure');
    expect(tagLabel('table')).toBe('Source table');
    expect(tagLabel('last_owner')).toBe('Last owner');
    expect(tagLabel('x')).toBe('X');
  });
});

describe("a run's partitions", () => {
  it('say the range and whether fresh ones were rebuilt, in one phrase', () => {
    const all = { partitionFrom: null, partitionTo: null };
    expect(runPartitions({ ...all, force: false })).toBe('every stale or missing one');
    expect(runPartitions({ ...all, force: true })).toBe('every partition, fresh ones rebuilt too (forced)');
    const range = { partitionFrom: '2026-11-01', partitionTo: '2026-11-30' };
    expect(runPartitions({ ...range, force: false })).toBe(
      '2026-11-01 → 2026-11-30, the stale or missing ones',
    );
    expect(runPartitions({ ...range, force: true })).toBe(
      '2026-11-01 → 2026-11-30, every one rebuilt (forced)',
    );
    expect(runPartitions({ partitionFrom: '2026-11-05', partitionTo: '2026-11-05', force: false })).toBe(
      '2026-11-05, the stale or missing ones',
    );
  });
});

describe("a big run's timeline", () => {
  const step = (
    assetKey: string,
    partition: string,
    status: Step['status'],
    start: string | null,
    end: string | null,
  ) => ({ assetKey, partition, status, startedAt: start, finishedAt: end }) as const;
  it('has a row per asset: first start to last end, counts by status, the worst status its colour', () => {
    const groups = groupSteps([
      step('stage.a', '2026-11-01', 'success', '2026-12-01T10:00:00Z', '2026-12-01T10:00:05Z'),
      step('stage.b', '2026-11-01', 'success', '2026-12-01T10:00:01Z', '2026-12-01T10:00:02Z'),
      step('stage.a', '2026-11-02', 'failed', '2026-12-01T10:00:03Z', '2026-12-01T10:00:09Z'),
      step('stage.a', '2026-11-03', 'blocked', null, null),
    ]);
    expect(groups.map((group) => group.key)).toEqual(['stage.a', 'stage.b']);
    expect(groups[0]!.span).toMatchObject({
      status: 'failed',
      startedAt: '2026-12-01T10:00:00Z',
      finishedAt: '2026-12-01T10:00:09Z',
    });
    expect(groups[0]!.counts).toEqual([
      { status: 'failed', count: 1 },
      { status: 'blocked', count: 1 },
      { status: 'success', count: 1 },
    ]);
    expect(groups[1]!.span.status).toBe('success');
  });
  it('keeps a group open-ended while one of its steps runs', () => {
    const [group] = groupSteps([
      step('bi.x', '2026-11-01', 'success', '2026-12-01T10:00:00Z', '2026-12-01T10:00:05Z'),
      step('bi.x', '2026-11-02', 'running', '2026-12-01T10:00:06Z', null),
    ]);
    expect(group!.span).toMatchObject({ status: 'running', finishedAt: null });
  });
});
