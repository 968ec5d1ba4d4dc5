import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { ApiError } from './api/client.ts';
import { LiveRunsContext } from './api/hooks.ts';
import { LiveRuns } from './api/live.ts';
import { Toasts } from './components/toasts.tsx';
import './styles.css';

const client = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 2000,
      // Retrying a 4xx cannot help; a network blip can.
      retry: (count, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});
const live = new LiveRuns(client);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={client}>
      <LiveRunsContext.Provider value={live}>
        <Toasts>
          <App />
        </Toasts>
      </LiveRunsContext.Provider>
    </QueryClientProvider>
  </StrictMode>,
);
