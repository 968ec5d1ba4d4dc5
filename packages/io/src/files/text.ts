import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';

export type TextEncoding = 'utf-8' | 'windows-1251';

/**
 * A byte the declared encoding does not define is decoded as the lone low surrogate U+DC00 + byte
 * (Python's "surrogateescape"): it passes through a parser untouched, is found again afterwards,
 * and is shown as `\xC3` — never turned into U+FFFD in silence. Valid text never holds a lone low
 * surrogate: a valid four-byte sequence decodes into a high surrogate followed by a low one.
 */
const ESCAPE_BASE = 0xdc00;
const escapedByte = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/g;
const anyEscaped = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;

/** A byte of a line that the encoding does not define; column counts characters from 1. */
export interface InvalidByte {
  line: number;
  column: number;
  byte: number;
}

const hex = (byte: number) => byte.toString(16).toUpperCase().padStart(2, '0');

/** Decodes a byte stream chunk by chunk, keeping a character split between chunks for the next. */
export class StreamDecoder {
  /** Invalid bytes met so far: while 0, no decoded text needs scanning for them. */
  invalidBytes = 0;
  private pending: Buffer = Buffer.alloc(0);
  private readonly single: TextDecoder | null;

  constructor(readonly encoding: TextEncoding) {
    if (encoding !== 'utf-8' && encoding !== 'windows-1251')
      throw new Error(`unsupported encoding "${String(encoding)}": use utf-8 or windows-1251`);
    this.single = encoding === 'windows-1251' ? new TextDecoder('windows-1251') : null;
  }

  decode(chunk: Buffer, final = false): string {
    if (this.single) return this.decodeSingleByte(chunk);
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const cut = final ? data.length : completeLength(data);
    this.pending = Buffer.from(data.subarray(cut));
    const complete = data.subarray(0, cut);
    return isUtf8(complete) ? complete.toString('utf8') : this.decodeInvalidUtf8(complete);
  }

  /** What a `decode` call ends with: bytes of a sequence the stream cut short. */
  end(): string {
    return this.pending.length ? this.decode(Buffer.alloc(0), true) : '';
  }

  /** windows-1251 defines every byte but 0x98 (WHATWG's table maps it to U+0098; Windows does not). */
  private decodeSingleByte(chunk: Buffer): string {
    const decoder = this.single!;
    if (chunk.indexOf(0x98) < 0) return decoder.decode(chunk);
    let text = '';
    let from = 0;
    for (let at = chunk.indexOf(0x98); at >= 0; at = chunk.indexOf(0x98, at + 1)) {
      text += decoder.decode(chunk.subarray(from, at)) + String.fromCharCode(ESCAPE_BASE + 0x98);
      this.invalidBytes++;
      from = at + 1;
    }
    return text + decoder.decode(chunk.subarray(from));
  }

  private decodeInvalidUtf8(bytes: Buffer): string {
    let text = '';
    let run = 0;
    for (let at = 0; at < bytes.length; ) {
      const length = validSequenceLength(bytes, at);
      if (length > 0) {
        at += length;
        continue;
      }
      text += bytes.toString('utf8', run, at) + String.fromCharCode(ESCAPE_BASE + bytes[at]!);
      this.invalidBytes++;
      at++;
      run = at;
    }
    return text + bytes.toString('utf8', run);
  }
}

