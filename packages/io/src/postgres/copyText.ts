/**
 * PostgreSQL's COPY text format: one line per row, tab-separated, `\N` for null, with backslash,
 * tab, newline and carriage return escaped, bytes as bytea's hex. Encoding feeds
 * `COPY … FROM STDIN`; decoding reads `COPY … TO STDOUT`.
 */
export type CopyValue = string | number | bigint | boolean | Date | null | undefined | object;

const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const special = /[\\\t\n\r]/;

function encodeValue(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string')
    return special.test(value) ? value.replace(/[\\\t\n\r]/g, (char) => escapes[char]!) : value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `\\\\x${Buffer.from(value).toString('hex')}`;
  if (typeof value === 'object') return encodeValue(JSON.stringify(value));
  return String(value);
}

export function encodeCopyLine(values: readonly CopyValue[]): string {
  let line = encodeValue(values[0]);
  for (let i = 1; i < values.length; i++) line += `\t${encodeValue(values[i])}`;
  return `${line}\n`;
}

const unescapes: Record<string, string> = {
  '\\': '\\',
  t: '\t',
  n: '\n',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
};

/** One line (without its newline) back into its fields; null stays null. */
export function decodeCopyLine(line: string): Array<string | null> {
  // In place: a million rows a load, and one array less for each to collect.
  const fields: Array<string | null> = line.split('\t');
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (field === '\\N') fields[i] = null;
    else if (field.includes('\\'))
      fields[i] = field.replace(/\\(.)/g, (_, char: string) => unescapes[char] ?? char);
  }
  return fields;
}
