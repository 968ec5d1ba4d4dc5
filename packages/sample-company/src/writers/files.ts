import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { withFtp } from '@vitrina/io';
import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import type { FileIncrement, Fixture, Generated } from '../rows.ts';
import type { Tally } from '../summary.ts';

/** Writes lines to a file in chunks, honouring back-pressure. */
async function writeLines(
  path: string,
  header: string | null,
  lines: Iterable<Generated<string>>,
): Promise<void> {
  const stream = createWriteStream(path, { encoding: 'utf8' });
  const closed = once(stream, 'close');
  let chunk = header === null ? '' : `${header}\n`;
  for (const { row } of lines) {
    chunk += `${row}\n`;
    if (chunk.length > 65_536) {
      if (!stream.write(chunk)) await once(stream, 'drain');
      chunk = '';
    }
  }
  stream.end(chunk);
  await closed;
}

async function writeFileIncrement(
  root: string,
  file: FileIncrement,
  day: string,
  tally: Tally,
): Promise<void> {
  const path = join(root, file.path);
  mkdirSync(dirname(path), { recursive: true });
  if (file.kind === 'csv' || file.kind === 'log') {
    await writeLines(path, file.header, tally.count(day, 'files', file.path, file.lines()));
    return;
  }
  if (file.kind === 'xlsx') {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true });
    const sheet = workbook.addWorksheet('Отчёт');
    sheet.getColumn(1).numFmt = 'yyyy-mm-dd';
    sheet.addRow([...file.header]).commit();
    for (const { row } of tally.count(day, 'files', file.path, file.rows())) sheet.addRow([...row]).commit();
    sheet.commit();
    await workbook.commit();
    return;
  }
  const document = new Document({
    sections: [{ children: file.paragraphs.map((text) => new Paragraph(text)) }],
  });
  writeFileSync(path, await Packer.toBuffer(document));
  tally.counts(day, 'files', file.path).written++;
}

/**
 * Delivers a day's files: into the inbox folder, or, with an FTP URL, staged in a temporary folder
 * and uploaded in one FTP session.
 */
export async function deliverFiles(
  target: { ftpUrl?: string; inbox: string },
  day: string,
  files: readonly FileIncrement[],
  tally: Tally,
): Promise<void> {
  if (files.length === 0) return;
  if (!target.ftpUrl) {
    for (const file of files) await writeFileIncrement(target.inbox, file, day, tally);
    return;
  }
  const staging = mkdtempSync(join(tmpdir(), 'vitrina-seed-'));
  try {
    for (const file of files) await writeFileIncrement(staging, file, day, tally);
    await withFtp(target.ftpUrl, async (client, folder) => {
      for (const file of files) {
        const remote = `${folder.replace(/\/$/, '')}/${file.path}`;
        await client.ensureDir(dirname(remote));
        await client.cd('/');
        await client.uploadFrom(join(staging, file.path), remote);
      }
    });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Writes the replay server's fixtures; a geocoder answer already there is kept (answers never change). */
export function writeFixtures(root: string, day: string, fixtures: Iterable<Fixture>, tally: Tally): void {
  for (const fixture of fixtures) {
    const path = join(root, fixture.path);
    const kind = fixture.path.split('/')[0]!;
    if (kind === 'yandex' && existsSync(path)) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(fixture.body));
    tally.counts(day, 'replay', kind).written++;
  }
}
