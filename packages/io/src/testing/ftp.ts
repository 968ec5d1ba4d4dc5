import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { resolve } from 'node:path';

/** The repository's .venv, where `scripts/setup.sh --test` installs pyftpdlib. */
const python = resolve(import.meta.dirname, '../../../../.venv/bin/python');

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function answers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket();
    socket.once('data', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1');
  });
}

/**
 * A real FTP server (pyftpdlib) on loopback serving `root`, with a user and password, for tests.
 * `stop()` ends it.
 */
export async function startFtpServer(root: string): Promise<{ url: string; stop: () => Promise<void> }> {
  if (!existsSync(python)) throw new Error(`no ${python}: run scripts/setup.sh --test to install pyftpdlib`);
  const port = await freePort();
  const server: ChildProcess = spawn(
    python,
    [
      '-m',
      'pyftpdlib',
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-w',
      '-d',
      root,
      '-u',
      'vitrina',
      '-P',
      'secret-pass',
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100 && !(await answers(port)); i++) await new Promise((wait) => setTimeout(wait, 100));
  if (!(await answers(port))) {
    server.kill();
    throw new Error(`the FTP server did not start on 127.0.0.1:${port}`);
  }
  return {
    url: `ftp://vitrina:secret-pass@127.0.0.1:${port}`,
    stop: async () => {
      server.kill();
      await new Promise((done) => server.once('exit', done));
    },
  };
}
