import {
  DEFAULT_MAX_QUARANTINED_SHARE,
  DEFAULT_MAX_SHRINK_SHARE,
  type LoadGuard,
  type LoadResult,
  SilentLossError,
} from '@vitrina/io';
import type { WarehouseConfig } from '../config.ts';

/**
 * What a source is expected to deliver per load, so that a broken delivery — an empty file, a
 * header without lines, an API answering nothing, a file in the wrong format whose every line is
 * quarantined — fails the step before it replaces good data, instead of loading nothing quietly.
 */
export interface DeliveryExpectation {
  /**
   * A load may bring no rows: true where that is normal (rows changed since the watermark — a day
   * without CRM changes), false where every load has rows (a day's payments, a day's file, a
   * reference table loaded in full, the day's NBRB rates).
   */
  allowEmpty: boolean;
  /** The share of read rows that may be quarantined; 20 % unless the asset or the settings say otherwise. */
  maxQuarantinedShare?: number;
}

/** What `loadValidated` is told, with how to accept the delivery for its message. */
export type Guard = Required<LoadGuard>;

/** Where a load stands: the asset, the step's partition and what it reads (a file, a source table). */
export interface DeliveryScope {
  config: WarehouseConfig;
  asset: string;
  /** The step's partition, as VITRINA_ACCEPT_PARTIAL_DELIVERY names it. */
  partition: string;
  /**
   * The partition of the load's result that must hold rows afterwards: the day loaded, a file set's
   * file name, '' for a whole table. Also accepted by name in VITRINA_ACCEPT_PARTIAL_DELIVERY.
   */
  target: string;
  /** What was read, for the message: `partner_sales/partner_sales_2026-10-01.csv`, `core.transactions`. */
  source: string;
  log: (message: string, level?: 'info' | 'warn') => void;
}

const ACCEPT = 'VITRINA_ACCEPT_PARTIAL_DELIVERY';

/** The delivery was accepted as it is by VITRINA_ACCEPT_PARTIAL_DELIVERY. */
function accepted(scope: DeliveryScope): boolean {
  return scope.config.VITRINA_ACCEPT_PARTIAL_DELIVERY.some(
    (entry) =>
      entry.asset === scope.asset &&
      (entry.partition === '*' || entry.partition === scope.partition || entry.partition === scope.target),
  );
}

/** The setting that accepts this delivery, keeping what it accepts already. */
function accepting(scope: DeliveryScope): string {
  const entries = scope.config.VITRINA_ACCEPT_PARTIAL_DELIVERY.map((e) => `${e.asset}:${e.partition}`);
  return `${ACCEPT}="${[...entries, `${scope.asset}:${scope.partition}`].join(',')}"`;
}

/** The guard of the asset's own expectation, with the share the settings give it. */
function ownGuard(scope: DeliveryScope, expectation: DeliveryExpectation): Guard {
  const shares = scope.config.VITRINA_MAX_QUARANTINED_SHARE;
  return {
    allowEmpty: expectation.allowEmpty,
    maxQuarantinedShare:
      shares.get(scope.asset) ??
      shares.get('*') ??
      expectation.maxQuarantinedShare ??
      DEFAULT_MAX_QUARANTINED_SHARE,
    maxShrinkShare: DEFAULT_MAX_SHRINK_SHARE,
    override: `accept it with ${accepting(scope)}`,
  };
}

const percent = (share: number) => `${Math.round(share * 1000) / 10} %`;

/** Why the guard refuses this load, or null. */
function refusal(guard: Guard, result: LoadResult, target: string): string | null {
  const counts = `read ${result.read} rows, loaded ${result.loaded}, quarantined ${result.quarantined}`;
  if (result.read > 0 && result.quarantined / result.read > guard.maxQuarantinedShare)
    return `${counts} (${percent(result.quarantined / result.read)} > ${percent(guard.maxQuarantinedShare)})`;
  const rows = result.partitions.find((p) => p.partition === target)?.rows ?? result.loaded;
  if (!guard.allowEmpty && rows === 0) return `${counts}, which leaves ${target || 'the table'} empty`;
  return null;
}

/**
 * Runs a load with its guard. A refused delivery fails the step saying where it came from, what
 * was read, loaded and quarantined, that the data loaded before is kept, and exactly how to accept
 * it if it is right; an accepted one the guard would have refused is loaded with a warning.
 */
export async function guardedLoad(
  scope: DeliveryScope,
  expectation: DeliveryExpectation,
  load: (guard: Guard) => Promise<LoadResult>,
): Promise<LoadResult> {
  const own = ownGuard(scope, expectation);
  const open = accepted(scope);
  let result: LoadResult;
  try {
    result = await load(open ? { ...own, allowEmpty: true, maxQuarantinedShare: 1 } : own);
  } catch (error) {
    throw error instanceof SilentLossError
      ? new Error(`${scope.source}: ${error.message}`, { cause: error })
      : error;
  }
  const refused = refusal(own, result, scope.target);
  if (refused === null) return result;
  if (open) {
    scope.log(`${scope.source}: ${refused}; loaded as ${ACCEPT} accepts it`, 'warn');
    return result;
  }
  // The io guard refuses, before the swap, a load that would empty a partition holding rows; a
  // first delivery that is empty lost nothing, yet must fail the step all the same, so that what
  // reads the day waits for it.
  throw new Error(
    `${scope.source}: ${scope.asset} ${scope.target || scope.partition}: ${refused}; nothing was replaced (it held no rows). ` +
      `If this delivery is right, ${own.override} and re-run.`,
  );
}
