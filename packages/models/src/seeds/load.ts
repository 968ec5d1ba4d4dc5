import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MaterializeResult } from '@vitrina/core';
import { columnTypes, encodeCopyLine, inTransaction, rowChecker } from '@vitrina/io/postgres';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { SeedConfig } from './config.ts';
import { columnsOfSeed, type SeedColumn } from './infer.ts';
import { openSeed, SeedError, type SeedFile } from './rows.ts';
import { prepareTable, quote, type SeedTable, setComments } from './table.ts';

export interface SeedLoad {
  file: string;
  target: SeedTable;
  description: string;
  config: SeedConfig;
}

const CHUNK = 65_536;

/**
 * Loads a seed in one transaction: the table brought to the seed's columns, its rows replaced by
 * `COPY … FROM STDIN` and its comments set. Any failure rolls it all back, so the table keeps what
 * it held.
 */
export async function loadSeed(
  pool: pg.Pool,
  load: SeedLoad,
  signal: AbortSignal,
  log: (message: string) => void,
): Promise<MaterializeResult> {
  const seed = await openSeed(load.file, load.config);
  const columns = await columnsOfSeed(seed, load.config);
  const hash = createHash('sha256').update(JSON.stringify(columns)).update('\u0000');
  const { rows, table } = await inTransaction(pool, async (client) => {
    const table = await prepareTable(client, load.target, columns, seed.shown);
    await setComments(client, load.target, load.description, columns);
    const rows = await copyRows(client, load.target, seed, columns, signal, (chunk) => hash.update(chunk));
    return { rows, table };
  });
  log(`${seed.shown}: ${rows} rows into ${load.target.schema}.${load.target.table} (table ${table.outcome})`);
  if (table.dropped.length > 0) log(`dropped with it, to materialise again: ${table.dropped.join(', ')}`);
  return {
    rows,
    // The table holds exactly what the file and its columns say: the same bytes, the same data.
    dataVersion: hash.digest('hex').slice(0, 16),
    metadata: {
      file: seed.shown,
      columns: Object.fromEntries(
        columns.map((column) => [column.name, `${column.type} (${column.source})`]),
      ),
      encoding: load.config.encoding ?? 'utf-8',
      ...(table.dropped.length > 0 ? { dropped: table.dropped.join(', ') } : {}),
    },
  };
}

/**
 * Streams the rows into the table. Each value is checked against its column's type first, so a bad
 * one fails naming the file's line and column rather than COPY's; what the check lets through and
 * PostgreSQL still refuses is translated from COPY's line back to the file's.
 */
async function copyRows(
  client: pg.PoolClient,
  target: SeedTable,
  seed: SeedFile,
  columns: readonly SeedColumn[],
  signal: AbortSignal,
  onBytes: (chunk: Buffer) => void,
): Promise<number> {
  const names = columns.map((column) => column.name);
  const checks = (await columnTypes(client, target.qualified, names)).map((type) => rowChecker([type]));
  /** The file's line of each row sent, by COPY's line number less one. */
  const lines: number[] = [];
  async function* chunks(): AsyncGenerator<string> {
    let buffer = '';
    for await (const { line, values } of seed.rows(onBytes)) {
      if (signal.aborted) throw signal.reason ?? new Error('aborted');
      for (let i = 0; i < values.length; i++) {
        const value = values[i];
        if (value !== null && value !== undefined && checks[i]!([value]))
          throw new SeedError(valueProblem(seed.shown, line, columns[i]!, value));
      }
      lines.push(line);
      buffer += encodeCopyLine(values);
      if (buffer.length >= CHUNK) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer) yield buffer;
  }
  const copy = client.query(copyFrom(`copy ${target.qualified} (${names.map(quote).join(', ')}) from stdin`));
  try {
    await pipeline(Readable.from(chunks()), copy);
  } catch (error) {
    throw translateCopyError(error, seed.shown, columns, lines);
  }
  return copy.rowCount;
}

/** "seeds/stations.csv line 7, column capacity: 'twelve' is not a bigint (declared)". */
function valueProblem(shown: string, line: number, column: SeedColumn, value: string, why = ''): string {
  const article = /^[aeiou]/i.test(column.type) ? 'an' : 'a';
  return `${shown} line ${line}, column ${column.name}: ${showValue(value)} is not ${article} ${column.type} (${column.source})${why}`;
}

function showValue(value: string): string {
  const text = value.length > 60 ? `${value.slice(0, 57)}…` : value;
  return `'${text.replace(/\r?\n/g, '\\n')}'`;
}

/** COPY's context: `COPY stations, line 7, column capacity: "twelve"`. */
const copyContext = /COPY [^,]+, line (\d+)(?:, column ([a-z0-9_]+)(?:: "([\s\S]*)")?)?/;

function translateCopyError(
  error: unknown,
  shown: string,
  columns: readonly SeedColumn[],
  lines: readonly number[],
): unknown {
  if (error instanceof SeedError) return error;
  const { message, where } = error as { message?: string; where?: string };
  const context = typeof where === 'string' ? copyContext.exec(where) : null;
  const line = context ? lines[Number(context[1]) - 1] : undefined;
  if (!context || line === undefined) return error;
  const column = columns.find((candidate) => candidate.name === context[2]);
  const text =
    column && context[3] !== undefined
      ? valueProblem(shown, line, column, context[3], `: ${message}`)
      : `${shown} line ${line}${context[2] ? `, column ${context[2]}` : ''}: ${message}`;
  return new SeedError(text, { cause: error });
}
