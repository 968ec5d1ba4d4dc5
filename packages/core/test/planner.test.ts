import { describe, expect, it } from 'vitest';
import {
  AssetGraph,
  type AssetPartitionState,
  indexStates,
  type Plan,
  planFromState,
  resolveSelection,
  UNPARTITIONED,
} from '../src/index.ts';
import { asset, days } from './helpers.ts';

// Today in Minsk is 2026-01-06, so the complete days are 2026-01-01 … 2026-01-05.
const now = new Date('2026-01-06T09:00:00Z');
const allDays = ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05'];

//   stage.rates (unpartitioned) ─┐
//   stage.pay (daily) ───────────┴─► bi.pay (daily) ─► bi.pay_7d (daily, window -6..0) ─► mart.total (all)
const graph = new AssetGraph([
  asset('stage.rates', { sql: 'select 1' }),
  asset('stage.pay', { partitions: days, sql: 'select 2' }),
  asset('bi.pay', {
    partitions: days,
    sql: 'select 3',
    deps: ['stage.pay', { key: 'stage.rates', mapping: { kind: 'all' } }],
  }),
  asset('bi.pay_7d', {
    partitions: days,
    sql: 'select 4',
    deps: [{ key: 'bi.pay', mapping: { kind: 'window', startOffset: -6, endOffset: 0 } }],
  }),
  asset('mart.total', { sql: 'select 5', deps: ['bi.pay_7d'] }),
]);

/** A consistent, fully materialised state: every partition consumed the versions it sees. */
function materialisedState(): AssetPartitionState[] {
  const version = (key: string, partition: string) => `v1:${key}:${partition}`;
  const states: AssetPartitionState[] = [];
  const add = (key: string, partition: string, consumed: AssetPartitionState['consumed']) =>
    states.push({
      assetKey: key,
      partition,
      status: 'materialized',
      dataVersion: version(key, partition),
      codeVersion: graph.get(key).codeVersion,
      consumed,
      materializedAt: new Date('2026-01-06T08:00:00Z'),
      rowCount: 1,
      runId: 'r1',
      failure: null,
      updatedAt: new Date('2026-01-06T08:00:00Z'),
    });
  add('stage.rates', UNPARTITIONED, {});
  for (const day of allDays) {
    add('stage.pay', day, {});
    add('bi.pay', day, {
      'stage.pay': { [day]: version('stage.pay', day) },
      'stage.rates': { '': version('stage.rates', '') },
    });
    const window = allDays.filter((d) => d <= day);
    add('bi.pay_7d', day, { 'bi.pay': Object.fromEntries(window.map((d) => [d, version('bi.pay', d)])) });
  }
  add('mart.total', UNPARTITIONED, {
    'bi.pay_7d': Object.fromEntries(allDays.map((d) => [d, version('bi.pay_7d', d)])),
  });
  return states;
}

const plan = (states: AssetPartitionState[], request: Partial<Plan['request']> = {}) => {
  const full = { selection: '*', ...request };
  return planFromState(graph, resolveSelection(graph, full.selection), indexStates(states), full, now);
};
/** The consistent state with one asset's partitions (or one of them) changed. */
const changed = (key: string, partition: string | null, patch: Partial<AssetPartitionState>) =>
  materialisedState().map((state) =>
    state.assetKey === key && (partition === null || state.partition === partition)
      ? { ...state, ...patch }
      : state,
  );
const steps = (result: Plan) => result.steps.map((step) => `${step.assetKey}[${step.partition}]`);
const reasonOf = (result: Plan, key: string, partition: string) =>
  result.steps
    .find((step) => step.assetKey === key && step.partition === partition)
    ?.reasons.map((r) => r.kind);

