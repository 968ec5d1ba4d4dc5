import { ApiError, type MaterializeRequest } from '../api/client.ts';
import { useMaterialize, useRunAction } from '../api/hooks.ts';
import { plural, shortId } from '../lib/format.ts';
import { Spinner } from './common.tsx';
import { useNotify } from './toasts.tsx';

function errorText(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) {
    return 'The server needs an API token for this: set it under Settings (the key icon, top right).';
  }
  return error instanceof Error ? error.message : String(error);
}

/** Materialise (or run checks) with feedback: a toast linking to the run, or saying there was nothing to do. */
export function useMaterializeAction() {
  const notify = useNotify();
  const mutation = useMaterialize((launched, request) => {
    const kind = request.checksOnly ? 'Check-only run' : 'Run';
    if (launched.runId) {
      notify({
        kind: 'info',
        text: `${kind} ${shortId(launched.runId)} started: ${plural(launched.steps, 'step')}`,
        run: { id: launched.runId, label: kind, steps: launched.steps },
      });
    } else if (request.checksOnly) {
      // The server says why: no checks, or nothing materialised yet.
      notify({ kind: 'info', text: launched.message });
    } else {
      notify({ kind: 'success', text: 'Nothing is stale: everything selected is up to date.' });
    }
  });
  return {
    run: (request: MaterializeRequest) =>
      mutation.mutate(request, {
        onError: (error) => notify({ kind: 'error', text: `Could not start the run: ${errorText(error)}` }),
      }),
    pending: mutation.isPending,
  };
}

export function MaterializeButton({
  request,
  label = 'Materialise',
  primary = true,
  disabled = false,
  title,
}: {
  request: MaterializeRequest;
  label?: string;
  primary?: boolean;
  disabled?: boolean;
  title?: string;
}) {
  const action = useMaterializeAction();
  return (
    <button
      type="button"
      className={primary ? 'button primary' : 'button'}
      disabled={disabled || action.pending}
      onClick={() => action.run(request)}
      title={title}
      data-action={request.checksOnly ? 'run-checks' : 'materialize'}
    >
      {action.pending ? (
        <Spinner label="Starting" />
      ) : (
        <span aria-hidden="true">{request.checksOnly ? '✓' : '▶'}</span>
      )}{' '}
      {label}
    </button>
  );
}

export function RunActionButton({ kind, runId }: { kind: 'cancel' | 'rerun'; runId: string }) {
  const notify = useNotify();
  const mutation = useRunAction(kind, (launched) => {
    if (kind === 'cancel') notify({ kind: 'info', text: `Cancelling run ${shortId(runId)}…` });
    else if (launched?.runId) {
      notify({
        kind: 'info',
        text: `Re-run ${shortId(launched.runId)} started: ${plural(launched.steps, 'step')}`,
        run: { id: launched.runId, label: 'Re-run', steps: launched.steps },
      });
    } else notify({ kind: 'success', text: 'Nothing to re-run: every step succeeded.' });
  });
  return (
    <button
      type="button"
      className={kind === 'cancel' ? 'button danger' : 'button primary'}
      disabled={mutation.isPending}
      onClick={() =>
        mutation.mutate(runId, {
          onError: (error) => notify({ kind: 'error', text: errorText(error) }),
        })
      }
      data-action={kind}
    >
      {mutation.isPending ? <Spinner /> : <span aria-hidden="true">{kind === 'cancel' ? '■' : '↻'}</span>}{' '}
      {kind === 'cancel' ? 'Cancel run' : 'Re-run from failure'}
    </button>
  );
}
