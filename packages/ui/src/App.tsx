import { useState } from 'react';
import { useFollowRunningRuns, useLive } from './api/hooks.ts';
import { Empty, TokenForm } from './components/common.tsx';
import { to } from './lib/routes.ts';
import { Link, useRoute } from './router.tsx';
import { AssetPage } from './views/AssetPage.tsx';
import { LineageView } from './views/Lineage.tsx';
import { QuarantinePage } from './views/Quarantine.tsx';
import { RunPage } from './views/RunPage.tsx';
import { RunsPage } from './views/Runs.tsx';

export function App() {
  useFollowRunningRuns();
  const route = useRoute();
  const live = useLive();
  const [settings, setSettings] = useState(false);
  const runningRuns = [...live.runs.values()].filter((run) => run.status === 'running').length;
  const section =
    route.name === 'lineage' || route.name === 'asset'
      ? 'assets'
      : route.name === 'runs' || route.name === 'run'
        ? 'runs'
        : route.name;
  return (
    <div className={route.name === 'lineage' ? 'app full' : 'app'}>
      <header className="topbar">
        <Link href={to.lineage()} className="brand" aria-label="Vitrina home">
          <span className="logo" aria-hidden="true">
            ◧
          </span>{' '}
          Vitrina
        </Link>
        <nav aria-label="Main">
          <Link href={to.lineage()} aria-current={section === 'assets' ? 'page' : undefined}>
            Lineage
          </Link>
          <Link href={to.runs()} aria-current={section === 'runs' ? 'page' : undefined}>
            Runs
            {runningRuns > 0 ? (
              <span className="count running" title={`${runningRuns} running`}>
                {runningRuns}
              </span>
            ) : null}
          </Link>
          <Link href={to.quarantine()} aria-current={section === 'quarantine' ? 'page' : undefined}>
            Quarantine
          </Link>
        </nav>
        <div className="spacer" />
        <a className="muted small" href="/api/openapi.json" target="_blank" rel="noreferrer">
          API
        </a>
        <button
          type="button"
          className="icon-button"
          aria-label="Settings: API token"
          aria-expanded={settings}
          onClick={() => setSettings(!settings)}
        >
          <svg
            width="16"
            height="16"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            aria-hidden="true"
          >
            <circle cx="8" cy="15" r="4" />
            <path d="M10.8 12.2 20 3m-3 3 3 3m-6 0 2 2" />
          </svg>
        </button>
        {settings ? (
          <div className="popover" role="dialog" aria-label="Settings">
            <p className="small muted">
              When the server sets <code>VITRINA_API_TOKEN</code>, materialising needs it. It stays in this
              browser.
            </p>
            <TokenForm onSaved={() => setSettings(false)} />
          </div>
        ) : null}
      </header>
      <main>
        {route.name === 'lineage' ? (
          <LineageView focus={route.focus} search={route.search} />
        ) : route.name === 'asset' ? (
          <AssetPage key={route.key} assetKey={route.key} column={route.column} />
        ) : route.name === 'runs' ? (
          <RunsPage status={route.status} />
        ) : route.name === 'run' ? (
          <RunPage key={route.id} runId={route.id} />
        ) : route.name === 'quarantine' ? (
          <QuarantinePage source={route.source} partition={route.partition} />
        ) : (
          <Empty title="Nothing here">
            <Link href={to.lineage()}>Back to the lineage</Link>
          </Empty>
        )}
      </main>
    </div>
  );
}
