import { UserError } from '@vitrina/core';
import type { Workspace } from '../../workspace.ts';
import { colour, duration, status, stepLabel, table, timestamp } from '../format.ts';

export async function runsCommand(workspace: Workspace, options: { limit: number }): Promise<void> {
  const runs = await workspace.storage.listRuns({ limit: options.limit });
  if (runs.length === 0) {
    console.log('No runs yet. Start one with: vitrina materialize <selection>');
    return;
  }
  const rows = runs.map((run) => [
    run.id.slice(0, 8),
    status(run.status),
    timestamp(run.createdAt),
    run.finishedAt ? duration(run.finishedAt.getTime() - run.createdAt.getTime()) : '…',
    String(run.stepCount),
    run.trigger,
    run.selection,
  ]);
  console.log(table(['RUN', 'STATUS', 'STARTED (UTC)', 'TOOK', 'STEPS', 'TRIGGER', 'SELECTION'], rows));
}

export async function runCommand(workspace: Workspace, id: string): Promise<void> {
  const run = await workspace.storage.getRun(id);
  if (!run) throw new UserError(`no run "${id}" (give its id or a unique prefix; see vitrina runs)`);
  console.log(colour.bold(`run ${run.id}`), status(run.status));
  console.log(
    `selection ${run.selection}${run.partitionFrom ? ` · ${run.partitionFrom}…${run.partitionTo}` : ''}${run.force ? ' · forced' : ''} · trigger ${run.trigger}${run.parentRunId ? ` of ${run.parentRunId.slice(0, 8)}` : ''}`,
  );
  const steps = await workspace.storage.listSteps(run.id);
  console.log(
    `\n${table(
      ['STEP', 'STATUS', 'TOOK', 'ROWS', 'ATTEMPTS', 'WHY PLANNED'],
      steps.map((step) => [
        stepLabel(step.assetKey, step.partition),
        status(step.status),
        step.startedAt && step.finishedAt
          ? duration(step.finishedAt.getTime() - step.startedAt.getTime())
          : '',
        step.rowCount === null ? '' : String(step.rowCount),
        String(step.attempts),
        step.reason,
      ]),
    )}`,
  );
  const events = await workspace.storage.listEvents(run.id);
  console.log(colour.bold('\nevents'));
  for (const event of events) {
    const where = event.assetKey ? stepLabel(event.assetKey, event.partition) : '';
    console.log(
      `${colour.dim(event.at.toISOString().slice(11, 23))}  ${event.type.padEnd(14)}  ${where}${event.message ? `  ${colour.dim(event.message)}` : ''}`,
    );
  }
}
