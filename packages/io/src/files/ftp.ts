import { createHash } from 'node:crypto';
import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TransientError } from '@vitrina/core';
import { Client } from 'basic-ftp';
import {
  connectTimeout,
  queryTimeout,
  type SourceTimeouts,
  sourceFailure,
  timeoutsOf,
  within,
} from '../sources/failures.ts';

/** How long a control or data connection may stay silent once connected. */
const IDLE_TIMEOUT_MS = 30_000;

export interface RemoteFile {
  name: string;
  /** Path on the server, from the URL's folder. */
  path: string;
  size: number;
  modifiedAt: Date | null;
}

function connection(url: string) {
  const parsed = new URL(url);
  if (parsed.protocol !== 'ftp:' && parsed.protocol !== 'ftps:')
    throw new Error(`not an ftp:// URL: ${parsed.protocol}`);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 21),
    user: decodeURIComponent(parsed.username || 'anonymous'),
    password: decodeURIComponent(parsed.password || ''),
    secure: parsed.protocol === 'ftps:',
    folder: decodeURIComponent(parsed.pathname || '/'),
  };
}

/**
 * Runs `work` with a logged-in FTP client; the connection is always closed. Connecting and the
 * login are bounded by `connectTimeoutMs`, the whole work by `queryTimeoutMs`. A rejected login or
 * a missing file fails at once (not retried); a refused connection or a timeout is retryable.
 * Errors never show the password.
 */
export async function withFtp<T>(
  url: string,
  work: (client: Client, folder: string) => Promise<T>,
  options: SourceTimeouts = {},
): Promise<T> {
  const { folder, ...access } = connection(url);
  const { connectTimeoutMs, queryTimeoutMs } = timeoutsOf(options);
  const source = `FTP ${access.user}@${access.host}:${access.port}${folder}`;
  const started = Date.now();
  const client = new Client(IDLE_TIMEOUT_MS);
  try {
    await within(client.access(access), connectTimeoutMs, () => connectTimeout(source, connectTimeoutMs));
    return await within(work(client, folder), Math.max(0, queryTimeoutMs - (Date.now() - started)), () =>
      queryTimeout(source, queryTimeoutMs, 'the transfer'),
    );
  } catch (error) {
    if (error instanceof Error && error.message.startsWith(`${source}: `)) throw error;
    // basic-ftp reports a silent connection as "Timeout (control socket)", without a code.
    if (error instanceof Error && /^Timeout \(/.test(error.message))
      throw new TransientError(`${source}: ${error.message}`, { cause: error });
    throw sourceFailure(source, error, [access.password]);
  } finally {
    client.close();
  }
}

/** The files in a folder (not recursive), sorted by name. */
export async function listRemoteFiles(
  url: string,
  subfolder = '',
  options: SourceTimeouts = {},
): Promise<RemoteFile[]> {
  return withFtp(
    url,
    async (client, folder) => {
      const dir = joinPath(folder, subfolder);
      const entries = await client.list(dir);
      return entries
        .filter((entry) => entry.isFile)
        .map((entry) => ({
          name: entry.name,
          path: joinPath(dir, entry.name),
          size: entry.size,
          modifiedAt: entry.modifiedAt ?? null,
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    options,
  );
}

/** Downloads one file into `destination`; resolves to its SHA-256 and size, computed as it streams. */
export async function downloadRemoteFile(
  url: string,
  path: string,
  destination: Writable,
  options: SourceTimeouts = {},
): Promise<{ sha256: string; bytes: number }> {
  return withFtp(
    url,
    async (client) => {
      const hash = createHash('sha256');
      let bytes = 0;
      const tap = new PassThrough();
      tap.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        bytes += chunk.length;
      });
      const written = pipeline(tap, destination);
      await client.downloadTo(tap, path);
      tap.end();
      await written;
      return { sha256: hash.digest('hex'), bytes };
    },
    options,
  );
}

/** Uploads a local file (used by the sample company to deliver its files). */
export async function uploadFile(
  url: string,
  localPath: string,
  remotePath: string,
  options: SourceTimeouts = {},
): Promise<void> {
  await withFtp(
    url,
    async (client, folder) => {
      const target = joinPath(folder, remotePath);
      await client.ensureDir(target.slice(0, target.lastIndexOf('/')) || '/');
      await client.uploadFrom(localPath, target);
    },
    options,
  );
}

function joinPath(...parts: string[]): string {
  return `/${parts.join('/').split('/').filter(Boolean).join('/')}`;
}
