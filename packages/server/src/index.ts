export { buildApi } from './api/app.ts';
export { startServer } from './server.ts';
export { openWorkspace, type Workspace } from './workspace.ts';
