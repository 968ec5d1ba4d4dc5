import { type Config, type Location, loadConfig, loadLocation, poolSizes, RunStorage } from '@vitrina/core';

/** What every command needs: settings, the code location's assets, and run storage. */
export interface Workspace {
  config: Config;
  location: Location;
  pools: Record<string, number>;
  storage: RunStorage;
  close: () => Promise<void>;
}

export async function openWorkspace(): Promise<Workspace> {
  const config = loadConfig();
  const location = await loadLocation(config.definitions);
  const pools = poolSizes(location, config.pools);
  const storage = await RunStorage.open({ databaseUrl: config.databaseUrl, home: config.home });
  return { config, location, pools, storage, close: () => storage.close() };
}
