import { type Asset, type AssetSpec, daily, defineAsset } from '../src/index.ts';

/** A materialisable asset with defaults, for tests that only care about shape. */
export function asset(key: string, spec: Partial<AssetSpec<unknown>> = {}): Asset<unknown> {
  return defineAsset<unknown>({
    key,
    description: `test asset ${key}`,
    group: key.split('.')[0]!,
    storage: 'postgres',
    materialize: async () => ({ rows: 0 }),
    ...spec,
  });
}

export const days = daily('2026-01-01', 'Europe/Minsk');
