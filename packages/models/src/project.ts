import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import {
  type Asset,
  type ColumnSpec,
  codeVersionOf,
  DefinitionError,
  daily,
  defineAsset,
  type PartitionMapping,
} from '@vitrina/core';
import type pg from 'pg';
import { buildModel } from './build.ts';
import {
  type CheckSpec,
  columnChecks,
  expandCheckSql,
  genericCheck,
  partitionScope,
  referencedTables,
} from './checks/index.ts';
import { type ColumnLineage, columnLineage } from './columns.ts';
import { type ModelHeader, readModel } from './header.ts';
import { tableName } from './identifiers.ts';
import { loadParser, parseQuery, tablesRead } from './lineage.ts';
import { expandMacros, macrosUsed, SOME_DAY } from './macros.ts';
import { displayPath, readSeedConfig, seedAsset, seedColumns } from './seeds/index.ts';

export interface SqlModelsOptions<R> {
  /** The PostgreSQL the models are built in. */
  db: (resources: R) => pg.Pool;
  /** The location's other assets: the tables they provide may be read by the models. */
  assets?: readonly Asset<R>[];
  /** Tables no asset provides (another system loads them): external assets in the group `sources`. */
  sources?: readonly string[];
  /** The first day of the daily and incremental models that do not name their own `start`. */
  start?: string;
  /** Their days' time zone unless a model names its own; UTC by default. */
  timezone?: string;
}

