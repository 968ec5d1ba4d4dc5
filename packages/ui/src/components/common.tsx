import { type ReactNode, useState } from 'react';
import { ApiError, apiToken } from '../api/client.ts';
import {
  type NodeState,
  type RunStatus,
  runStatusStyles,
  type StepStatus,
  stateStyles,
} from '../lib/status.ts';

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label} />;
}

export function Loading({ what }: { what: string }) {
  return (
    <div className="placeholder" aria-busy="true">
      <Spinner label={`Loading ${what}`} />
      <span>Loading {what}…</span>
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="placeholder empty">
      <strong>{title}</strong>
      {children ? <div className="muted">{children}</div> : null}
    </div>
  );
}

/** Says what went wrong and offers the way out: retry, or the API token when the server asks for one. */
export function ErrorState({ error, retry, title }: { error: unknown; retry?: () => void; title?: string }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="placeholder error" role="alert">
      <strong>{title ?? 'Something went wrong'}</strong>
      <p>{message}</p>
      {error instanceof ApiError && error.status === 401 ? <TokenForm /> : null}
      {retry ? (
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** Asks for VITRINA_API_TOKEN, needed by mutating routes when the server sets one. */
export function TokenForm({ onSaved }: { onSaved?: () => void }) {
  const [value, setValue] = useState(apiToken.get() ?? '');
  return (
    <form
      className="token-form"
      onSubmit={(event) => {
        event.preventDefault();
        apiToken.set(value.trim() || null);
        onSaved?.();
      }}
    >
      <label>
        API token
        <input
          type="password"
          value={value}
          onChange={(event) => setValue(event.target.value)}
          placeholder="VITRINA_API_TOKEN"
          autoComplete="off"
        />
      </label>
      <button type="submit" className="button">
        Save
      </button>
    </form>
  );
}

export function StateBadge({ state, title }: { state: NodeState; title?: string | undefined }) {
  const style = stateStyles[state];
  return (
    <span
      className={`badge state-${state}`}
      style={{ color: style.colour, background: style.tint, borderColor: style.colour }}
      title={title}
      data-state={state}
    >
      <span aria-hidden="true">{style.glyph}</span> {style.label}
    </span>
  );
}

export function RunStatusBadge({ status }: { status: RunStatus | StepStatus }) {
  const style = runStatusStyles[status];
  return (
    <span
      className={`badge run-${status}`}
      style={{ color: style.colour, borderColor: style.colour }}
      data-status={status}
    >
      <span aria-hidden="true" className={status === 'running' ? 'pulse' : undefined}>
        {style.glyph}
      </span>{' '}
      {style.label}
    </span>
  );
}

export function Section({
  title,
  actions,
  children,
  id,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  id?: string;
}) {
  return (
    <section className="card" aria-labelledby={id ? `${id}-title` : undefined} id={id}>
      <header className="card-header">
        <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
        {actions ? <div className="card-actions">{actions}</div> : null}
      </header>
      <div className="card-body">{children}</div>
    </section>
  );
}

export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
