import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import {
  type Asset,
  type CheckDefinition,
  type ColumnSpec,
  codeVersionOf,
  DefinitionError,
  defineAsset,
} from '@vitrina/core';
import type pg from 'pg';
import { displayPath, type SeedConfig, sidecarPath } from './config.ts';
import { loadSeed } from './load.ts';
import { quote } from './table.ts';

export {
  displayPath,
  readSeedConfig,
  type SeedColumnConfig,
  type SeedConfig,
  sidecarPath,
} from './config.ts';
export { type InferredType, type SeedColumn, seedColumns } from './infer.ts';
export { SeedError } from './rows.ts';

export interface SeedAssetSpec<R> {
  /** The CSV file's absolute path. */
  file: string;
  /** The table, `schema.table`. */
  key: string;
  group: string;
  /** Defaults to the sidecar's, then to "Seed <file name>". */
  description?: string;
  owner?: string;
  /** The sidecar's settings (readSeedConfig), or the same given in code. */
  config: SeedConfig;
  db: (resources: R) => pg.Pool;
  checks?: CheckDefinition<R>[];
  /** Its columns for the docs (seedColumns' names, types and descriptions); documentation only. */
  columns?: ColumnSpec[];
}

const tableKey = /^([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)$/;

/**
 * A CSV file as a PostgreSQL table: an unpartitioned asset whose code version covers the file's
 * bytes, its sidecar's and its settings, so editing the seed makes it and everything downstream
 * stale. Materialising replaces the table's contents in one transaction.
 */
export function seedAsset<R>(spec: SeedAssetSpec<R>): Asset<R> {
  const where = `seed ${displayPath(spec.file)}`;
  const key = tableKey.exec(spec.key);
  if (!key) throw new DefinitionError(`${where}: key "${spec.key}" must be schema.table, in lower case`);
  if (!isAbsolute(spec.file)) throw new DefinitionError(`${where}: expected an absolute path`);
  const sidecar = sidecarPath(spec.file);
  const description = spec.description ?? spec.config.description ?? `Seed ${basename(spec.file)}`;
  const schema = key[1]!;
  const table = key[2]!;
  const target = { schema, table, qualified: `${quote(schema)}.${quote(table)}` };
  const { file, config, db } = spec;
  const asset = defineAsset<R>({
    key: spec.key,
    description,
    group: spec.group,
    ...(spec.owner ? { owner: spec.owner } : {}),
    storage: 'postgres',
    files: existsSync(sidecar) ? [file, sidecar] : [file],
    ...(spec.checks ? { checks: spec.checks } : {}),
    ...(spec.columns ? { columns: spec.columns } : {}),
    materialize: (ctx) =>
      loadSeed(db(ctx.resources), { file, target, description, config }, ctx.signal, (message) =>
        ctx.log(message),
      ),
  });
  // The settings decide the table as much as the bytes do, and may come from code, not the sidecar.
  const settings = createHash('sha256').update(JSON.stringify({ config, description })).digest('hex');
  return { ...asset, codeVersion: codeVersionOf([asset.codeVersion, settings]) };
}
