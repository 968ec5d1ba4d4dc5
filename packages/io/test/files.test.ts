import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  downloadRemoteFile,
  listRemoteFiles,
  readCsv,
  readDocxText,
  readExcel,
  uploadFile,
} from '../src/index.ts';
import { startFtpServer } from '../src/testing/index.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitrina-files-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('file readers', () => {
  it('reads CSV records with line numbers, keeping broken lines for validation to judge', async () => {
    const csv =
      '\ufeffdate,partner,amount\n2026-01-01,Евроопт,"12,50"\n2026-01-01,Green\n2026-01-02,"Hippo ""Mall""",7.10\n';
    const rows = [];
    for await (const row of readCsv(Readable.from([csv]))) rows.push(row);
    expect(rows).toEqual([
      { line: 2, record: { date: '2026-01-01', partner: 'Евроопт', amount: '12,50' } },
      { line: 3, record: { date: '2026-01-01', partner: 'Green' } },
      { line: 4, record: { date: '2026-01-02', partner: 'Hippo "Mall"', amount: '7.10' } },
    ]);
  });

  it('streams the first sheet of a workbook as records, and names a corrupt file', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('report');
    sheet.addRow(['week', 'channel', 'spend', 'clicks']);
    sheet.addRow(['2026-W01', 'google_ads', 1500.5, 320]);
    sheet.addRow(['2026-W01', 'meta_ads', { formula: '2*500', result: 1000 }, 120]);
    workbook.addWorksheet('notes').addRow(['ignored']);
    const path = join(dir, 'agency.xlsx');
    await workbook.xlsx.writeFile(path);
    const rows = [];
    for await (const row of readExcel(path)) rows.push(row);
    expect(rows).toEqual([
      { row: 2, record: { week: '2026-W01', channel: 'google_ads', spend: 1500.5, clicks: 320 } },
      { row: 3, record: { week: '2026-W01', channel: 'meta_ads', spend: 1000, clicks: 120 } },
    ]);

    const corrupt = join(dir, 'corrupt.xlsx');
    writeFileSync(corrupt, readFileSync(path).subarray(0, 300));
    await expect(async () => {
      for await (const _ of readExcel(corrupt));
    }).rejects.toThrow(/corrupt\.xlsx is not a readable Excel workbook/);
  });

  it('extracts the text of a DOCX, and names a truncated one', async () => {
    const document = new Document({
      sections: [
        {
          children: [
            new Paragraph('Договор № 2026/117 от 12.01.2026'),
            new Paragraph('Контрагент: ООО «Автоцентр»'),
          ],
        },
      ],
    });
    const buffer = await Packer.toBuffer(document);
    const text = await readDocxText('contract.docx', buffer);
    expect(text).toContain('Договор № 2026/117 от 12.01.2026');
    expect(text).toContain('ООО «Автоцентр»');
    await expect(readDocxText('truncated.docx', buffer.subarray(0, buffer.length / 2))).rejects.toThrow(
      /truncated\.docx is not a readable DOCX document/,
    );
  });
});

describe('FTP against a real server on loopback', () => {
  let ftp: { url: string; stop: () => Promise<void> };
  let root: string;
  beforeAll(async () => {
    root = join(dir, 'ftp');
    mkdirSync(join(root, 'partner_sales'), { recursive: true });
    writeFileSync(join(root, 'partner_sales', '2026-01-02.csv'), 'date,amount\n2026-01-02,2\n');
    writeFileSync(join(root, 'partner_sales', '2026-01-01.csv'), 'date,amount\n2026-01-01,1\n');
    ftp = await startFtpServer(root);
  });
  afterAll(async () => ftp?.stop());

  it('lists, downloads with a checksum, and uploads', async () => {
    const files = await listRemoteFiles(ftp.url, 'partner_sales');
    expect(files.map((file) => file.name)).toEqual(['2026-01-01.csv', '2026-01-02.csv']);
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    const { sha256, bytes } = await downloadRemoteFile(ftp.url, files[0]!.path, sink);
    const content = Buffer.concat(chunks);
    expect(content.toString()).toBe('date,amount\n2026-01-01,1\n');
    expect(bytes).toBe(content.length);
    expect(sha256).toBe(createHash('sha256').update(content).digest('hex'));

    const local = join(dir, 'upload.txt');
    writeFileSync(local, 'hello');
    await uploadFile(ftp.url, local, 'logs/app-2026-01-01.log');
    expect(readFileSync(join(root, 'logs', 'app-2026-01-01.log'), 'utf8')).toBe('hello');
  });

  it('fails clearly for a missing file and a wrong password, without showing the password', async () => {
    const sink = new Writable({ write: (_c, _e, done) => done() });
    await expect(downloadRemoteFile(ftp.url, '/partner_sales/2026-12-31.csv', sink)).rejects.toThrow(
      /FTP vitrina@127\.0\.0\.1:\d+\/: .*(No such file|550)/,
    );
    const wrong = ftp.url.replace('secret-pass', 'nope');
    const error: Error = await listRemoteFiles(wrong).then(
      () => new Error('no error'),
      (failure: Error) => failure,
    );
    expect(error.message).toMatch(/^FTP vitrina@127\.0\.0\.1:\d+\/: .*(Login|530)/i);
    expect(error.message).not.toMatch(/nope|secret-pass/);
  });
});
