import type { RunLauncher } from '@vitrina/core';
import type { Workspace } from '../workspace.ts';

/** What every route needs. */
export interface ApiContext {
  workspace: Workspace;
  launcher: RunLauncher;
}
