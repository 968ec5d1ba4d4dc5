import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { isProcessAlive } from '../processes.ts';

/** The process that opened an embedded store, and the socket it shares the store on. */
export interface EmbeddedHolder {
  pid: number;
  /** The command line it runs, to name it in messages (`vitrina serve`). */
  command: string;
  /** A Unix socket path; other processes' queries go through it. */
  socket: string;
}

const holderFile = z.object({ pid: z.number().int(), command: z.string(), socket: z.string() });

/** Unix socket paths are limited to 107 bytes; a deep home gets its socket in the temp folder. */
const SOCKET_PATH_MAX = 100;

export function socketPathFor(home: string): string {
  const inHome = resolve(home, 'pglite.sock');
  if (Buffer.byteLength(inHome) <= SOCKET_PATH_MAX) return inHome;
  const hash = createHash('sha256').update(resolve(home)).digest('hex').slice(0, 16);
  return join(tmpdir(), `vitrina-${hash}.sock`);
}

export type EmbeddedLock =
  | { held: true; unlock: () => void; socket: string }
  | { held: false; holder: EmbeddedHolder };

/**
 * Takes the embedded store's lock for this process, or names the live process holding it. The lock
 * file is created exclusively, so two processes starting together cannot both open the store; a
 * lock left by a dead process is taken over.
 */
export function lockEmbedded(home: string): EmbeddedLock {
  const lockFile = join(home, 'pglite.lock');
  const mine: EmbeddedHolder = {
    pid: process.pid,
    command: commandLine(),
    socket: socketPathFor(home),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lockFile, JSON.stringify(mine), { flag: 'wx', mode: 0o600 });
      return { held: true, socket: mine.socket, unlock: () => rmSync(lockFile, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(lockFile);
    if (holder && holder.pid !== process.pid && isProcessAlive(holder.pid)) return { held: false, holder };
    rmSync(lockFile, { force: true });
  }
  throw new Error(`could not take the lock ${lockFile}: it reappears as soon as it is removed`);
}

function readHolder(lockFile: string): EmbeddedHolder | null {
  let text: string;
  try {
    text = readFileSync(lockFile, 'utf8');
  } catch {
    return null;
  }
  // Before the store was shared, the lock held only the pid.
  if (/^\d+$/.test(text.trim())) return { pid: Number(text), command: 'an older vitrina', socket: '' };
  try {
    return holderFile.parse(JSON.parse(text));
  } catch {
    return null;
  }
}

function commandLine(): string {
  const args = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  return args.length > 0 ? `vitrina ${args.slice(0, 2).join(' ')}` : 'vitrina';
}
