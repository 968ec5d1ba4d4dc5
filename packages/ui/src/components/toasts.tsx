import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { Link } from '../router.tsx';

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
  link?: { href: string; label: string } | undefined;
}

type Notify = (toast: Omit<Toast, 'id'>) => void;

const ToastContext = createContext<Notify>(() => {});

export const useNotify = (): Notify => useContext(ToastContext);

let nextId = 1;

/** Short messages at the corner of the screen (run started, nothing stale, errors), gone after a while. */
export function Toasts({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((toast) => toast.id !== id)), []);
  const notify = useCallback<Notify>(
    (toast) => {
      const id = nextId++;
      setToasts((all) => [...all.slice(-3), { ...toast, id }]);
      setTimeout(() => dismiss(id), toast.kind === 'error' ? 12_000 : 10_000);
    },
    [dismiss],
  );
  const value = useMemo(() => notify, [notify]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={`toast toast-${toast.kind}`}
            role={toast.kind === 'error' ? 'alert' : 'status'}
          >
            <span>{toast.text}</span>
            {toast.link ? (
              <Link className="toast-link" href={toast.link.href}>
                {toast.link.label}
              </Link>
            ) : null}
            <button
              type="button"
              className="icon-button"
              aria-label="Dismiss"
              onClick={() => dismiss(toast.id)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
