import { describe, expect, it } from 'vitest';
import {
  AssetGraph,
  type AssetPartitionState,
  addDays,
  assetStatuses,
  daily,
  defineAsset,
  indexStates,
} from '../src/index.ts';

/**
 * An asset's state through a past day (`vitrina assets --to`): a bring-up leaves yesterday for the
 * next day's load, and the days through the one it went to must read as current, not overdue.
 */
describe('asset statuses through a day', () => {
  const now = new Date('2026-03-10T09:00:00Z'); // 12:00 in Minsk: 2026-03-09 is the newest complete day
  const asset = defineAsset({
    key: 'stage.events',
    description: 'a daily load due by 00:30',
    group: 'stage',
    storage: 'postgres',
    partitions: daily('2026-03-01', 'Europe/Minsk'),
    freshness: { cron: '30 0 * * *', maximumLagMinutes: 24 * 60 },
    codeVersion: 'v1',
    materialize: async () => ({ rows: 1 }),
  });
  const graph = new AssetGraph([asset]);
  const loaded = (day: string): AssetPartitionState => ({
    assetKey: asset.key,
    partition: day,
    status: 'materialized',
    dataVersion: `v-${day}`,
    codeVersion: 'v1',
    consumed: {},
    materializedAt: now,
    rowCount: 1,
    runId: 'run',
    failure: null,
    updatedAt: now,
  });
  // Every day through 2026-03-08; 2026-03-09 left for later.
  const days: string[] = [];
  for (let day = '2026-03-01'; day <= '2026-03-08'; day = addDays(day, 1)) days.push(day);
  const state = indexStates(days.map(loaded));

  it('is overdue now, and through the newest complete day', () => {
    expect(assetStatuses(graph, state, now)[0]!.health).toBe('overdue');
    expect(assetStatuses(graph, state, now, '2026-03-09')[0]!.health).toBe('overdue');
  });

  it('is fresh through the day the run went to, its freshness still reported', () => {
    const [through] = assetStatuses(graph, state, now, '2026-03-08');
    expect(through!.health).toBe('fresh');
    expect(through!.partitions).toMatchObject({ materialized: 8, stale: 0 });
    expect(through!.freshness?.overdue).toBe(true);
  });
});
