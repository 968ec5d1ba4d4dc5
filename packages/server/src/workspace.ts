import {
  type AssetGraph,
  type Config,
  type Location,
  loadConfig,
  loadLocation,
  poolSizes,
  RunStorage,
  recoverDeadRuns,
} from '@vitrina/core';

/** What every command needs: settings, the code location's assets, and run storage. */
export interface Workspace {
  config: Config;
  location: Location;
  pools: Record<string, number>;
  storage: RunStorage;
  close: () => Promise<void>;
}

/** `own`: for a server or scheduler, which must hold an embedded store rather than share another's. */
export async function openWorkspace(options: { own?: boolean } = {}): Promise<Workspace> {
  const config = loadConfig();
  const location = await loadLocation(config.definitions);
  const pools = poolSizes(location, config.pools);
  const storage = await RunStorage.open({
    databaseUrl: config.databaseUrl,
    home: config.home,
    own: options.own ?? false,
  });
  // A run whose process was killed is ended here, by the next process to look, so none stays `running`.
  for (const ended of await recoverDeadRuns(storage, { graph: location.graph as AssetGraph<unknown> })) {
    console.error(`vitrina: run ${ended.runId.slice(0, 8)} marked failed: ${ended.why}`);
  }
  return { config, location, pools, storage, close: () => storage.close() };
}
