import { describe, expect, it } from 'vitest';
import { AssetGraph, UNPARTITIONED } from '../src/index.ts';
import { asset, days } from './helpers.ts';

// Partition mappings both ways: what a downstream partition reads, and which downstream
// partitions read one upstream partition.
const graph = new AssetGraph([
  asset('stage.daily', { partitions: days }),
  asset('stage.rates'),
  asset('bi.same_day', { partitions: days, deps: ['stage.daily'] }),
  asset('bi.rolling', {
    partitions: days,
    deps: [{ key: 'stage.daily', mapping: { kind: 'window', startOffset: -2, endOffset: 0 } }],
  }),
  asset('bi.with_rates', {
    partitions: days,
    deps: ['stage.daily', { key: 'stage.rates', mapping: { kind: 'all' } }],
  }),
  asset('mart.total', { deps: ['stage.daily'] }),
]);

const now = new Date('2026-01-20T12:00:00Z');

describe('downstream partitions', () => {
  it('maps the same day to the same day', () => {
    expect(graph.downstreamPartitions('bi.same_day', 'stage.daily', '2026-01-05')).toEqual(['2026-01-05']);
  });

  it('maps a day to every window that holds it', () => {
    expect(graph.downstreamPartitions('bi.rolling', 'stage.daily', '2026-01-05')).toEqual([
      '2026-01-05',
      '2026-01-06',
      '2026-01-07',
    ]);
  });

  it('is the other way round from the upstream partitions', () => {
    const rolling = graph.get('bi.rolling');
    const dep = rolling.deps[0]!;
    for (const reader of graph.downstreamPartitions('bi.rolling', 'stage.daily', '2026-01-05')) {
      expect(graph.upstreamPartitions(dep, reader, now)).toContain('2026-01-05');
    }
  });

  it('maps any partition to the one partition of an unpartitioned asset', () => {
    expect(graph.downstreamPartitions('mart.total', 'stage.daily', '2026-01-05')).toEqual([UNPARTITIONED]);
  });

  it('lists no day of a daily asset reading all of an unpartitioned upstream', () => {
    expect(graph.downstreamPartitions('bi.with_rates', 'stage.rates', UNPARTITIONED)).toEqual([]);
  });

  it('refuses an asset that is not downstream', () => {
    expect(() => graph.downstreamPartitions('bi.same_day', 'stage.rates', UNPARTITIONED)).toThrow(
      /does not depend on "stage.rates"/,
    );
  });
});