/** A model file as read: where it is, its key, header and query, and the tables the query reads. */
interface ModelFile {
  file: string;
  key: string;
  header: ModelHeader;
  query: string;
  /** The query's parse tree (PostgreSQL's parser), for its lineage. */
  tree: unknown;
  reads: string[];
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** `models/report/station_daily.sql` → `report.station_daily`: the folder is the schema. */
function keyFromPath(root: string, file: string): string {
  return relative(root, file).slice(0, -extname(file).length).split(/[\\/]/).join('.');
}

function checkedKey(file: string, key: string): string {
  const parsed = tableName.safeParse(key);
  if (!parsed.success)
    throw new DefinitionError(
      `${file}: "${key}" is not schema.table; put the file in a folder named after its schema (models/<schema>/<table>.sql) or give it a key`,
    );
  // Folded as PostgreSQL folds an unquoted name: models/Report/Daily.sql builds report.daily.
  return parsed.data;
}

async function readModelFile(root: string, file: string, shown: string): Promise<ModelFile> {
  const { header, query } = readModel(shown, await readFile(file, 'utf8'));
  const key = checkedKey(shown, header.key ?? keyFromPath(root, file));
  const macros = macrosUsed(shown, query);
  const partitioned = header.kind === 'daily' || header.kind === 'incremental';
  if (!partitioned && macros.size > 0)
    throw new DefinitionError(
      `${shown}: a ${header.kind} model has no days; {{ start }} and {{ end }} belong to daily and incremental models`,
    );
  if (partitioned && macros.size === 0)
    throw new DefinitionError(
      `${shown}: a ${header.kind} model builds one day at a time; filter its query with {{ start }} and {{ end }}`,
    );
  const tree = parseQuery(shown, expandMacros(query, SOME_DAY));
  const reads = tablesRead(shown, tree).filter((t) => t !== key);
  return { file: shown, key, header, query, tree, reads };
}

/**
 * Every model (`.sql`) and seed (`.csv`) under `folder`, as assets, with the external assets of the
 * declared sources. A model's upstreams are the tables its query reads, found by PostgreSQL's own
 * parser; a table that no asset, model, seed or source provides is an error naming it.
 */
export async function sqlModels<R>(folder: string, options: SqlModelsOptions<R>): Promise<Asset<R>[]> {
  await loadParser();
  const root = resolve(folder);
  const files = await filesUnder(root);
  const shown = displayPath;
  const models = await Promise.all(
    files.filter((file) => extname(file) === '.sql').map((file) => readModelFile(root, file, shown(file))),
  );
  const seeds = await Promise.all(
    files
      .filter((file) => extname(file) === '.csv')
      .map(async (file) => {
        const key = checkedKey(shown(file), keyFromPath(root, file));
        const config = await readSeedConfig(file);
        const columns = (await seedColumns(file, config)).map((column) => ({
          name: column.name,
          type: column.type,
          ...(column.description ? { description: column.description } : {}),
        }));
        return seedAsset<R>({ file, key, group: key.split('.')[0]!, config, db: options.db, columns });
      }),
  );
  const sources = (options.sources ?? []).map((key) =>
    defineAsset<R>({
      key: checkedKey('sources', key),
      description: `Table ${key}, loaded outside this location.`,
      group: 'sources',
      storage: 'external',
    }),
  );
  const provided = new Map<string, Asset<R>>();
  for (const asset of [...(options.assets ?? []), ...seeds, ...sources]) provided.set(asset.key, asset);
  const byKey = new Map<string, ModelFile>();
  for (const model of models) {
    const twice = byKey.get(model.key) ?? (provided.has(model.key) ? { file: 'another asset' } : null);
    if (twice) throw new DefinitionError(`${model.file}: ${model.key} is also defined by ${twice.file}`);
    byKey.set(model.key, model);
  }
  const partitionedKeys = new Set([
    ...[...provided.values()].filter((asset) => asset.partitions !== null).map((asset) => asset.key),
    ...models.filter((m) => m.header.kind === 'daily' || m.header.kind === 'incremental').map((m) => m.key),
  ]);
  const lineage = lineageOf(byKey, provided);
  const modelAssets = models.map((model) =>
    modelAsset(model, {
      options,
      exists: (key) => byKey.has(key) || provided.has(key),
      partitioned: (key) => partitionedKeys.has(key),
      lineage: lineage(model.key) ?? [],
    }),
  );
  return [...seeds, ...sources, ...modelAssets];
}

interface Surroundings<R> {
  options: SqlModelsOptions<R>;
  exists: (key: string) => boolean;
  partitioned: (key: string) => boolean;
  /** The model's result columns with the upstream columns each comes from. */
  lineage: ColumnLineage[];
}

/**
 * Column lineage for every model, each computed once, in dependency order: a model's upstream columns
 * are another model's result columns, a seed's header or a TypeScript asset's declared columns.
 */
function lineageOf<R>(models: ReadonlyMap<string, ModelFile>, provided: ReadonlyMap<string, Asset<R>>) {
  const done = new Map<string, ColumnLineage[] | null>();
  const columns = (key: string): ColumnLineage[] | null => {
    if (done.has(key)) return done.get(key)!;
    const model = models.get(key);
    if (!model) {
      const declared = provided.get(key)?.columns ?? [];
      return declared.length > 0 ? declared.map(({ name }) => ({ name, from: [] })) : null;
    }
    done.set(key, null); // a model reading itself, through others, learns nothing of itself
    const computed = columnLineage(model.tree, (table) => columns(table)?.map((c) => c.name) ?? null);
    done.set(key, computed);
    return computed;
  };
  return columns;
}

/** The model's columns for the docs: its result columns, with the header's descriptions. */
function documentedColumns(model: ModelFile, lineage: ColumnLineage[]): ColumnSpec[] {
  const described = model.header.columns;
  // `?column?` (an unnamed expression) cannot be documented; a name given twice is PostgreSQL's error.
  const named = lineage.filter(
    ({ name }, i) => /^[a-z_][a-z0-9_]*$/.test(name) && lineage.findIndex((c) => c.name === name) === i,
  );
  const own = named.map(({ name, from }) => ({
    name,
    ...(described[name]?.description ? { description: described[name]!.description } : {}),
    from: from.filter((ref) => ref.asset !== model.key),
  }));
  const found = new Set(own.map((column) => column.name));
  const declaredOnly = Object.entries(described)
    .filter(([name]) => !found.has(name))
    .map(([name, spec]) => ({ name, ...(spec.description ? { description: spec.description } : {}) }));
  return [...own, ...declaredOnly];
}

function checksOf(header: ModelHeader): CheckSpec[] {
  return [
    ...Object.entries(header.columns).flatMap(([column, spec]) => columnChecks(column, spec.checks)),
    ...header.checks,
  ];
}

function modelAsset<R>(model: ModelFile, around: Surroundings<R>): Asset<R> {
  const { header, key, file, query } = model;
  const { options } = around;
  const partitioned = header.kind === 'daily' || header.kind === 'incremental';
  const specs = checksOf(header);
  const checked = specs.flatMap((spec) =>
    'sql' in spec
      ? tablesRead(`${file} (check ${spec.name})`, parseQuery(file, expandCheckSql(spec.sql, key, null)))
      : referencedTables(spec),
  );
  const upstreams = [...new Set([...model.reads, ...checked])].filter((t) => t !== key);
  for (const table of upstreams)
    if (!around.exists(table))
      throw new DefinitionError(
        `${file}: reads ${table}, which no asset, model, seed or declared source provides`,
      );
  for (const declared of Object.keys(header.deps))
    if (!upstreams.includes(declared))
      throw new DefinitionError(`${file}: deps names ${declared}, which the query does not read`);
  const deps = upstreams.map((table): string | { key: string; mapping: PartitionMapping } => {
    const declared = header.deps[table];
    if (declared === 'all') return { key: table, mapping: { kind: 'all' } };
    if (declared)
      return {
        key: table,
        mapping: { kind: 'window', startOffset: declared.window[0], endOffset: declared.window[1] },
      };
    return partitioned && around.partitioned(table) ? table : { key: table, mapping: { kind: 'all' } };
  });
  const timeColumn = header.time_column ?? null;
  const target = {
    table: key,
    kind: header.kind,
    query,
    timeColumn,
    uniqueKey: header.unique_key === undefined ? [] : [header.unique_key].flat(),
    newestBy: header.newest_by ?? null,
    description: header.description ?? `SQL model ${file}`,
    columns: Object.fromEntries(
      Object.entries(header.columns).flatMap(([column, spec]) =>
        spec.description ? [[column, spec.description]] : [],
      ),
    ),
  };
  const scope = header.kind === 'daily' ? partitionScope<R>(timeColumn!) : () => null;
  const asset = defineAsset<R>({
    key,
    description: target.description,
    group: header.group ?? key.split('.')[0]!,
    ...(header.owner ? { owner: header.owner } : {}),
    storage: 'postgres',
    deps,
    ...(partitioned
      ? {
          partitions: daily(
            header.start ?? options.start ?? defaultStart(file),
            header.timezone ?? options.timezone ?? 'UTC',
          ),
        }
      : {}),
    ...(header.freshness
      ? {
          freshness: {
            cron: header.freshness.cron,
            maximumLagMinutes: header.freshness.maximum_lag_minutes,
            ...(header.freshness.timezone ? { timezone: header.freshness.timezone } : {}),
          },
        }
      : {}),
    ...(header.pool ? { pool: header.pool } : {}),
    checks: specs.map((spec) => genericCheck<R>(spec, { table: key, db: options.db, scope })),
    sql: query,
    columns: documentedColumns(model, around.lineage),
    tags: { model: file.replace(/\\/g, '/'), kind: header.kind },
    materialize: async ({ resources, partition, log }) => {
      const range = { start: partition || SOME_DAY.start, end: partition || SOME_DAY.end };
      return buildModel(options.db(resources), target, range, (message) => log(message, 'warn'));
    },
  });
  // How the table is built decides its rows as much as the query does; one closure serves every model.
  const { kind, timeColumn: column, uniqueKey, newestBy } = target;
  const build = JSON.stringify({ kind, column, uniqueKey, newestBy });
  return { ...asset, codeVersion: codeVersionOf([asset.codeVersion, build]) };
}

function defaultStart(file: string): never {
  throw new DefinitionError(
    `${file}: a daily or incremental model needs a start day (in its header, or sqlModels' start option)`,
  );
}
