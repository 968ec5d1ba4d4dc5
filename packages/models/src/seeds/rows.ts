import { createReadStream } from 'node:fs';
import { readCsv, readLines, type TextEncoding } from '@vitrina/io/text';
import { displayPath, type SeedConfig } from './config.ts';

/** A seed that cannot be loaded as it is: the message names the file, and the line and column when known. */
export class SeedError extends Error {
  override name = 'SeedError';
}

export interface SeedRow {
  /** The line the row starts on (the header is line 1). */
  line: number;
  /** In header order; an empty field is null. */
  values: Array<string | null>;
}

export interface SeedFile {
  /** The file as messages name it. */
  shown: string;
  header: string[];
  /** Streams the rows; each pass reads the file again. `onBytes` sees every byte read. */
  rows: (onBytes?: (chunk: Buffer) => void) => AsyncGenerator<SeedRow>;
}

const identifier = /^[a-z_][a-z0-9_]*$/;
const MAX_IDENTIFIER = 63;

/**
 * Opens a seed: reads and checks its header (lower-case identifiers, none repeated) and fails on a
 * file with no header. Rows are checked as they stream: bytes the encoding does not define, a field
 * count other than the header's, and NUL (which PostgreSQL text cannot hold) each fail naming the line.
 */
export async function openSeed(file: string, config: SeedConfig): Promise<SeedFile> {
  const shown = displayPath(file);
  const encoding: TextEncoding = config.encoding ?? 'utf-8';
  const delimiter = config.delimiter ?? ',';
  const header = await readHeader(file, shown, encoding, delimiter);
  async function* rows(onBytes?: (chunk: Buffer) => void): AsyncGenerator<SeedRow> {
    let count = 0;
    try {
      for await (const { line, record, raw, problem } of readCsv(bytesOf(file, onBytes), {
        encoding,
        delimiter,
      })) {
        if (problem) throw new SeedError(`${shown} line ${line}: ${problem}`);
        const fields = splitFields(raw, delimiter).length;
        if (fields !== header.length)
          throw new SeedError(
            `${shown} line ${line}: ${fields} field${fields === 1 ? '' : 's'} where the header has ${header.length}`,
          );
        const values = header.map((name) => {
          const value = record[name] ?? '';
          if (value.includes('\u0000'))
            throw new SeedError(
              `${shown} line ${line}, column ${name}: contains NUL (0x00), which PostgreSQL cannot store`,
            );
          return value === '' ? null : value;
        });
        count++;
        yield { line, values };
      }
    } catch (error) {
      if (error instanceof SeedError) throw error;
      throw new SeedError(`${shown}: ${(error as Error).message}`, { cause: error });
    }
    if (count === 0) throw new SeedError(`${shown}: the seed is empty: it has a header but no rows`);
  }
  return { shown, header, rows };
}

async function* bytesOf(file: string, onBytes?: (chunk: Buffer) => void): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(file)) {
    onBytes?.(chunk as Buffer);
    yield chunk as Buffer;
  }
}

async function readHeader(
  file: string,
  shown: string,
  encoding: TextEncoding,
  delimiter: string,
): Promise<string[]> {
  let first: { text: string; problem?: string } | undefined;
  try {
    for await (const line of readLines(createReadStream(file), { encoding })) {
      first = line;
      break;
    }
  } catch (error) {
    throw new SeedError(`${shown}: ${(error as Error).message}`, { cause: error });
  }
  if (!first) throw new SeedError(`${shown}: the seed is empty: the file has not even a header row`);
  if (first.text.trim() === '') throw new SeedError(`${shown} line 1: empty, where the header row belongs`);
  if (first.problem) throw new SeedError(`${shown} line 1: ${first.problem}`);
  const names = splitFields(first.text, delimiter).map((name) => name.trim());
  const invalid = names.flatMap((name, index) =>
    identifier.test(name) && name.length <= MAX_IDENTIFIER
      ? []
      : [name === '' ? `column ${index + 1} has no name` : `"${name}"`],
  );
  if (invalid.length > 0)
    throw new SeedError(
      `${shown} line 1: column names must be lower-case identifiers (a-z, 0-9 and _, not starting ` +
        `with a digit, at most ${MAX_IDENTIFIER} characters): ${invalid.join(', ')}`,
    );
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (repeated.length > 0)
    throw new SeedError(
      `${shown} line 1: column ${[...new Set(repeated)].join(', ')} appears more than once`,
    );
  return names;
}

/**
 * The fields of one CSV record's text, quotes removed. readCsv silently drops fields beyond the
 * header's, and gives no header at all for a file without rows, so both are read here. A quote opens
 * a quoted field only at the field's start, as readCsv's relaxed quoting has it.
 */
export function splitFields(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let closed = false;
  let atStart = true;
  for (const char of text) {
    if (quoted) {
      if (char === '"') {
        quoted = false;
        closed = true;
      } else field += char;
      continue;
    }
    if (char === '"' && (atStart || closed)) {
      if (closed) field += '"'; // "" inside a quoted field
      quoted = true;
      closed = false;
      atStart = false;
      continue;
    }
    closed = false;
    if (char === delimiter) {
      fields.push(field);
      field = '';
      atStart = true;
      continue;
    }
    field += char;
    atStart = false;
  }
  fields.push(field);
  return fields;
}