/** The length of the valid UTF-8 sequence starting at `at`, or 0 if the byte there starts none. */
function validSequenceLength(bytes: Buffer, at: number): number {
  const first = bytes[at]!;
  if (first < 0x80) return 1;
  const continuation = (offset: number, low = 0x80, high = 0xbf) => {
    const byte = bytes[at + offset];
    return byte !== undefined && byte >= low && byte <= high;
  };
  if (first >= 0xc2 && first <= 0xdf) return continuation(1) ? 2 : 0;
  if (first >= 0xe0 && first <= 0xef) {
    const low = first === 0xe0 ? 0xa0 : 0x80;
    const high = first === 0xed ? 0x9f : 0xbf;
    return continuation(1, low, high) && continuation(2) ? 3 : 0;
  }
  if (first >= 0xf0 && first <= 0xf4) {
    const low = first === 0xf0 ? 0x90 : 0x80;
    const high = first === 0xf4 ? 0x8f : 0xbf;
    return continuation(1, low, high) && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}

/** How much of `data` ends on a character boundary: a lead byte near the end may await the rest. */
function completeLength(data: Buffer): number {
  for (let back = 1; back <= Math.min(3, data.length); back++) {
    const byte = data[data.length - back]!;
    if (byte < 0x80) return data.length;
    if (byte >= 0xc0) {
      const needs = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return needs > back ? data.length - back : data.length;
    }
  }
  return data.length;
}

/** Whether decoded text holds an invalid byte. */
export function hasInvalidBytes(text: string): boolean {
  return anyEscaped.test(text);
}

/** Decoded text with its invalid bytes shown as `\xC3`. */
export function showInvalidBytes(text: string): string {
  return text.replace(escapedByte, (char) => `\\x${hex(char.charCodeAt(0) - ESCAPE_BASE)}`);
}

/** The invalid bytes of decoded text, by line (from `firstLine`) and column (from 1). */
export function invalidBytesOf(text: string, firstLine = 1): InvalidByte[] {
  const found: InvalidByte[] = [];
  let line = firstLine;
  let lineStart = 0;
  for (const match of text.matchAll(/\n|(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/g)) {
    const index = match.index;
    if (match[0] === '\n') {
      line++;
      lineStart = index + 1;
    } else {
      found.push({ line, column: index - lineStart + 1, byte: match[0].charCodeAt(0) - ESCAPE_BASE });
    }
  }
  return found;
}

/** "byte 0xC3 at column 17 is not valid UTF-8", and how many more there are. */
export function describeInvalidBytes(
  found: readonly InvalidByte[],
  encoding: TextEncoding,
  line?: number,
): string {
  const first = found[0]!;
  const where = line !== undefined && first.line !== line ? `line ${first.line}, column` : 'column';
  const name = encoding === 'utf-8' ? 'valid UTF-8' : 'defined in windows-1251';
  const more =
    found.length > 1 ? ` (and ${found.length - 1} more invalid byte${found.length > 2 ? 's' : ''})` : '';
  return `byte 0x${hex(first.byte)} at ${where} ${first.column} is not ${name}${more}`;
}

/**
 * Decodes a whole text file. Invalid bytes come back shown as `\xC3` in `text` and listed in
 * `problems`; a UTF-8 byte order mark is dropped.
 */
export function decodeText(
  bytes: Buffer,
  encoding: TextEncoding = 'utf-8',
): { text: string; problems: InvalidByte[] } {
  const decoder = new StreamDecoder(encoding);
  let text = decoder.decode(bytes, true);
  if (encoding === 'utf-8' && text.startsWith('\ufeff')) text = text.slice(1);
  if (decoder.invalidBytes === 0) return { text, problems: [] };
  return { text: showInvalidBytes(text), problems: invalidBytesOf(text) };
}

export interface TextLine {
  /** From 1. */
  line: number;
  /** The line without its line ending; invalid bytes shown as `\xC3` (then equal to `raw`). */
  text: string;
  /** The line as delivered, invalid bytes shown as `\xC3`. */
  raw: string;
  /** Set when the line holds bytes the encoding does not define: quarantine it rather than read it. */
  problem?: string;
}

/**
 * Streams the lines of a text file (LF or CRLF, mixed too; a lone CR stays in the line), decoding
 * as it reads. A line with bytes invalid in the encoding is yielded with `problem` saying which and
 * where. A UTF-8 byte order mark is dropped.
 */
export async function* readLines(
  input: Readable | AsyncIterable<Buffer | string>,
  options: { encoding?: TextEncoding } = {},
): AsyncGenerator<TextLine> {
  const encoding = options.encoding ?? 'utf-8';
  const decoder = new StreamDecoder(encoding);
  let line = 0;
  let rest = '';
  let atStart = encoding === 'utf-8';
  const make = (text: string): TextLine => {
    line++;
    const content = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (decoder.invalidBytes === 0 || !hasInvalidBytes(content)) return { line, text: content, raw: content };
    const shown = showInvalidBytes(content);
    return {
      line,
      text: shown,
      raw: shown,
      problem: describeInvalidBytes(invalidBytesOf(content, line), encoding, line),
    };
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    let text = rest + (typeof chunk === 'string' ? chunk : decoder.decode(chunk));
    if (atStart && text !== '') {
      if (text.startsWith('\ufeff')) text = text.slice(1);
      atStart = false;
    }
    const lines = text.split('\n');
    rest = lines.pop()!;
    for (const content of lines) yield make(content);
  }
  rest += decoder.end();
  if (rest !== '') yield make(rest);
}
