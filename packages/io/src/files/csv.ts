import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import {
  describeInvalidBytes,
  hasInvalidBytes,
  invalidBytesOf,
  StreamDecoder,
  showInvalidBytes,
  type TextEncoding,
} from './text.ts';

export interface CsvRecord {
  /** The line the record starts on (from 1, the header being line 1). */
  line: number;
  record: Record<string, string>;
  /** The record's text as delivered, without its line ending; invalid bytes shown as `\xC3`. */
  raw: string;
  /**
   * Set when the record holds bytes the encoding does not define ("byte 0xC3 at column 17 is not
   * valid UTF-8"): its fields show them as `\xC3`; quarantine the record rather than load it.
   */
  problem?: string;
}

export interface CsvOptions {
  delimiter?: string;
  /** How the file's bytes are decoded: UTF-8 (a byte order mark is dropped) unless stated. */
  encoding?: TextEncoding;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The input's bytes, without a UTF-8 byte order mark. */
async function* asBytes(input: AsyncIterable<Buffer | string>, encoding: TextEncoding) {
  let first = true;
  for await (const chunk of input) {
    if (typeof chunk === 'string' && encoding !== 'utf-8')
      throw new Error(`a ${encoding} CSV must be read as bytes, not text`);
    let bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (first && bytes.length > 0) {
      if (encoding === 'utf-8' && bytes.subarray(0, 3).equals(UTF8_BOM)) bytes = bytes.subarray(3);
      first = false;
    }
    yield bytes;
  }
}

const nonAscii = /[\u0080-\uffff]/;

/**
 * Streams a CSV file's records as objects keyed by the header row. Lines may end in LF or CRLF,
 * mixed within one file. A line with the wrong number of fields is still yielded (missing fields
 * absent, extra ones under `_extra`), and so is one with bytes invalid in the encoding (with
 * `problem`), so validation can quarantine it with the line number instead of the whole file failing.
 */
export async function* readCsv(
  input: Readable | AsyncIterable<Buffer | string>,
  options: CsvOptions = {},
): AsyncGenerator<CsvRecord> {
  const encoding = options.encoding ?? 'utf-8';
  const decoder = new StreamDecoder(encoding);
  const decode = (latin1: string) =>
    nonAscii.test(latin1) ? decoder.decode(Buffer.from(latin1, 'latin1'), true) : latin1;
  // The parser reads the bytes as latin1, one character per byte: it splits fields on the delimiter,
  // quote and line-ending bytes (ASCII, never inside a UTF-8 or windows-1251 character), and each
  // field is decoded afterwards with its invalid bytes located exactly.
  const parser = parse({
    encoding: 'latin1',
    columns: (header: string[]) => header.map((name) => showInvalidBytes(decode(name).trim())),
    delimiter: options.delimiter ?? ',',
    // Auto-detection takes the first line's ending for all: a CRLF file with LF lines merged rows.
    record_delimiter: ['\r\n', '\n'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
    raw: true,
  });
  const feeding = pipeline(Readable.from(asBytes(input, encoding)), parser).catch((error: Error) =>
    parser.destroy(error),
  );
  try {
    for await (const { record, info, raw } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
      raw: string;
    }>) {
      const bytes = raw.replace(/^[\r\n]+/, '').replace(/\r?\n$|\r$/, '');
      const line = info.lines - (bytes.match(/\n/g)?.length ?? 0);
      if (!nonAscii.test(bytes)) {
        yield { line, record, raw: bytes };
        continue;
      }
      const text = decode(bytes);
      const fields: Record<string, string> = {};
      for (const [name, value] of Object.entries(record))
        fields[name] = typeof value === 'string' ? showInvalidBytes(decode(value)) : value;
      if (!hasInvalidBytes(text)) {
        yield { line, record: fields, raw: text };
        continue;
      }
      yield {
        line,
        record: fields,
        raw: showInvalidBytes(text),
        problem: describeInvalidBytes(invalidBytesOf(text, line), encoding, line),
      };
    }
  } finally {
    parser.destroy();
    await feeding;
  }
}
