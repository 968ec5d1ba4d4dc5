/**
 * The engine bench's synthetic graph: no-op assets in layers of 50, each reading 1–3 assets of the
 * layer before, daily over the last PARTITIONS days. Written to JSON for Dagster's side, so that
 * both engines run the same keys and edges.
 */
import { writeFileSync } from 'node:fs';
import { type Asset, AssetGraph, addDays, daily, defineAsset, partitionKeys } from '@vitrina/core';

const LAYER = 50;
export const PARTITIONS = 10;
export const TIMEZONE = 'Europe/Minsk';

/** A deterministic pseudo-random sequence, so every run benchmarks the same graph. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

export function syntheticAssets(count: number, partitioned: boolean): Asset<null>[] {
  const next = random(42);
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: TIMEZONE });
  const partitions = partitioned ? daily(addDays(today, -PARTITIONS), TIMEZONE) : null;
  const assets: Asset<null>[] = [];
  for (let i = 0; i < count; i++) {
    const layer = Math.floor(i / LAYER);
    const deps = new Set<string>();
    if (layer > 0) {
      const wanted = 1 + Math.floor(next() * 3);
      while (deps.size < wanted) deps.add(`bench.a${(layer - 1) * LAYER + Math.floor(next() * LAYER)}`);
    }
    assets.push(
      defineAsset<null>({
        key: `bench.a${i}`,
        description: 'no-op',
        group: `layer_${layer}`,
        storage: 'postgres',
        partitions,
        deps: [...deps],
        codeVersion: 'v1',
        materialize: async () => ({ rows: 0 }),
      }),
    );
  }
  return assets;
}

export function syntheticGraph(count: number, partitioned: boolean): AssetGraph<null> {
  return new AssetGraph(syntheticAssets(count, partitioned));
}

const spec = (asset: Asset<null>) => ({
  key: asset.key,
  group: asset.group,
  deps: asset.deps.map((dep) => dep.key),
});

/** The 1,000-asset daily graph with its days and the 10,000-asset graph, as Dagster's side reads them. */
export function writeGraphFile(file: string): { days: string[] } {
  const assets = syntheticAssets(1000, true);
  const partitions = assets[0]?.partitions;
  if (!partitions) throw new Error('the synthetic graph should be daily');
  const days = partitionKeys(partitions, {}, new Date());
  if (days.length !== PARTITIONS) throw new Error(`expected ${PARTITIONS} days, got ${days.length}`);
  const graph = {
    timezone: TIMEZONE,
    days,
    assets: assets.map(spec),
    assets_10k: syntheticAssets(10_000, false).map(spec),
  };
  writeFileSync(file, JSON.stringify(graph));
  return { days };
}
