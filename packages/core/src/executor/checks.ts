import type { Asset, MaterializeResult, Metadata, StepContext } from '../definitions/types.ts';
import { errorMessage } from '../errors.ts';
import type { Step } from '../storage/records.ts';
import type { RunLog } from './runLog.ts';

/**
 * Runs the asset's checks on what a step materialised and records each result; a check that throws
 * counts as failed. Returns why the first failed `error` check failed, or null.
 */
export async function runChecks(
  asset: Asset<unknown>,
  step: Step,
  materialization: MaterializeResult,
  context: () => StepContext<unknown>,
  log: RunLog,
): Promise<string | null> {
  let failure: string | null = null;
  for (const check of asset.checks) {
    let passed: boolean;
    let message: string | null;
    let metadata: Metadata = {};
    try {
      const result = await check.run({ ...context(), materialization });
      passed = result.passed;
      message = result.message ?? null;
      metadata = result.metadata ?? {};
    } catch (error) {
      passed = false;
      message = `the check raised: ${errorMessage(error)}`;
    }
    log.write({
      checkResults: [
        {
          runId: log.runId,
          assetKey: asset.key,
          partition: step.partition,
          checkName: check.name,
          severity: check.severity,
          passed,
          message,
          metadata,
          at: log.now(),
        },
      ],
    });
    log.emit(
      'check_result',
      step,
      `${check.name} ${passed ? 'passed' : 'failed'}${message ? `: ${message}` : ''}`,
      {
        check: check.name,
        severity: check.severity,
        passed,
        metadata,
      },
    );
    if (!passed && check.severity === 'error' && failure === null) {
      failure = `check ${check.name} failed${message ? `: ${message}` : ''}`;
    }
  }
  return failure;
}