describe('planner', () => {
  it('plans every partition of a never-materialised graph, up to the last complete day', () => {
    const result = plan([]);
    expect(result.steps).toHaveLength(1 + 5 + 5 + 5 + 1);
    expect(reasonOf(result, 'stage.pay', '2026-01-05')).toEqual(['never_materialized']);
    expect(steps(result)).not.toContain('stage.pay[2026-01-06]');
  });

  it('refuses a range of days that have not ended, naming the newest complete day', () => {
    expect(() => plan([], { from: '2026-01-06', to: '2026-01-06' })).toThrow(
      '2026-01-06 has not ended yet: the newest complete day is 2026-01-05 (days end at midnight, Europe/Minsk)',
    );
    expect(() => plan([], { selection: 'stage.pay', from: '2026-01-07', to: '2026-01-09' })).toThrow(
      /2026-01-07…2026-01-09 has not ended yet/,
    );
    // A range reaching past today plans its complete days.
    expect(steps(plan([], { selection: 'stage.pay', from: '2026-01-05', to: '2026-01-09' }))).toEqual([
      'stage.pay[2026-01-05]',
    ]);
  });

  it('plans nothing when everything consumed the current versions', () => {
    expect(plan(materialisedState()).steps).toEqual([]);
  });

  it('plans everything selected with force', () => {
    const result = plan(materialisedState(), { force: true });
    expect(result.steps).toHaveLength(17);
    expect(result.steps.every((step) => step.reasons[0]!.kind === 'forced')).toBe(true);
  });

  it('marks a partition whose code version changed, and what reads it in this run', () => {
    const result = plan(changed('bi.pay', '2026-01-02', { codeVersion: 'old' }));
    expect(reasonOf(result, 'bi.pay', '2026-01-02')).toEqual(['code_changed']);
    // The 7-day window of 01-02 … 01-05 contains 01-02; the mart reads every day.
    expect(steps(result)).toEqual([
      'bi.pay[2026-01-02]',
      'bi.pay_7d[2026-01-02]',
      'bi.pay_7d[2026-01-03]',
      'bi.pay_7d[2026-01-04]',
      'bi.pay_7d[2026-01-05]',
      'mart.total[]',
    ]);
    expect(reasonOf(result, 'mart.total', '')).toEqual(['upstream_planned']);
  });

  it('marks a partition whose upstream has newer data than it consumed', () => {
    // stage.pay[01-03] was re-materialised outside this selection: bi.pay[01-03] did not see it.
    const result = plan(changed('stage.pay', '2026-01-03', { dataVersion: 'v2' }), { selection: 'bi.pay' });
    expect(steps(result)).toEqual(['bi.pay[2026-01-03]']);
    expect(result.steps[0]!.reasons[0]!.message).toBe('upstream stage.pay has newer data');
  });

  it('treats a change of an unpartitioned upstream as newer data for every day that reads it', () => {
    const result = plan(changed('stage.rates', null, { dataVersion: 'v2' }), { selection: 'bi.pay' });
    expect(steps(result)).toEqual(allDays.map((day) => `bi.pay[${day}]`));
  });

  it('re-plans a partition whose last attempt failed', () => {
    const states = changed('stage.pay', '2026-01-04', { status: 'failed', failure: 'connection refused' });
    const result = plan(states, { selection: 'stage.pay' });
    expect(steps(result)).toEqual(['stage.pay[2026-01-04]']);
    expect(result.steps[0]!.reasons[0]!.message).toBe('last attempt failed: connection refused');
  });

  it('limits daily assets to the requested range', () => {
    const result = plan([], { from: '2026-01-02', to: '2026-01-03' });
    expect(steps(result).filter((step) => step.startsWith('stage.pay'))).toEqual([
      'stage.pay[2026-01-02]',
      'stage.pay[2026-01-03]',
    ]);
    expect(steps(result)).toContain('stage.rates[]');
  });

  it('plans an unpartitioned asset whose freshness policy is violated', () => {
    const fresh = new AssetGraph([
      asset('mart.daily_report', { freshness: { cron: '0 6 * * *', maximumLagMinutes: 60 } }),
    ]);
    const state = (materializedAt: Date): AssetPartitionState => ({
      assetKey: 'mart.daily_report',
      partition: '',
      status: 'materialized',
      dataVersion: 'v1',
      codeVersion: fresh.get('mart.daily_report').codeVersion,
      consumed: {},
      materializedAt,
      rowCount: 1,
      runId: 'r1',
      failure: null,
      updatedAt: materializedAt,
    });
    const at = (materializedAt: string) =>
      planFromState(
        fresh,
        new Set(fresh.order),
        indexStates([state(new Date(materializedAt))]),
        { selection: '*' },
        now,
      );
    // The tick is 06:00 Minsk = 03:00 UTC on 01-06; data must be newer than 02:00 UTC.
    expect(at('2026-01-06T02:30:00Z').steps).toEqual([]);
    const late = at('2026-01-06T01:30:00Z');
    expect(late.steps.map((step) => step.reasons[0]!.kind)).toEqual(['freshness']);
    expect(late.steps[0]!.reasons[0]!.message).toContain('2026-01-06T02:00:00.000Z');
  });
});
