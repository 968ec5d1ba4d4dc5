export type StaleReasonKind =
  | 'forced'
  | 'never_materialized'
  | 'failed'
  | 'code_changed'
  | 'upstream_planned'
  | 'upstream_changed'
  | 'freshness'
  | 'rerun'
  | 'checks_only';

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

/**
 * `materialize` writes the planned partitions (and checks what it wrote); `checks` only runs the
 * checks of the planned partitions on the data they hold, writing no materialisation.
 */
export type PlanMode = 'materialize' | 'checks';

export interface Plan {
  mode: PlanMode;
  request: PlanRequest;
  createdAt: Date;
  /** Selected assets in topological order, with how many of their partitions are considered and stale. */
  assets: Array<{ key: string; partitions: number; stale: number }>;
  steps: PlannedStep[];
}

/** What `vitrina test` runs: the checks of every materialised partition selected. */
export interface CheckPlan extends Plan {
  mode: 'checks';
  /** Selected assets with nothing to test, each with why in a sentence naming it. */
  untested: Array<{ key: string; reason: string }>;
}

export function describeReasons(reasons: readonly StaleReason[]): string {
  return reasons.map((reason) => reason.message).join('; ');
}
