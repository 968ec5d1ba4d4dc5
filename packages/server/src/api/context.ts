import type { RunLauncher } from '@vitrina/core';
import type { Workspace } from '../workspace.ts';
import type { WarehouseReader } from './warehouse.ts';

/** What every route needs. */
export interface ApiContext {
  workspace: Workspace;
  launcher: RunLauncher;
  warehouse: WarehouseReader;
  /** Logs a failure no response reports (a run that could not be recorded, a broken stream). */
  logFailure: (message: string, error: unknown, fields?: Record<string, string>) => void;
}
