import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ZipArchive } from './zip.ts';

/**
 * The parts of exceljs's streaming reader that parse one workbook part each (exceljs 4.4.0, pinned).
 * Its own loop walks the zip in entry order and fails when a sheet comes before xl/workbook.xml,
 * and unzipper's parser announces the end as soon as the file is read, dropping entries still
 * unparsed — so whether a workbook read depended on timing. We read the zip by its central
 * directory and hand exceljs the parts in the order it needs.
 */
interface WorkbookParts {
  workbookRels?: Array<{ Id: string; Target: string }>;
  model?: { sheets?: Array<{ rId: string; name: string }> };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(
    entry: Readable,
    sheetNo: string,
  ): Iterable<{ eventType: string; value: ExcelJS.stream.xlsx.WorksheetReader }>;
}

function partsOf(reader: ExcelJS.stream.xlsx.WorkbookReader): WorkbookParts {
  const parts = reader as unknown as WorkbookParts;
  for (const method of [
    '_parseRels',
    '_parseWorkbook',
    '_parseSharedStrings',
    '_parseStyles',
    '_parseWorksheet',
  ] as const) {
    if (typeof parts[method] !== 'function')
      throw new Error(`exceljs has no ${method}: readExcel needs the exceljs version package.json pins`);
  }
  return parts;
}

/**
 * Streams the rows of a workbook's first sheet (in the workbook's order) as objects keyed by its
 * header row. The sheet is read as a stream (a multi-gigabyte export does not land in memory); the
 * zip's members may come in any order. A file that is not a valid workbook fails with a message
 * naming it.
 */
export async function* readExcel(
  path: string,
): AsyncGenerator<{ row: number; record: Record<string, unknown> }> {
  const fail = (error: unknown) =>
    new Error(`${path} is not a readable Excel workbook: ${(error as Error).message}`);
  let archive: ZipArchive;
  try {
    archive = await ZipArchive.open(path);
  } catch (error) {
    throw fail(error);
  }
  try {
    let sheet: ExcelJS.stream.xlsx.WorksheetReader | null;
    try {
      sheet = await firstSheet(archive, path);
    } catch (error) {
      throw fail(error);
    }
    if (!sheet) return;
    const rows = sheet[Symbol.asyncIterator]();
    let header: string[] | null = null;
    for (;;) {
      let next: IteratorResult<ExcelJS.Row>;
      try {
        next = await rows.next();
      } catch (error) {
        throw fail(error);
      }
      if (next.done) return;
      const row = next.value;
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
  } finally {
    await archive.close();
  }
}

/** Parses the workbook, its relationships, shared strings and styles, then opens the first sheet. */
async function firstSheet(
  archive: ZipArchive,
  path: string,
): Promise<ExcelJS.stream.xlsx.WorksheetReader | null> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
  });
  const parts = partsOf(reader);
  const has = (name: string) => archive.entries.has(name);
  await parts._parseRels(await archive.stream('xl/_rels/workbook.xml.rels'));
  await parts._parseWorkbook(await archive.stream('xl/workbook.xml'));
  if (has('xl/sharedStrings.xml'))
    for await (const _ of parts._parseSharedStrings(await archive.stream('xl/sharedStrings.xml')));
  if (has('xl/styles.xml')) await parts._parseStyles(await archive.stream('xl/styles.xml'));
  const first = parts.model?.sheets?.[0];
  if (!first) return null;
  const target = parts.workbookRels?.find((rel) => rel.Id === first.rId)?.Target;
  if (!target) throw new Error(`the workbook names no part for its sheet "${first.name}"`);
  const member = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
  const sheetNo = /sheet(\d+)\.xml$/.exec(member)?.[1] ?? '1';
  for (const { eventType, value } of parts._parseWorksheet(await archive.stream(member), sheetNo))
    if (eventType === 'worksheet') return value;
  return null;
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
