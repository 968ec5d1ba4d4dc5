import type { CursorStore } from '@vitrina/core';

export interface IncrementalExtraction<R> {
  storage: CursorStore;
  /** Names the cursor in run storage, e.g. `crm.b_crm_deal`. */
  source: string;
  /** The cursor column, e.g. `DATE_MODIFY` or `transaction_id`. */
  cursor: string;
  runId: string;
  /** Where to start without a watermark (the first load). */
  initial: string;
  /** Moves the watermark back to re-read late-arriving rows, e.g. two days earlier. */
  lookback: (watermark: string) => string;
  /** Compares two cursor values (defaults to string order, right for ISO timestamps). */
  compare?: (a: string, b: string) => number;
  /**
   * Reads the source from `from` (inclusive) and loads it atomically; resolves to what it loaded
   * and the highest cursor value it saw (null when nothing arrived).
   */
  extract: (from: string) => Promise<{ result: R; maxCursor: string | null }>;
}

/**
 * Runs one incremental extraction: reads from the stored watermark minus the lookback, and advances
 * the watermark only after the load committed — a failed load is re-read next time, never skipped.
 */
export async function extractIncrementally<R>(
  options: IncrementalExtraction<R>,
): Promise<{ result: R; from: string; watermark: string | null }> {
  const compare = options.compare ?? ((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0));
  const stored = await options.storage.getCursor(options.source, options.cursor);
  const from = stored ? options.lookback(stored.value) : options.initial;
  const { result, maxCursor } = await options.extract(from);
  let watermark = stored?.value ?? null;
  if (maxCursor !== null && (watermark === null || compare(maxCursor, watermark) > 0)) watermark = maxCursor;
  if (watermark !== null && watermark !== stored?.value) {
    await options.storage.setCursor({
      source: options.source,
      name: options.cursor,
      value: watermark,
      runId: options.runId,
    });
  }
  return { result, from, watermark };
}
