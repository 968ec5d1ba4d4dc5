export { openWorkspace, type Workspace } from './workspace.ts';
