import { createRequire } from 'node:module';
import { resolve } from 'node:path';

/**
 * Workbooks and Word documents for the bad inputs, made with the libraries the sample company
 * writes its files with (exceljs, docx). They are the sample company's dependencies, not the
 * bench's, so they are loaded from its package; only what is used here is typed.
 */
const fromSampleCompany = createRequire(
  resolve(import.meta.dirname, '../../../packages/sample-company/package.json'),
);

interface Workbook {
  addWorksheet: (name: string) => { addRow: (values: unknown[]) => void };
  xlsx: { writeBuffer: () => Promise<ArrayBuffer> };
}
interface ExcelModule {
  Workbook: new () => Workbook;
}
interface DocxModule {
  Document: new (options: { sections: Array<{ children: unknown[] }> }) => unknown;
  Paragraph: new (text: string) => unknown;
  Packer: { toBuffer: (document: unknown) => Promise<Buffer> };
}

const excel = () => fromSampleCompany('exceljs') as ExcelModule;
const docx = () => fromSampleCompany('docx') as DocxModule;

/** A workbook whose first sheet, `Отчёт`, holds `rows` (the header row included, if any). */
export async function workbook(rows: readonly unknown[][]): Promise<Buffer> {
  const book = new (excel().Workbook)();
  const sheet = book.addWorksheet('Отчёт');
  for (const row of rows) sheet.addRow([...row]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A Word document of one paragraph per line. */
export async function document(lines: readonly string[]): Promise<Buffer> {
  const { Document, Paragraph, Packer } = docx();
  return Packer.toBuffer(
    new Document({ sections: [{ children: lines.map((line) => new Paragraph(line)) }] }),
  );
}
