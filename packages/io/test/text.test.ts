import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CsvOptions, decodeText, readCsv, readLines, type TextEncoding } from '../src/index.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitrina-text-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bytes as a stream of chunks of `size` bytes, so characters and line endings split between chunks. */
const chunked = (bytes: Buffer, size: number) =>
  Readable.from(
    Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
      bytes.subarray(i * size, (i + 1) * size),
    ),
  );

async function csv(input: Readable, options: CsvOptions = {}) {
  const rows = [];
  for await (const row of readCsv(input, options)) rows.push(row);
  return rows;
}

/** windows-1251 bytes of a text (Cyrillic letters and ASCII only). */
function cp1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((char) => {
      const code = char.codePointAt(0)!;
      if (code < 0x80) return code;
      if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
      if (char === 'ё') return 0xb8;
      if (char === 'Ё') return 0xa8;
      throw new Error(`no windows-1251 byte for ${char}`);
    }),
  );
}

describe('readCsv', () => {
  it('reads records with line numbers and raw text, keeping broken lines for validation to judge', async () => {
    const text =
      '\ufeffdate,partner,amount\n2026-01-01,Евроопт,"12,50"\n2026-01-01,Green\n2026-01-02,"Hippo ""Mall""",7.10\n';
    expect(await csv(Readable.from([text]))).toEqual([
      {
        line: 2,
        record: { date: '2026-01-01', partner: 'Евроопт', amount: '12,50' },
        raw: '2026-01-01,Евроопт,"12,50"',
      },
      { line: 3, record: { date: '2026-01-01', partner: 'Green' }, raw: '2026-01-01,Green' },
      {
        line: 4,
        record: { date: '2026-01-02', partner: 'Hippo "Mall"', amount: '7.10' },
        raw: '2026-01-02,"Hippo ""Mall""",7.10',
      },
    ]);
  });

  it('reads every row of a file mixing CRLF and LF line endings, wherever the chunks split', async () => {
    const bytes = Buffer.from(
      'day;amount\r\n2026-01-01;1\r\n2026-01-02;2\n2026-01-03;3\r\n2026-01-04;"4\n4"\n2026-01-05;5',
    );
    for (const size of [1, 2, 3, 7, bytes.length]) {
      const rows = await csv(chunked(bytes, size), { delimiter: ';' });
      expect(
        rows.map((row) => [row.line, row.record.day, row.record.amount]),
        `chunks of ${size}`,
      ).toEqual([
        [2, '2026-01-01', '1'],
        [3, '2026-01-02', '2'],
        [4, '2026-01-03', '3'],
        [5, '2026-01-04', '4\n4'],
        [7, '2026-01-05', '5'],
      ]);
    }
  });

  it('decodes UTF-8 split between chunks and windows-1251, and drops a UTF-8 byte order mark', async () => {
    const text = 'город;сумма\nМинск;12,50\nГомель;Ёлка\n';
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    const expected = [
      { line: 2, record: { город: 'Минск', сумма: '12,50' }, raw: 'Минск;12,50' },
      { line: 3, record: { город: 'Гомель', сумма: 'Ёлка' }, raw: 'Гомель;Ёлка' },
    ];
    for (const size of [1, 2, 5])
      expect(await csv(chunked(utf8, size), { delimiter: ';' })).toEqual(expected);
    expect(await csv(chunked(cp1251(text), 3), { delimiter: ';', encoding: 'windows-1251' })).toEqual(
      expected,
    );
  });

  it('marks a record with bytes invalid in the encoding instead of replacing them with U+FFFD', async () => {
    // "Café" written in Latin-1 (0xE9) into a UTF-8 file, and a lone UTF-8 lead byte 0xC3.
    const bytes = Buffer.concat([
      Buffer.from('name;city\nCaf'),
      Buffer.from([0xe9]),
      Buffer.from(';Минск\nok;Брест\nbad;Гродн'),
      Buffer.from([0xc3]),
      Buffer.from('\n'),
    ]);
    const rows = await csv(chunked(bytes, 4), { delimiter: ';' });
    expect(rows).toEqual([
      {
        line: 2,
        record: { name: 'Caf\\xE9', city: 'Минск' },
        raw: 'Caf\\xE9;Минск',
        problem: 'byte 0xE9 at column 4 is not valid UTF-8',
      },
      { line: 3, record: { name: 'ok', city: 'Брест' }, raw: 'ok;Брест' },
      {
        line: 4,
        record: { name: 'bad', city: 'Гродн\\xC3' },
        raw: 'bad;Гродн\\xC3',
        problem: 'byte 0xC3 at column 10 is not valid UTF-8',
      },
    ]);
    expect(JSON.stringify(rows)).not.toContain('\ufffd');
    // 0x98 is the one byte windows-1251 leaves undefined.
    const cyrillic = Buffer.concat([cp1251('a;b\nМинск;'), Buffer.from([0x98]), cp1251('x\n')]);
    expect(await csv(Readable.from([cyrillic]), { delimiter: ';', encoding: 'windows-1251' })).toEqual([
      {
        line: 2,
        record: { a: 'Минск', b: '\\x98x' },
        raw: 'Минск;\\x98x',
        problem: 'byte 0x98 at column 7 is not defined in windows-1251',
      },
    ]);
  });

  it('fails, rather than hangs, when the input fails', async () => {
    await expect(csv(createReadStream(join(dir, 'missing.csv')))).rejects.toThrow(/ENOENT/);
  });
});

