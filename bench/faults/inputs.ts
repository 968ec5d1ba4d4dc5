import type { SampleSystems } from '../../packages/assets/src/testing/index.ts';

export interface InputCase {
  case: string;
  source: string;
  outcome: 'error' | 'quarantined' | 'accepted';
  message: string;
  read: number | null;
  loaded: number | null;
  quarantined: number | null;
  reconciled: boolean;
  previous_kept: boolean;
  silent_loss: boolean;
}

export interface InputResult {
  bad_inputs: number;
  bad_inputs_handled: number;
  silent_losses: number;
  cases: InputCase[];
}

/** Part (b) of `pnpm bench faults`: the corpus of bad inputs. */
export async function badInputs(_options: { systems: SampleSystems; start: string; log: string }): Promise<InputResult> {
  return { bad_inputs: 0, bad_inputs_handled: 0, silent_losses: 0, cases: [] };
}
