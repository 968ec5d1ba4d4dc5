export type StaleReasonKind =
  | 'forced'
  | 'never_materialized'
  | 'failed'
  | 'code_changed'
  | 'upstream_planned'
  | 'upstream_changed'
  | 'freshness'
  | 'rerun';

export interface StaleReason {
  kind: StaleReasonKind;
  message: string;
}

export interface PlannedStep {
  assetKey: string;
  partition: string;
  reasons: StaleReason[];
}

export interface PlanRequest {
  selection: string;
  /** Inclusive day range for daily assets; defaults to every day from the asset's start to the latest complete one. */
  from?: string | undefined;
  to?: string | undefined;
  force?: boolean | undefined;
}

export interface Plan {
  request: PlanRequest;
  createdAt: Date;
  /** Selected assets in topological order, with how many of their partitions are considered and stale. */
  assets: Array<{ key: string; partitions: number; stale: number }>;
  steps: PlannedStep[];
}

export function describeReasons(reasons: readonly StaleReason[]): string {
  return reasons.map((reason) => reason.message).join('; ');
}
