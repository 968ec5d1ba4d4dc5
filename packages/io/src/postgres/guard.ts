/**
 * What a load may do to the rows it replaces. Without it, a delivery that is empty or mostly bad
 * would replace good rows with few or none, and nothing would say so.
 */
export interface LoadGuard {
  /** A load may leave a partition (or the table) that holds rows empty. Default false. */
  allowEmpty?: boolean;
  /** The share of read rows that may be quarantined (0–1). Default 0.2. */
  maxQuarantinedShare?: number;
  /**
   * The share of a partition's rows a load may drop when it replaces them (0–1). Default 0.2: a
   * truncated file must not replace a full day. `allowEmpty` permits any shrinking.
   */
  maxShrinkShare?: number;
  /** How to override, for the message; default: "set guard.allowEmpty / guard.maxQuarantinedShare for this asset". */
  override?: string;
}

export const DEFAULT_MAX_QUARANTINED_SHARE = 0.2;
export const DEFAULT_MAX_SHRINK_SHARE = 0.2;

/**
 * A load refused before it committed, because it would have lost data silently: the rows the
 * target held stay as they were. Not transient: the same delivery fails the same way until a person
 * decides.
 */
export class SilentLossError extends Error {
  override name = 'SilentLossError';
  constructor(
    message: string,
    readonly table: string,
    /** The partition (a day, `from to to` for a range, '' for a whole table). */
    readonly partition: string,
    readonly read: number,
    readonly loaded: number,
    readonly quarantined: number,
    /** The rows the partition held before the load, which are kept. */
    readonly previousRows: number,
  ) {
    super(message);
  }
}

export interface GuardInput {
  table: string;
  /** The partition or range label: '' for a whole table. */
  partition: string;
  read: number;
  loaded: number;
  quarantined: number;
  /** Rows held before, per partition ('' for a whole table); undefined for an upsert, which replaces none. */
  previous?: ReadonlyMap<string, number>;
  /** Rows held after, per partition, in the same keys. */
  after?: ReadonlyMap<string, number>;
}

/** A share as a percentage, with a decimal where whole numbers would not show it above the limit. */
const percent = (share: number, limit: number) => {
  const rounded = Math.round(share * 100);
  return rounded <= limit * 100 ? String(Math.round(share * 1000) / 10) : String(rounded);
};
const limitPercent = (limit: number) => String(Math.round(limit * 1000) / 10);

/** Throws `SilentLossError` when the load, about to commit, breaks the guard. */
export function checkGuard(guard: LoadGuard, input: GuardInput): void {
  const allowEmpty = guard.allowEmpty ?? false;
  const limit = guard.maxQuarantinedShare ?? DEFAULT_MAX_QUARANTINED_SHARE;
  const { table, read, loaded, quarantined } = input;
  const previousTotal = [...(input.previous?.values() ?? [])].reduce((sum, rows) => sum + rows, 0);
  const kept = (rows: number) =>
    rows > 0 ? `the previous ${rows} rows are kept` : 'nothing was replaced (it held no rows)';
  const how = (setting: string) =>
    `If this delivery is right, ${guard.override ?? `set guard.${setting} for this asset`} and re-run.`;
  const where = (partition: string) => (partition ? `${table} ${partition}` : table);
  const counts = `read ${read} rows, loaded ${loaded}, quarantined ${quarantined}`;
  if (read > 0 && quarantined / read > limit) {
    throw new SilentLossError(
      `${where(input.partition)}: ${counts} (${percent(quarantined / read, limit)} % > ${limitPercent(limit)} %); ${kept(previousTotal)}. ${how('maxQuarantinedShare')}`,
      table,
      input.partition,
      read,
      loaded,
      quarantined,
      previousTotal,
    );
  }
  if (allowEmpty || !input.previous) return;
  const shrink = guard.maxShrinkShare ?? DEFAULT_MAX_SHRINK_SHARE;
  for (const [partition, before] of input.previous) {
    const after = input.after?.get(partition) ?? 0;
    const of = partition !== input.partition && input.partition ? ` (loading ${input.partition})` : '';
    const what = partition ? partition : 'the table';
    if (before > 0 && after > 0 && (before - after) / before > shrink) {
      throw new SilentLossError(
        `${where(partition)}${of}: ${counts}, which would replace ${before} rows with ${after} (${percent((before - after) / before, shrink)} % fewer > ${limitPercent(shrink)} %): a cut or partial delivery? ${kept(before)}. ${how('allowEmpty')}`,
        table,
        partition,
        read,
        loaded,
        quarantined,
        before,
      );
    }
    if (before === 0 || after > 0) continue;
    throw new SilentLossError(
      `${where(partition)}${of}: ${counts}, which would leave ${what} empty where it holds ${before} rows; ${kept(before)}. ${how('allowEmpty')}`,
      table,
      partition,
      read,
      loaded,
      quarantined,
      before,
    );
  }
}
