/** The UI's routes: plain paths, so every view has a URL that survives a reload and can be shared. */
export type Route =
  | { name: 'lineage'; focus: string | null; search: string }
  | { name: 'asset'; key: string; column: string | null }
  | { name: 'runs'; status: string | null }
  | { name: 'run'; id: string }
  | { name: 'quarantine'; source: string | null; partition: string | null }
  | { name: 'notFound'; path: string };

export function parseRoute(pathname: string, search = ''): Route {
  const params = new URLSearchParams(search);
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/lineage') {
    return { name: 'lineage', focus: params.get('focus'), search: params.get('q') ?? '' };
  }
  if (path === '/runs') return { name: 'runs', status: params.get('status') };
  if (path === '/quarantine') {
    return { name: 'quarantine', source: params.get('source'), partition: params.get('day') };
  }
  const asset = /^\/assets\/([^/]+)$/.exec(path);
  if (asset) return { name: 'asset', key: decodeURIComponent(asset[1]!), column: params.get('column') };
  const run = /^\/runs\/([^/]+)$/.exec(path);
  if (run) return { name: 'run', id: decodeURIComponent(run[1]!) };
  return { name: 'notFound', path: pathname };
}

function withQuery(path: string, query: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export function href(route: Route): string {
  switch (route.name) {
    case 'lineage':
      return withQuery('/', { focus: route.focus, q: route.search });
    case 'asset':
      return withQuery(`/assets/${encodeURIComponent(route.key)}`, { column: route.column });
    case 'runs':
      return withQuery('/runs', { status: route.status });
    case 'run':
      return `/runs/${encodeURIComponent(route.id)}`;
    case 'quarantine':
      return withQuery('/quarantine', { source: route.source, day: route.partition });
    case 'notFound':
      return route.path;
  }
}

export const to = {
  lineage: (focus: string | null = null, search = ''): string => href({ name: 'lineage', focus, search }),
  /** An asset's page; with a column, that column selected in its Columns section. */
  asset: (key: string, column: string | null = null): string => href({ name: 'asset', key, column }),
  runs: (status: string | null = null): string => href({ name: 'runs', status }),
  run: (id: string): string => href({ name: 'run', id }),
  quarantine: (source: string | null = null, partition: string | null = null): string =>
    href({ name: 'quarantine', source, partition }),
};