describe('readLines and decodeText', () => {
  const lines = async (input: Readable, encoding?: TextEncoding) => {
    const found = [];
    for await (const line of readLines(input, encoding ? { encoding } : {})) found.push(line);
    return found;
  };

  it('streams lines ending in LF or CRLF with their numbers, and marks invalid bytes', async () => {
    const bytes = Buffer.concat([
      Buffer.from('\ufeff2026-01-05T10:00:00+03:00 INFO [event] name=click\r\n\nнорма\r\nпл'),
      Buffer.from([0xff, 0xd0]),
      Buffer.from('хо\n'),
      Buffer.from('последняя'),
    ]);
    const expected = [
      {
        line: 1,
        text: '2026-01-05T10:00:00+03:00 INFO [event] name=click',
        raw: '2026-01-05T10:00:00+03:00 INFO [event] name=click',
      },
      { line: 2, text: '', raw: '' },
      { line: 3, text: 'норма', raw: 'норма' },
      {
        line: 4,
        text: 'пл\\xFF\\xD0хо',
        raw: 'пл\\xFF\\xD0хо',
        problem: 'byte 0xFF at column 3 is not valid UTF-8 (and 1 more invalid byte)',
      },
      { line: 5, text: 'последняя', raw: 'последняя' },
    ];
    for (const size of [1, 3, bytes.length]) expect(await lines(chunked(bytes, size))).toEqual(expected);
    expect(await lines(Readable.from([cp1251('строка\r\nещё')]), 'windows-1251')).toEqual([
      { line: 1, text: 'строка', raw: 'строка' },
      { line: 2, text: 'ещё', raw: 'ещё' },
    ]);
  });

  it('decodes a whole file, listing each invalid byte by line and column', () => {
    const bytes = Buffer.concat([
      Buffer.from('\ufeffодин\nдва'),
      Buffer.from([0xc3]),
      Buffer.from('\n'),
      Buffer.from([0xe2, 0x82]),
      Buffer.from(' €'),
    ]);
    expect(decodeText(bytes)).toEqual({
      text: 'один\nдва\\xC3\n\\xE2\\x82 €',
      problems: [
        { line: 2, column: 4, byte: 0xc3 },
        { line: 3, column: 1, byte: 0xe2 },
        { line: 3, column: 2, byte: 0x82 },
      ],
    });
    expect(decodeText(Buffer.from('ok 😀'))).toEqual({ text: 'ok 😀', problems: [] });
    expect(decodeText(cp1251('Минск'), 'windows-1251')).toEqual({ text: 'Минск', problems: [] });
    expect(() => decodeText(Buffer.from('x'), 'latin1' as TextEncoding)).toThrow(
      /unsupported encoding "latin1"/,
    );
  });
});
