import { garbage, joinLines, linesOf, windows1251 } from './bytes.ts';
import type { Harness } from './harness.ts';
import { type CaseSpec, inboxCase, literally } from './spec.ts';

// Partners' daily CSV (stage.partner_sales): `;`-separated, a header, one line per store, decimal commas.

const ASSET = 'stage.partner_sales';
const FIELDS = [
  'sale_date',
  'partner_code',
  'store_code',
  'store_name',
  'city',
  'receipts_total',
  'turnover_total_byn',
  'receipts_app',
  'turnover_app_byn',
] as const;
type Field = (typeof FIELDS)[number];

/** A line of the file that was loaded as good (its index in the file's lines, the header being 0). */
async function goodLine(h: Harness): Promise<number> {
  const { rows } = await h.warehouse.query<{ line: number }>(
    'select min(line)::int as line from stage.partner_sales where day = $1',
    [h.day],
  );
  return rows[0]!.line - 1;
}

/** The good file with one field of one good line changed. */
const withField =
  (field: Field, change: (value: string) => string) =>
  async (good: Buffer, h: Harness): Promise<string> => {
    const lines = linesOf(good);
    const index = await goodLine(h);
    const fields = lines[index]!.split(';');
    fields[FIELDS.indexOf(field)] = change(fields[FIELDS.indexOf(field)]!);
    lines[index] = fields.join(';');
    return joinLines(lines);
  };

export function partnerSalesCases(day: string): CaseSpec[] {
  const name = `partner_sales/partner_sales_${day}.csv`;
  const file = new RegExp(literally(name));
  const csv = (
    label: string,
    what: string,
    spec: Omit<Parameters<typeof inboxCase>[0], 'name' | 'source' | 'asset' | 'file'>,
  ) =>
    inboxCase({
      name: `partner csv ${label}`,
      source: `${name}: ${what}`,
      asset: ASSET,
      file: () => name,
      ...spec,
    });
  const line = (field: Field) => new RegExp(`^${field}: `);
  return [
    csv(
      'truncated mid-line',
      'cut after 60 % of its bytes, in the middle of a line (an interrupted upload)',
      {
        expected: 'error',
        names: file,
        content: (good) => good.subarray(0, Math.floor(good.length * 0.6)),
      },
    ),
    csv('truncated in the header', 'only its first 40 bytes', {
      expected: 'error',
      names: file,
      content: (good) => good.subarray(0, 40),
    }),
    csv('binary garbage', '8 KB of random bytes under the CSV name', {
      expected: 'error',
      names: file,
      content: () => garbage(8192),
    }),
    csv('windows-1251 undeclared', 'the same file exported in Windows-1251, read as UTF-8', {
      expected: 'error',
      names: file,
      content: (good) => windows1251(good.toString('utf8')),
    }),
    csv(
      'windows-1251 declared',
      'in Windows-1251 with VITRINA_FILE_ENCODINGS=stage.partner_sales=windows-1251',
      {
        expected: 'accepted',
        sameRows: true,
        why: 'the declared encoding decodes every Cyrillic name: the same rows as the UTF-8 file',
        settings: { VITRINA_FILE_ENCODINGS: 'stage.partner_sales=windows-1251' },
        content: (good) => windows1251(good.toString('utf8')),
      },
    ),
    csv('byte order mark', 'a UTF-8 byte order mark before the header', {
      expected: 'accepted',
      sameRows: true,
      why: 'the byte order mark is dropped: the same rows as without it',
      content: (good) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), good]),
    }),
    csv('CRLF and LF mixed', 'every other line ending in CRLF', {
      expected: 'accepted',
      sameRows: true,
      why: 'LF and CRLF are both line endings: the same rows',
      content: (good) =>
        linesOf(good)
          .map((text, i) => `${text}${i % 2 === 0 ? '\r\n' : '\n'}`)
          .join(''),
    }),
    csv('wrong delimiter', 'commas instead of semicolons', {
      expected: 'error',
      names: file,
      content: (good) => good.toString('utf8').replaceAll(';', ','),
    }),
    csv('missing column', 'store_code left out of the header and every line', {
      expected: 'error',
      names: file,
      content: (good) =>
        joinLines(
          linesOf(good).map((text) =>
            text
              .split(';')
              .filter((_, i) => i !== FIELDS.indexOf('store_code'))
              .join(';'),
          ),
        ),
    }),
    csv('extra column', 'a tenth column, comment, after the nine', {
      expected: 'accepted',
      sameRows: true,
      why: 'columns are read by their header names; one more is ignored: the same rows',
      content: (good) => joinLines(linesOf(good).map((text, i) => `${text};${i === 0 ? 'comment' : 'ok'}`)),
    }),
    csv('header only', 'the header and no line', {
      expected: 'error',
      names: file,
      content: (good) => joinLines(linesOf(good).slice(0, 1)),
    }),
    csv('empty file', 'zero bytes', { expected: 'error', names: file, content: () => '' }),
    csv('not delivered', 'no file for the day', {
      expected: 'error',
      names: new RegExp(`${literally(name)} is missing in the inbox`),
      content: () => null,
    }),
    csv('NUL in a field', 'a NUL byte inside one store_name', {
      expected: 'quarantined',
      reason: line('store_name'),
      content: withField('store_name', (value) => `${value.slice(0, 4)}\u0000${value.slice(4)}`),
    }),
    csv(
      'oversized amount',
      'turnover_total_byn 123456789012345,67 (numeric(14,2) holds 12 digits before the comma)',
      {
        expected: 'quarantined',
        reason: line('turnover_total_byn'),
        content: withField('turnover_total_byn', () => '123456789012345,67'),
      },
    ),
    csv('count beyond int4', 'receipts_total 99999999999', {
      expected: 'quarantined',
      reason: line('receipts_total'),
      content: withField('receipts_total', () => '99999999999'),
    }),
    csv('impossible date', `sale_date ${day.slice(0, 5)}02-30 on one line`, {
      expected: 'quarantined',
      reason: line('sale_date'),
      content: withField('sale_date', () => `${day.slice(0, 5)}02-30`),
    }),
    csv('negative count', 'receipts_app -5', {
      expected: 'quarantined',
      reason: line('receipts_app'),
      content: withField('receipts_app', () => '-5'),
    }),
    csv('duplicate lines', 'its first three lines delivered twice (appended again at the end)', {
      expected: 'quarantined',
      reason: /twice|duplicate|same values/i,
      content: (good) => {
        const lines = linesOf(good);
        return joinLines([...lines, ...lines.slice(1, 4)]);
      },
    }),
    csv('very long line', 'one line of 2 MB without a delimiter among the others', {
      expected: 'quarantined',
      reason: /^(sale_date|partner_code|store_code|store_name|city|receipts_total): /,
      content: (good) => {
        const lines = linesOf(good);
        lines.splice(5, 0, 'x'.repeat(2 * 1024 * 1024));
        return joinLines(lines);
      },
    }),
    csv('unclosed quote', 'a store_name opening a quote that never closes', {
      expected: 'error',
      names: new RegExp(`${literally(name)}.*line \\d+`),
      content: withField('store_name', (value) => `"${value}`),
    }),
  ];
}
