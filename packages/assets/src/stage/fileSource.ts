import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadRemoteFile, listRemoteFiles, redactUrl } from '@vitrina/io';
import type { FileSource } from '../resources.ts';

export interface LocalFile {
  /** The path under the source's folder, e.g. `partner_sales/partner_sales_2026-11-03.csv`. */
  name: string;
  /** Where the bytes are on this machine now. */
  path: string;
  sha256: string;
  bytes: number;
}

export class MissingFileError extends Error {
  override name = 'MissingFileError';
}

function where(files: FileSource): string {
  return files.kind === 'ftp' ? redactUrl(files.url.replace(/\/\/[^@/]*@/, '//')) : `the inbox ${files.dir}`;
}

/** The files in one folder of the source, sorted by name. */
export async function listFiles(files: FileSource, folder: string): Promise<string[]> {
  if (files.kind === 'ftp')
    return (await listRemoteFiles(files.url, folder, files.timeouts)).map((file) => `${folder}/${file.name}`);
  const dir = join(files.dir, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `${folder}/${entry.name}`)
    .sort();
}

/**
 * Makes one file available locally with its SHA-256 (computed while it streams): FTP files are
 * downloaded into a temporary folder removed afterwards, inbox files are read in place. A missing
 * file is a clear error naming it and where it was looked for.
 */
export async function withFile<T>(
  files: FileSource,
  name: string,
  work: (file: LocalFile) => Promise<T>,
): Promise<T> {
  const slash = name.lastIndexOf('/');
  const folder = slash >= 0 ? name.slice(0, slash) : '';
  const missing = () =>
    new MissingFileError(`${name} is missing in ${where(files)}: it has not been delivered`);
  if (files.kind === 'inbox') {
    const path = join(files.dir, name);
    if (!existsSync(path)) throw missing();
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    return work({ name, path, sha256: hash.digest('hex'), bytes });
  }
  const remote = (await listRemoteFiles(files.url, folder, files.timeouts)).find(
    (file) => file.name === name.slice(slash + 1),
  );
  if (!remote) throw missing();
  const dir = mkdtempSync(join(tmpdir(), 'vitrina-file-'));
  try {
    const path = join(dir, remote.name);
    const { sha256, bytes } = await downloadRemoteFile(
      files.url,
      remote.path,
      createWriteStream(path),
      files.timeouts,
    );
    return await work({ name, path, sha256, bytes });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
