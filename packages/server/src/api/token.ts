import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@vitrina/core';

export const TOKEN_FILE = 'api-token';
const MIN_LENGTH = 16;

export interface ApiToken {
  token: string;
  /** `env`: VITRINA_API_TOKEN; `file`: read from `$VITRINA_HOME/api-token`; `generated`: written there now. */
  source: 'env' | 'file' | 'generated';
  file: string;
}

/**
 * The API token: VITRINA_API_TOKEN when set, else the one in `$VITRINA_HOME/api-token`, created at
 * the first start (mode 0600, 32 random bytes). A file other users can read is refused rather than
 * used: the token it holds may already be known to them.
 */
export function resolveApiToken(home: string, fromEnv: string | undefined): ApiToken {
  const file = join(home, TOKEN_FILE);
  if (fromEnv) return { token: fromEnv, source: 'env', file };
  mkdirSync(home, { recursive: true });
  const generated = randomBytes(32).toString('base64url');
  // Written aside, then linked into place: link fails when the file exists, so two servers starting
  // at once on a fresh home agree on one token, and neither reads a half-written file.
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(aside, `${generated}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(aside, file);
    return { token: generated, source: 'generated', file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(aside, { force: true });
  }
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    throw new ConfigError(
      `${file} is readable by other users (mode ${mode.toString(8)}); run chmod 600 on it, or delete it to have a new token generated`,
    );
  }
  const token = readFileSync(file, 'utf8').trim();
  if (token.length < MIN_LENGTH || /\s/.test(token)) {
    throw new ConfigError(
      `${file}: expected one token of at least ${MIN_LENGTH} characters; delete the file to have a new one generated`,
    );
  }
  return { token, source: 'file', file };
}
