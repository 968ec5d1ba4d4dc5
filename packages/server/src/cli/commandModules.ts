/**
 * Each command's module, imported only when the command runs, so a call loads what its command
 * needs (the HTTP server for `serve`, not for `plan`). Kept out of main.ts: tsx's import scanner
 * fails on a file that has both a shebang and a dynamic import.
 */
export const commandModules = {
  workspace: () => import('../workspace.ts'),
  assets: () => import('./commands/assets.ts'),
  plan: () => import('./commands/plan.ts'),
  materialize: () => import('./commands/materialize.ts'),
  test: () => import('./commands/test.ts'),
  init: () => import('./commands/init.ts'),
  runs: () => import('./commands/runs.ts'),
  serve: () => import('./commands/serve.ts'),
  dev: () => import('./commands/dev.ts'),
  daemon: () => import('./commands/daemon.ts'),
};
