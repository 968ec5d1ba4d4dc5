/**
 * Part (b) of `pnpm bench faults`: a corpus of bad inputs fed through the real stage assets —
 * broken and mis-encoded files, oversized values, NUL bytes, empty deliveries, API errors, garbage
 * and silence, unreachable and misconfigured sources — each outcome recorded (a clear error,
 * quarantined rows, or accepted as valid) with read = loaded + quarantined checked.
 *
 * It runs on sample systems of its own (the sample company seeded for four days at scale 1, every
 * stage asset loaded from good data), so part (a)'s are left as they are. Each case breaks one
 * input of the last day, materialises the asset with force, judges what happened
 * (`inputs/judge.ts`), puts the good input back and materialises again. Cases that wait for
 * timeouts run in lanes of their own beside the rest.
 *
 *   BENCH_FAULTS_INPUTS: a pattern; only the cases whose name matches run (to look into one).
 */
import { appendFileSync } from 'node:fs';
import type { SampleSystems } from '../../packages/assets/src/testing/index.ts';
import { allCases } from './inputs/cases.ts';
import { openHarness } from './inputs/harness.ts';
import type { Judgement } from './inputs/judge.ts';
import { type CaseResult, runCase } from './inputs/runCase.ts';
import type { CaseSpec, Lane, Outcome } from './inputs/spec.ts';

/** One case as faults.json records it: which input, and what it did (`Judgement`). */
export interface InputCase extends Judgement {
  case: string;
  source: string;
  asset: string;
  expected: Outcome;
  attempts: number;
  seconds: number;
  restored: boolean;
}

export interface InputResult {
  bad_inputs: number;
  bad_inputs_handled: number;
  silent_losses: number;
  cases: InputCase[];
}

const DAYS = 4;

export async function badInputs(options: {
  systems: SampleSystems;
  start: string;
  log: string;
}): Promise<InputResult> {
  const began = performance.now();
  console.log(`  seeding systems of their own (${DAYS} days at scale 1) and loading the stage layer…`);
  const h = await openHarness({ start: options.start, days: DAYS });
  try {
    const only = process.env.BENCH_FAULTS_INPUTS ? new RegExp(process.env.BENCH_FAULTS_INPUTS, 'i') : null;
    const specs = allCases(h.day).filter((spec) => !only || only.test(spec.name));
    console.log(
      `  ${specs.length} bad inputs on ${h.day}, ready in ${((performance.now() - began) / 1000).toFixed(1)} s`,
    );
    const lanes = new Map<Lane, CaseSpec[]>();
    for (const spec of specs)
      lanes.set(spec.lane ?? 'main', [...(lanes.get(spec.lane ?? 'main') ?? []), spec]);
    const results = new Map<CaseSpec, InputCase>();
    await Promise.all(
      [...lanes.values()].map(async (lane) => {
        for (const spec of lane) {
          const result = toCase(spec, await runCase(h, spec));
          results.set(spec, result);
          console.log(`  case ${results.size}/${specs.length} ${spec.name}: ${summary(result)}`);
          appendFileSync(
            options.log,
            `\n[bad input] ${spec.name} (${spec.source}): ${JSON.stringify(result)}\n`,
          );
        }
      }),
    );
    const cases = specs.map((spec) => results.get(spec)!);
    console.log(`  bad inputs: ${((performance.now() - began) / 1000).toFixed(1)} s`);
    return {
      bad_inputs: cases.length,
      bad_inputs_handled: cases.filter((c) => c.handled).length,
      silent_losses: cases.filter((c) => c.silent_loss).length,
      cases,
    };
  } finally {
    await h.close();
  }
}

function toCase(spec: CaseSpec, result: CaseResult): InputCase {
  return {
    case: spec.name,
    source: spec.source,
    outcome: result.outcome,
    message: result.message.length > 600 ? `${result.message.slice(0, 600)}…` : result.message,
    read: result.read,
    loaded: result.loaded,
    quarantined: result.quarantined,
    reconciled: result.reconciled,
    previous_kept: result.previous_kept,
    silent_loss: result.silent_loss,
    asset: spec.asset,
    expected: spec.expected,
    handled: result.handled,
    problems: result.problems,
    attempts: result.attempts,
    seconds: Math.round(result.seconds * 10) / 10,
    restored: result.restored,
  };
}

/** One line per case: the outcome, the check of the counts, and what is wrong if anything. */
function summary(c: InputCase): string {
  const counts =
    c.read === null
      ? ''
      : `; read ${c.read} = loaded ${c.loaded} + quarantined ${c.quarantined} ${c.reconciled ? '✓' : '✗'}`;
  const message = c.message.length > 160 ? `${c.message.slice(0, 160)}…` : c.message;
  const kept = c.previous_kept ? 'previous rows kept ✓' : 'previous rows changed';
  const what =
    c.outcome === 'error'
      ? `error (${kept}): ${message}`
      : c.outcome === 'quarantined'
        ? `quarantined: ${message}${counts}`
        : `accepted${counts}: ${message}`;
  const verdict = c.handled
    ? ''
    : ` ✗ NOT HANDLED${c.silent_loss ? ', SILENT LOSS' : ''}: ${c.problems.join('; ')}`;
  return `${what}${verdict}${c.restored ? '' : ' (the good input did not load back as before)'}`;
}
