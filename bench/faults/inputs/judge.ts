import type { StepRun } from './harness.ts';
import type { QuarantinedRow, Snapshot } from './snapshot.ts';
import type { CaseSpec, Outcome } from './spec.ts';

/** What one bad input did, as faults.json records it. */
export interface Judgement {
  outcome: Outcome;
  message: string;
  read: number | null;
  loaded: number | null;
  quarantined: number | null;
  reconciled: boolean;
  previous_kept: boolean;
  silent_loss: boolean;
  handled: boolean;
  /** Why the case is not handled (or what it lost), empty when it is. */
  problems: string[];
}

const COUNTS = /read (\d+) rows, loaded (\d+), quarantined (\d+)/;
/** A stack frame (`at f (file.ts:1:2)`, `at file.js:3:4`) in a message meant for a person. */
const STACK = /\n\s+at |\bat (?:\S+ \()?\/?\S+\.[cm]?[jt]s:\d+:\d+/;

const count = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/**
 * The outcome of a case from the step, the partition before and after, and the rows the run
 * quarantined:
 * - error: the step failed; its message must name what was read (`names`), hold no stack trace,
 *   and the partition must hold exactly its previous rows (unless the case says a rule fails after
 *   the load);
 * - quarantined: the step succeeded and quarantined rows beyond what the partition had in
 *   quarantine before, one of those new to the quarantine with the reason the case names;
 * - accepted: the step succeeded and quarantined nothing more.
 * A silent loss is a step that succeeded and left fewer good rows than before, beyond those it
 * quarantined, or stored U+FFFD, or whose counts do not add up (read ≠ loaded + quarantined).
 */
export function judge(
  spec: CaseSpec,
  before: Snapshot,
  after: Snapshot,
  run: StepRun,
  /** The rows this run put in quarantine that were not there before. */
  quarantinedRows: readonly QuarantinedRow[],
  verified: string | null,
): Judgement {
  const problems: string[] = [];
  const succeeded = run.status === 'success';
  let read: number | null = null;
  let loaded: number | null = null;
  let quarantined: number | null = null;
  if (succeeded && run.metadata) {
    [read, loaded, quarantined] = [run.metadata.read, run.metadata.loaded, run.metadata.quarantined].map(
      count,
    ) as [number | null, number | null, number | null];
  } else if (!succeeded) {
    const counts = COUNTS.exec(run.error ?? '');
    if (counts) [read, loaded, quarantined] = counts.slice(1).map(Number) as [number, number, number];
  }
  const reconciled =
    read === null || loaded === null || quarantined === null || read === loaded + quarantined;
  if (!reconciled) problems.push(`read ${read} ≠ loaded ${loaded} + quarantined ${quarantined}`);
  const sameRows = after.rows === before.rows && after.checksum === before.checksum;

  if (!succeeded) {
    const message = run.error ?? `the step ended ${run.status}`;
    const keeps = spec.keepsPrevious ?? true;
    if (spec.expected !== 'error') problems.push(`expected ${spec.expected}, the step failed`);
    if (spec.names && !spec.names.test(message)) problems.push(`the message does not match ${spec.names}`);
    if (spec.secret && message.includes(spec.secret)) problems.push('the message shows the secret');
    if (STACK.test(message)) problems.push('the message holds a stack trace');
    if (keeps && !sameRows)
      problems.push(
        `the partition changed: ${before.rows} rows before, ${after.rows} after (or other values)`,
      );
    return {
      outcome: 'error',
      message,
      read,
      loaded,
      quarantined,
      reconciled,
      previous_kept: sameRows,
      silent_loss: false,
      handled: problems.length === 0,
      problems,
    };
  }

  const newlyQuarantined = Math.max(0, after.quarantined - before.quarantined);
  const unexplained = before.rows - after.rows - newlyQuarantined;
  const silentLoss = unexplained > 0 || after.replaced > before.replaced || !reconciled;
  if (unexplained > 0)
    problems.push(
      `silent loss: ${before.rows} rows before, ${after.rows} after, ${newlyQuarantined} more quarantined`,
    );
  if (after.replaced > before.replaced) problems.push(`silent loss: ${after.replaced} rows hold U+FFFD`);
  const outcome: Outcome = newlyQuarantined > 0 ? 'quarantined' : 'accepted';
  if (outcome !== spec.expected) problems.push(`expected ${spec.expected}, got ${outcome}`);
  let message: string;
  if (outcome === 'quarantined') {
    const named = spec.reason
      ? quarantinedRows.filter((row) => spec.reason!.test(row.reason))
      : quarantinedRows;
    if (named.length === 0)
      problems.push(`no quarantined row of this run has a reason matching ${spec.reason}`);
    if (read === null) problems.push('the materialisation records no read/loaded/quarantined');
    const shown = named[0] ?? quarantinedRows[0];
    message = `${newlyQuarantined} more row${newlyQuarantined === 1 ? '' : 's'} quarantined${shown ? `, e.g. ${shown.reason}` : ''}`;
  } else {
    message = spec.why ?? `loaded as valid: ${after.rows} rows, ${before.rows} before`;
    if (spec.sameRows && !sameRows)
      problems.push(
        `expected the same rows as before: ${before.rows} before, ${after.rows} after, or other values`,
      );
  }
  if (verified) problems.push(verified);
  return {
    outcome,
    message,
    read,
    loaded,
    quarantined,
    reconciled,
    previous_kept: unexplained <= 0,
    silent_loss: silentLoss,
    handled: problems.length === 0,
    problems,
  };
}
