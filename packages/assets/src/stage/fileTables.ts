import {
  type Asset,
  addDays,
  type MaterializeContext,
  type MaterializeResult,
  type RewrittenPartition,
} from '@vitrina/core';
import { ensureTable, inBatches, type LoadResult, loadValidated, tableVersion } from '@vitrina/io';
import type { FileEncoding } from '../config.ts';
import type { WarehouseResources } from '../resources.ts';
import {
  type Column,
  type RowRule,
  rowSchema,
  type StageTableShape,
  UNREADABLE,
  type Unreadable,
} from './columns.ts';
import { guardedLoad } from './delivery.ts';
import { type LocalFile, listFiles, MissingFileError, withFile } from './fileSource.ts';
import { loadMetadata, loadOutcome } from './loadOutcome.ts';
import { stageAsset } from './stageAsset.ts';

/**
 * One parsed record of a file, with where it stood (line or row) for the quarantine; a record its
 * reader could not read carries the reason under UNREADABLE (and the raw line).
 */
export type FileRecord = Record<string, unknown> & { [UNREADABLE]?: Unreadable };

/** How the io readers show a byte the encoding does not define: `\xC3`. */
const shownByte = /\\x[0-9A-F]{2}/;

/**
 * A record the reader could not decode (`problem`), quarantined with its raw text under the
 * fields that hold the undecodable bytes.
 */
export function unreadable(
  line: number,
  raw: string,
  problem: string,
  fields: Record<string, string> | null,
): FileRecord {
  const columns = Object.entries(fields ?? {})
    .filter(([, value]) => shownByte.test(value))
    .map(([name]) => name);
  return {
    line,
    raw,
    [UNREADABLE]: { reason: problem, ...(columns.length ? { column: columns.join(', ') } : {}) },
  };
}

export interface FileTable {
  key: string;
  description: string;
  /** Stage column → type, in order; `file_name` and `line` (and `day` for daily files) come first. */
  columns: Record<string, Column>;
  /** Checks over several columns of a record. */
  rules?: readonly RowRule[];
  /**
   * The encoding a text file is delivered in (UTF-8 unless declared; VITRINA_FILE_ENCODINGS
   * overrides it per asset). Bytes invalid in it quarantine their record.
   */
  encoding?: FileEncoding;
  /** Reads a file's records; the keys are the stage columns (before validation). */
  parse: (file: LocalFile, context: { day: string; encoding: FileEncoding }) => AsyncIterable<FileRecord>;
  ddlExtra?: string;
  /**
   * A line repeated with every value equal and this key (a partner's export that wrote it twice)
   * is quarantined as a duplicate, whatever line it is on.
   */
  deduplicateBy?: readonly string[];
}

/** A file delivered once a day, named by its day. */
export type DailyFileTable = FileTable & { name: (day: string) => string };
/** Every file of a folder, each loaded once. */
export type FileSetTable = FileTable & { folder: string };

/** The file's name in every record, so a quarantined one says which file it came from. */
async function* named(
  records: AsyncIterable<readonly FileRecord[]>,
  name: string,
): AsyncGenerator<readonly FileRecord[]> {
  try {
    for await (const batch of records) {
      for (const record of batch) record.file_name = name;
      yield batch;
    }
  } catch (error) {
    // A file that cannot be parsed at all (an unclosed quote) is named, whatever the parser said.
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(message.includes(name) ? message : `${name}: ${message}`, { cause: error });
  }
}

function ddlOf(table: FileTable, daily: boolean): string {
  const columns = Object.entries(table.columns).map(([name, column]) => `${name} ${column.pgType}`);
  const head = daily ? ['day date not null', 'file_name text not null'] : ['file_name text not null'];
  return `create table ${table.key} (\n  ${[...head, ...columns].join(',\n  ')}\n)${table.ddlExtra ?? ''}`;
}

/** The stage table of a daily file or a file set as created, with the columns its records are validated with. */
export function fileTableShape(table: FileTable, daily: boolean): StageTableShape {
  return {
    key: table.key,
    ddl: ddlOf(table, daily),
    columns: table.columns,
    unvalidated: daily ? ['day', 'file_name'] : ['file_name'],
  };
}

async function loadedChecksum(
  resources: WarehouseResources,
  asset: string,
  name: string,
): Promise<string | null> {
  const { rows } = await resources.warehouse.query<{ sha256: string }>(
    'select sha256 from stage.loaded_files where asset = $1 and name = $2',
    [asset, name],
  );
  return rows[0]?.sha256 ?? null;
}

async function recordLoadedFile(
  resources: WarehouseResources,
  asset: string,
  file: LocalFile,
  rows: number,
  runId: string,
): Promise<void> {
  await resources.warehouse.query(
    `insert into stage.loaded_files (asset, name, sha256, bytes, rows, run_id) values ($1, $2, $3, $4, $5, $6)
     on conflict (asset, name) do update set sha256 = excluded.sha256, bytes = excluded.bytes, rows = excluded.rows,
       run_id = excluded.run_id, loaded_at = now()`,
    [asset, file.name, file.sha256, file.bytes, rows, runId],
  );
}

/** Replaces one partition of the table with a file's validated rows and records the file as loaded. */
type FileLoad = (file: LocalFile, partition: string) => Promise<LoadResult>;

