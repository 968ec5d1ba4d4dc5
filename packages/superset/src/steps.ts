import { spawn } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { UserError } from '@vitrina/core';

/** Where a long step reports: a line when it starts and ends, and (on a terminal) its elapsed time and latest output. */
export interface StepReporter {
  start(label: string): void;
  output(line: string): void;
  finish(label: string, ms: number): void;
}

export const silentReporter: StepReporter = { start() {}, output() {}, finish() {} };

/** Prints to stderr: on a terminal one line redrawn with elapsed seconds and the latest output line. */
export function consoleReporter(stream: NodeJS.WriteStream = process.stderr): StepReporter {
  const live = Boolean(stream.isTTY);
  let label = '';
  let started = 0;
  let latest = '';
  let timer: NodeJS.Timeout | null = null;
  const draw = () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    const width = (stream.columns ?? 100) - label.length - 12;
    stream.write(`\r\x1b[2K${label} … ${seconds}s  ${latest.slice(0, Math.max(0, width))}`);
  };
  return {
    start(next) {
      label = next;
      started = Date.now();
      latest = '';
      if (live) timer = setInterval(draw, 250);
      else stream.write(`${label} …\n`);
    },
    output(line) {
      latest = line.trim();
    },
    finish(done, ms) {
      if (timer) clearInterval(timer);
      timer = null;
      stream.write(`${live ? '\r\x1b[2K' : ''}${done} ✓ ${(ms / 1000).toFixed(1)}s\n`);
    },
  };
}

/**
 * Runs one command to completion, appending its output to `logFile` and streaming its lines to the
 * reporter; a failure names the command and shows the end of its output.
 */
export async function runStep(
  reporter: StepReporter,
  label: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; logFile: string; cwd?: string },
): Promise<void> {
  const started = Date.now();
  reporter.start(label);
  await appendFile(options.logFile, `\n$ ${command} ${args.join(' ')}\n`);
  const tail: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      void appendFile(options.logFile, text);
      for (const line of text.split('\n').filter((candidate) => candidate.trim())) {
        reporter.output(line);
        tail.push(line);
        if (tail.length > 25) tail.shift();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0)
    throw new UserError(
      `${label} failed (${command} ${args.join(' ')} exited ${code}); log: ${options.logFile}\n${tail.join('\n')}`,
    );
  reporter.finish(label, Date.now() - started);
}
