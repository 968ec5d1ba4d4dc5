import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';

/**
 * Streams a CSV file's records as objects keyed by the header row. A line with the wrong number of
 * fields is still yielded (missing fields absent, extra ones under `_extra`), so validation can
 * quarantine it with the line number instead of the whole file failing.
 */
export async function* readCsv(
  input: Readable,
  options: { delimiter?: string } = {},
): AsyncGenerator<{ line: number; record: Record<string, string> }> {
  const parser = input.pipe(
    parse({
      columns: (header: string[]) => header.map((name) => name.trim()),
      delimiter: options.delimiter ?? ',',
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      bom: true,
      info: true,
    }),
  );
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    yield { line: info.lines, record };
  }
}

/**
 * Streams the rows of a workbook's first sheet as objects keyed by its header row, reading the
 * file as a stream (a multi-gigabyte export does not land in memory). A file that is not a valid
 * workbook fails with a message naming it.
 */
export async function* readExcel(
  path: string,
): AsyncGenerator<{ row: number; record: Record<string, unknown> }> {
  let reader: ExcelJS.stream.xlsx.WorkbookReader;
  try {
    reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
    });
  } catch (error) {
    throw new Error(`${path} is not a readable Excel workbook: ${(error as Error).message}`);
  }
  try {
    for await (const sheet of reader) {
      let header: string[] | null = null;
      for await (const row of sheet) {
        const values = (row.values as unknown[]).slice(1).map(cellValue);
        if (!header) {
          header = values.map((value) => String(value ?? '').trim());
          continue;
        }
        const record: Record<string, unknown> = {};
        header.forEach((name, index) => {
          if (name) record[name] = values[index] ?? null;
        });
        yield { row: row.number, record };
      }
      return; // the first sheet only
    }
  } catch (error) {
    throw new Error(`${path} is not a readable Excel workbook: ${(error as Error).message}`);
  }
}

/** Formula cells give their result, rich text its plain text, hyperlinks their text. */
function cellValue(value: unknown): unknown {
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const cell = value as { result?: unknown; richText?: Array<{ text: string }>; text?: unknown };
    if ('result' in cell) return cell.result;
    if (cell.richText) return cell.richText.map((part) => part.text).join('');
    if ('text' in cell) return cell.text;
  }
  return value;
}

/** The plain text of a DOCX document; a truncated or foreign file fails with a message naming it. */
export async function readDocxText(name: string, content: Buffer): Promise<string> {
  try {
    const { value } = await mammoth.extractRawText({ buffer: content });
    return value;
  } catch (error) {
    throw new Error(`${name} is not a readable DOCX document: ${(error as Error).message}`);
  }
}
