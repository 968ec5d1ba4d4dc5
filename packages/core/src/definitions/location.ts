import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigError, DefinitionError, errorMessage } from '../errors.ts';
import { AssetGraph } from '../graph/assetGraph.ts';
import { resolveSelection } from '../graph/selection.ts';
import { checkCommands, type LocationCommand } from './commands.ts';
import { cronSchema } from './cron.ts';
import { describeIssues } from './defineAsset.ts';
import type { Asset } from './types.ts';

/** Materialises the stale partitions of a selection at each tick of a cron. */
export interface ScheduleDefinition {
  name: string;
  cron: string;
  timezone: string;
  selection: string;
  description: string;
}

const scheduleSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lower-case name'),
  cron: cronSchema,
  timezone: z.string().default('Europe/Minsk'),
  selection: z.string().min(1),
  description: z.string().default(''),
});

export interface Resources<R> {
  open: () => Promise<R>;
  close: (resources: R) => Promise<void>;
}

/** A code location (Dagster's term): a set of assets, the pools they use, and the resources they need. */
export interface Location<R = unknown> {
  name: string;
  graph: AssetGraph<R>;
  /** Default pool sizes; VITRINA_POOLS overrides them. */
  pools: Readonly<Record<string, number>>;
  resources: Resources<R>;
  schedules: readonly ScheduleDefinition[];
  /** The PostgreSQL warehouse the location writes, for reading table columns and quarantined rows. */
  warehouseUrl: string | null;
  /** Systems replaced here by a stand-in (a replay server, a local folder…), for the CLI and UI to label. */
  standIns: readonly string[];
  /** CLI commands of this location's own (`vitrina seed` for the warehouse). */
  commands: readonly LocationCommand[];
}

export function defineLocation<R>(spec: {
  name: string;
  assets: Asset<R>[];
  pools?: Record<string, number>;
  resources: Resources<R>;
  schedules?: Array<z.input<typeof scheduleSchema>>;
  warehouseUrl?: string;
  standIns?: string[];
  commands?: LocationCommand[];
}): Location<R> {
  const graph = new AssetGraph(spec.assets);
  const pools = spec.pools ?? {};
  for (const [name, size] of Object.entries(pools)) {
    if (!Number.isInteger(size) || size < 1)
      throw new DefinitionError(`pool "${name}" needs a size of at least 1`);
  }
  for (const asset of graph.assets()) {
    if (asset.pool !== 'default' && !(asset.pool in pools)) {
      throw new DefinitionError(
        `asset "${asset.key}" uses pool "${asset.pool}", which the location does not declare`,
      );
    }
  }
  const schedules = (spec.schedules ?? []).map((schedule) => parseSchedule(graph, schedule));
  const names = schedules.map((schedule) => schedule.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) throw new DefinitionError(`schedule "${repeated}" is defined twice`);
  return {
    name: spec.name,
    graph,
    pools,
    resources: spec.resources,
    schedules,
    warehouseUrl: spec.warehouseUrl ?? null,
    standIns: spec.standIns ?? [],
    commands: checkCommands(spec.commands ?? []),
  };
}

function parseSchedule<R>(
  graph: AssetGraph<R>,
  schedule: z.input<typeof scheduleSchema>,
): ScheduleDefinition {
  const where = `schedule "${schedule.name}"`;
  const parsed = scheduleSchema.safeParse(schedule);
  if (!parsed.success) throw new DefinitionError(describeIssues(where, parsed.error));
  try {
    resolveSelection(graph, parsed.data.selection);
  } catch (error) {
    throw new DefinitionError(`${where}: selection: ${errorMessage(error)}`);
  }
  return parsed.data;
}

/** Pool sizes of a location with VITRINA_POOLS applied; an override of an unknown pool is a mistake. */
export function poolSizes(location: Location, overrides: Record<string, number>): Record<string, number> {
  for (const name of Object.keys(overrides)) {
    if (!(name in location.pools)) {
      const known = Object.keys(location.pools).join(', ') || 'none';
      throw new ConfigError(`VITRINA_POOLS: unknown pool "${name}" (pools of ${location.name}: ${known})`);
    }
  }
  return { ...location.pools, ...overrides };
}

/** Imports the module named by VITRINA_DEFINITIONS; its default export must be a Location. */
export async function loadLocation(modulePath: string, cwd = process.cwd()): Promise<Location> {
  const file = isAbsolute(modulePath) ? modulePath : resolve(cwd, modulePath);
  if (!existsSync(file)) throw new ConfigError(`VITRINA_DEFINITIONS: no module at ${file}`);
  const module: { default?: unknown } = await import(pathToFileURL(file).href);
  const location = module.default;
  if (!isLocation(location)) {
    throw new ConfigError(`VITRINA_DEFINITIONS: ${file} must export default defineLocation(…)`);
  }
  return location;
}

function isLocation(value: unknown): value is Location {
  return (
    typeof value === 'object' &&
    value !== null &&
    'graph' in value &&
    value.graph instanceof AssetGraph &&
    'resources' in value
  );
}
