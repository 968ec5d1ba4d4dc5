import { UserError } from '../errors.ts';
import type { AssetGraph } from '../graph/assetGraph.ts';
import type { Run } from '../storage/records.ts';
import type { RunStorage } from '../storage/runStorage.ts';
import type { Plan } from './plan.ts';

/**
 * A plan of the steps of a finished run that did not succeed (failed, blocked or cancelled); a
 * check-only run is re-run as one, so re-running it never materialises anything.
 */
export async function planRerun<R>(
  graph: AssetGraph<R>,
  storage: RunStorage,
  runId: string,
  now = new Date(),
): Promise<{ parent: Run; plan: Plan }> {
  const parent = await storage.getRun(runId);
  if (!parent) throw new UserError(`no run "${runId}" (give its id or a unique prefix)`);
  if (parent.status === 'running') throw new UserError(`run ${parent.id} is still running`);
  const steps = (await storage.listSteps(parent.id)).filter((step) => step.status !== 'success');
  const unknown = steps.find((step) => !graph.has(step.assetKey));
  if (unknown)
    throw new UserError(`run ${parent.id} has asset "${unknown.assetKey}", which is no longer defined`);
  const order = new Map(graph.order.map((key, index) => [key, index]));
  steps.sort(
    (a, b) => order.get(a.assetKey)! - order.get(b.assetKey)! || a.partition.localeCompare(b.partition),
  );
  return {
    parent,
    plan: {
      mode: parent.trigger === 'checks' ? 'checks' : 'materialize',
      request: {
        selection: parent.selection,
        from: parent.partitionFrom ?? undefined,
        to: parent.partitionTo ?? undefined,
        force: parent.force,
      },
      createdAt: now,
      assets: [],
      steps: steps.map((step) => ({
        assetKey: step.assetKey,
        partition: step.partition,
        reasons: [{ kind: 'rerun', message: `${step.status} in run ${parent.id.slice(0, 8)}` }],
      })),
    },
  };
}