/**
 * The stage asset of a file table, partitioned by `day` (a daily file) or by `file_name` (a file
 * set); `materialize` decides which files to load and loads each with `load`.
 */
function fileAsset(
  table: FileTable,
  partitionColumn: 'day' | 'file_name',
  start: string,
  materialize: (ctx: MaterializeContext<WarehouseResources>, load: FileLoad) => Promise<MaterializeResult>,
): Asset<WarehouseResources> {
  const daily = partitionColumn === 'day';
  const ddl = ddlOf(table, daily);
  const schema = rowSchema(table.columns, table.rules);
  const columns = [...(daily ? ['day'] : []), 'file_name', ...Object.keys(table.columns)];
  return stageAsset({
    key: table.key,
    description: table.description,
    deps: [`source.files.${table.key.split('.')[1]}`],
    start,
    pool: 'files',
    sql: ddl,
    materialize: async (ctx) => {
      const { resources, runId, signal } = ctx;
      await ensureTable(resources.warehouse, table.key, ddl);
      const encoding = resources.config.VITRINA_FILE_ENCODINGS.get(table.key) ?? table.encoding ?? 'utf-8';
      const load: FileLoad = async (file, partition) => {
        const leading = daily ? [partition, file.name] : [file.name];
        const records = table.parse(file, { day: daily ? partition : '', encoding });
        const delivery = {
          config: resources.config,
          asset: table.key,
          partition: ctx.partition,
          target: partition,
          source: file.name,
          log: ctx.log,
        };
        // Every file brings rows: an empty one, or one whose every line is refused, is a broken delivery.
        const result = await guardedLoad(delivery, { allowEmpty: false }, (guard) =>
          loadValidated({
            pool: resources.warehouse,
            rows: named(inBatches(records, 2000), file.name),
            schema,
            toValues: (values) => [...leading, ...values],
            target: { table: table.key, columns, partition: { column: partitionColumn, value: partition } },
            quarantine: { source: 'files', asset: table.key, partition, runId },
            ...(table.deduplicateBy
              ? { deduplicateBy: table.deduplicateBy, deduplicateIgnoring: ['line'] }
              : {}),
            signal,
            guard,
          }),
        );
        await recordLoadedFile(resources, table.key, file, result.loaded, runId);
        return result;
      };
      return materialize(ctx, load);
    },
  });
}

/** A file delivered once a day (`name(day)`), loaded into that day's partition. */
export function dailyFile(table: DailyFileTable, start: string): Asset<WarehouseResources> {
  return fileAsset(table, 'day', start, async ({ resources, partition, log }, load) => {
    const own = await withFile(resources.files, table.name(partition), async (file) => ({
      file,
      result: await load(file, partition),
    }));
    // A file of the lookback window delivered again with other content replaces its day.
    const rewrote: RewrittenPartition[] = [];
    const lookback = resources.config.VITRINA_LOOKBACK_DAYS;
    for (let back = lookback; back >= 1; back--) {
      const day = addDays(partition, -back);
      const name = table.name(day);
      const loaded = await loadedChecksum(resources, table.key, name);
      if (day < start || loaded === null) continue;
      const again = await withFile(resources.files, name, async (file) =>
        file.sha256 === loaded ? null : { file, result: await load(file, day) },
      ).catch((error: unknown) => {
        if (error instanceof MissingFileError) return null;
        throw error;
      });
      if (!again) continue;
      log(`${name} was delivered again with other content: day ${day} reloaded`);
      rewrote.push({
        ...again.result.partitions[0]!,
        metadata: loadMetadata(again.result, { file: name, sha256: again.file.sha256 }),
      });
    }
    const { file } = own;
    return {
      ...loadOutcome(own.result, { file: file.name, sha256: file.sha256, bytes: file.bytes }, partition),
      rewrote,
    };
  });
}

/**
 * Every file of a folder, each loaded once: a file whose name and checksum were loaded before is
 * skipped, a re-delivered changed file replaces its earlier rows. A day's step looks for what was
 * delivered up to its run.
 */
export function fileSet(table: FileSetTable, start: string): Asset<WarehouseResources> {
  return fileAsset(table, 'file_name', start, async ({ resources, log }, load) => {
    const db = resources.warehouse;
    const known = new Map(
      (
        await db.query<{ name: string; sha256: string }>(
          'select name, sha256 from stage.loaded_files where asset = $1',
          [table.key],
        )
      ).rows.map((row) => [row.name, row.sha256]),
    );
    const totals = { read: 0, loaded: 0, quarantined: 0, files: 0, skipped: 0 };
    for (const name of await listFiles(resources.files, table.folder)) {
      await withFile(resources.files, name, async (file) => {
        if (known.get(name) === file.sha256) {
          totals.skipped++;
          return;
        }
        const result = await load(file, name);
        log(
          `${name}: ${result.loaded} rows loaded, ${result.quarantined} quarantined${known.has(name) ? ' (re-delivered, replaced)' : ''}`,
        );
        totals.read += result.read;
        totals.loaded += result.loaded;
        totals.quarantined += result.quarantined;
        totals.files++;
      });
    }
    const version = await tableVersion(db, table.key);
    return { rows: version.rows, dataVersion: version.dataVersion, metadata: totals };
  });
}
