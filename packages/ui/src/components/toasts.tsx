import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useLive } from '../api/hooks.ts';
import { to } from '../lib/routes.ts';
import { type FollowedRun, runToastText } from '../lib/runToast.ts';
import { Link } from '../router.tsx';

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
  link?: { href: string; label: string } | undefined;
  /** A run's toast follows it: progress while it runs, then how it ended (and only then goes away). */
  run?: FollowedRun | undefined;
}

type Notify = (toast: Omit<Toast, 'id'>) => void;

const ToastContext = createContext<Notify>(() => {});

export const useNotify = (): Notify => useContext(ToastContext);

let nextId = 1;

/** Short messages at the corner of the screen (runs and how they end, nothing stale, errors). */
export function Toasts({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((toast) => toast.id !== id)), []);
  const notify = useCallback<Notify>(
    (toast) => {
      const id = nextId++;
      setToasts((all) => [...all.slice(-3), { ...toast, id }]);
      // A run's toast goes once its run has ended (see RunToast); the others after a while.
      if (!toast.run) setTimeout(() => dismiss(id), toast.kind === 'error' ? 12_000 : 10_000);
    },
    [dismiss],
  );
  const value = useMemo(() => notify, [notify]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((toast) =>
          toast.run ? (
            <RunToast key={toast.id} toast={toast} run={toast.run} dismiss={dismiss} />
          ) : (
            <ToastView key={toast.id} toast={toast} dismiss={dismiss} />
          ),
        )}
      </div>
    </ToastContext.Provider>
  );
}

function RunToast({
  toast,
  run,
  dismiss,
}: {
  toast: Toast;
  run: FollowedRun;
  dismiss: (id: number) => void;
}) {
  const live = useLive().runs.get(run.id);
  const shown = runToastText(run, live);
  useEffect(() => {
    if (!shown.finished) return;
    const timer = setTimeout(() => dismiss(toast.id), shown.kind === 'error' ? 15_000 : 8_000);
    return () => clearTimeout(timer);
  }, [shown.finished, shown.kind, dismiss, toast.id]);
  return (
    <ToastView
      toast={{
        ...toast,
        kind: shown.kind,
        text: shown.text,
        link: { href: to.run(run.id), label: shown.finished ? 'Open' : 'Watch' },
      }}
      dismiss={dismiss}
      state={live?.status ?? 'running'}
    />
  );
}

function ToastView({
  toast,
  dismiss,
  state,
}: {
  toast: Toast;
  dismiss: (id: number) => void;
  state?: string;
}) {
  return (
    <div
      className={`toast toast-${toast.kind}`}
      role={toast.kind === 'error' ? 'alert' : 'status'}
      data-run={toast.run?.id}
      data-state={state}
    >
      <span>{toast.text}</span>
      {toast.link ? (
        <Link className="toast-link" href={toast.link.href}>
          {toast.link.label}
        </Link>
      ) : null}
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
        ×
      </button>
    </div>
  );
}
