import type { Asset, Metadata } from '../definitions/types.ts';
import { stepId } from '../planner/planner.ts';
import type { AssetPartitionState, ConsumedVersions, Materialization, Step } from '../storage/records.ts';
import type { RunStorage } from '../storage/runStorage.ts';

/** `key[partition]`, or the key alone for an unpartitioned asset. */
export function partitionLabel(assetKey: string, partition: string): string {
  return `${assetKey}${partition ? `[${partition}]` : ''}`;
}

export function queuedStep(runId: string, assetKey: string, partition: string, reason: string): Step {
  return {
    runId,
    assetKey,
    partition,
    status: 'queued',
    reason,
    attempts: 0,
    startedAt: null,
    finishedAt: null,
    rowCount: null,
    error: null,
  };
}

/** One partition written (or not) by one step. */
export interface Written {
  runId: string;
  asset: Pick<Asset<unknown>, 'key' | 'codeVersion'>;
  partition: string;
  startedAt: Date;
  finishedAt: Date;
  consumed: ConsumedVersions;
}

export type WriteOutcome =
  | {
      status: 'success';
      rows: number | null;
      dataVersion: string;
      metadata: Metadata;
      /** Why an `error` check failed the data written, or null. */
      failure: string | null;
    }
  | { status: 'failed'; error: string; previous: AssetPartitionState | undefined };

/** The materialisation to append to the history and the partition's new latest state. */
export function materializationRecords(
  written: Written,
  outcome: WriteOutcome,
): { materialization: Materialization; state: AssetPartitionState } {
  const { runId, asset, partition, startedAt, finishedAt, consumed } = written;
  const materialization = {
    runId,
    assetKey: asset.key,
    partition,
    startedAt,
    finishedAt,
    codeVersion: asset.codeVersion,
    consumed,
  };
  if (outcome.status === 'failed') {
    const { previous, error } = outcome;
    return {
      materialization: {
        ...materialization,
        status: 'failed',
        rowCount: null,
        dataVersion: null,
        metadata: {},
        error,
      },
      // The data of the last success is still in place: the state keeps describing it.
      state: {
        assetKey: asset.key,
        partition,
        status: 'failed',
        dataVersion: previous?.dataVersion ?? null,
        codeVersion: previous?.codeVersion ?? null,
        consumed: previous?.consumed ?? {},
        materializedAt: previous?.materializedAt ?? null,
        rowCount: previous?.rowCount ?? null,
        runId,
        failure: error,
        updatedAt: finishedAt,
      },
    };
  }
  const { rows, dataVersion, metadata, failure } = outcome;
  return {
    materialization: {
      ...materialization,
      status: 'success',
      rowCount: rows,
      dataVersion,
      metadata,
      error: null,
    },
    state: {
      assetKey: asset.key,
      partition,
      status: failure ? 'failed' : 'materialized',
      dataVersion,
      codeVersion: asset.codeVersion,
      consumed,
      materializedAt: startedAt,
      rowCount: rows,
      runId,
      failure,
      updatedAt: finishedAt,
    },
  };
}

/** The latest state of each partition the run reads or writes: stored before it, then as it goes. */
export class LatestStates {
  private readonly byId = new Map<string, AssetPartitionState>();

  static async load(storage: RunStorage, assetKeys: string[]): Promise<LatestStates> {
    const latest = new LatestStates();
    for (const state of await storage.assetPartitions(assetKeys)) latest.set(state);
    return latest;
  }

  get(assetKey: string, partition: string): AssetPartitionState | undefined {
    return this.byId.get(stepId(assetKey, partition));
  }

  set(state: AssetPartitionState): void {
    this.byId.set(stepId(state.assetKey, state.partition), state);
  }

  /** The data versions a step reading these upstream partitions stands on. */
  consumedBy(upstreams: ReadonlyArray<{ key: string; partitions: string[] }>): ConsumedVersions {
    const consumed: ConsumedVersions = {};
    for (const upstream of upstreams) {
      const versions: Record<string, string> = {};
      for (const partition of upstream.partitions) {
        const version = this.get(upstream.key, partition)?.dataVersion;
        if (version) versions[partition] = version;
      }
      consumed[upstream.key] = versions;
    }
    return consumed;
  }
}

export function countByStatus(steps: readonly Step[]): Record<Step['status'], number> {
  const counts = { queued: 0, running: 0, success: 0, failed: 0, blocked: 0, cancelled: 0 };
  for (const step of steps) counts[step.status]++;
  return counts;
}
