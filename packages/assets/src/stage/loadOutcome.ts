import type { MaterializeResult, Metadata } from '@vitrina/core';
import type { LoadResult } from '@vitrina/io';

/** The counts every stage load records (read = loaded + quarantined), then `extra`. */
export function loadMetadata(result: LoadResult, extra: Metadata = {}): Metadata {
  return { read: result.read, loaded: result.loaded, quarantined: result.quarantined, ...extra };
}

/**
 * A step's result from its load: the rows and data version of its own partition — `day`, or ''
 * (the whole table) for a load without partitions — the other days the load rewrote, and the counts.
 */
export function loadOutcome(result: LoadResult, extra: Metadata = {}, day = ''): MaterializeResult {
  const own = result.partitions.find((p) => p.partition === day);
  return {
    rows: own?.rows ?? result.loaded,
    ...(own ? { dataVersion: own.dataVersion } : {}),
    rewrote: day ? result.partitions.filter((p) => p.partition !== day) : [],
    metadata: loadMetadata(result, extra),
  };
}
