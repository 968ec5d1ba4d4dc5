import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const main = resolve(root, 'packages/server/src/cli/main.ts');

export interface Cli {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** Resolves with the first stdout line matching, or null if the process ends first. */
  waitFor: (pattern: RegExp) => Promise<RegExpExecArray | null>;
}

/** Starts `vitrina <args>` as a user would, its output appended to `log`. */
export function vitrina(args: string[], env: Record<string, string>, log: string): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const file = createWriteStream(log, { flags: 'a' });
  file.write(`\n$ vitrina ${args.join(' ')}\n`);
  child.stdout!.pipe(file, { end: false });
  child.stderr!.pipe(file, { end: false });
  let buffered = '';
  const waiters: Array<{ pattern: RegExp; resolve: (match: RegExpExecArray | null) => void }> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(buffered);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  const exited = new Promise<number | null>((done) =>
    child.once('exit', (code) => {
      for (const waiter of waiters.splice(0)) waiter.resolve(null);
      setTimeout(() => file.end(), 50);
      done(code);
    }),
  );
  return {
    child,
    exited,
    waitFor: (pattern) =>
      new Promise((done) => {
        const match = pattern.exec(buffered);
        if (match) done(match);
        else if (child.exitCode !== null) done(null);
        else waiters.push({ pattern, resolve: done });
      }),
  };
}

/** Runs `vitrina <args>` to its end; resolves with the exit code. */
export function vitrinaToEnd(
  args: string[],
  env: Record<string, string>,
  log: string,
): Promise<number | null> {
  return vitrina(args, env, log).exited;
}
