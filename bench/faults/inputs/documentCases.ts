import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { addDays } from '@vitrina/core';
import { readExcel } from '@vitrina/io';
import { garbage } from './bytes.ts';
import type { Harness } from './harness.ts';
import { document, workbook } from './office.ts';
import { type CaseSpec, fileScope, inboxCase, literally } from './spec.ts';

// The agency's weekly Excel report (stage.agency_spend) and the contracts and product descriptions
// in Word (stage.contract_documents, stage.product_documents): file sets, each file loaded once.

const HEADER = ['Дата', 'Канал', 'Кампания', 'Расход, BYN', 'Показы', 'Клики', 'Установки'] as const;
/** The report's rows as the warehouse's reader sees them, in the header's order. */
async function reportRows(path: string): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const { record } of readExcel(path)) rows.push(HEADER.map((name) => record[name] ?? null));
  return rows;
}

/** The good report with one value of its first row changed. */
const withValue =
  (column: (typeof HEADER)[number], value: unknown) =>
  async (_good: Buffer, h: Harness, file: string): Promise<Buffer> => {
    const rows = await reportRows(join(h.inbox, file));
    rows[0]![HEADER.indexOf(column)] = value;
    return workbook([[...HEADER], ...rows]);
  };

/** The first file of a folder of the inbox. */
const firstFile = (h: Harness, folder: string) =>
  `${folder}/${readdirSync(join(h.inbox, folder)).sort()[0]!}`;

export function documentCases(day: string): CaseSpec[] {
  // The agency delivers on Sunday the report of the week from Monday.
  const report = `agency/agency_report_${addDays(day, -6)}.xlsx`;
  const named = new RegExp(literally(report));
  const excel = (
    label: string,
    what: string,
    spec: Omit<
      Parameters<typeof inboxCase>[0],
      'name' | 'source' | 'asset' | 'file' | 'content' | 'scope'
    > & {
      content: (good: Buffer, h: Harness, file: string) => Buffer | string | Promise<Buffer>;
    },
  ) =>
    inboxCase({
      ...spec,
      name: `agency xlsx ${label}`,
      source: `${report}: ${what}`,
      asset: 'stage.agency_spend',
      file: () => report,
      scope: fileScope('stage.agency_spend', report),
      content: (good, h) => spec.content(good, h, report),
    });
  const word = (
    label: string,
    table: 'stage.contract_documents' | 'stage.product_documents',
    folder: string,
    what: string,
    spec: Omit<Parameters<typeof inboxCase>[0], 'name' | 'source' | 'asset' | 'file' | 'scope'>,
  ) =>
    inboxCase({
      ...spec,
      name: `${table === 'stage.contract_documents' ? 'contract' : 'product'} docx ${label}`,
      source: `the first file of ${folder}/: ${what}`,
      asset: table,
      file: (h) => firstFile(h, folder),
      scope: (h) => fileScope(table, firstFile(h, folder))(h),
    });
  const docxError = /\.docx is not a readable DOCX document/;
  return [
    excel('corrupt zip', 'a zip signature followed by garbage', {
      expected: 'error',
      names: new RegExp(`${literally(report)} is not a readable Excel workbook`),
      content: () => Buffer.concat([Buffer.from('PK\u0003\u0004'), garbage(2048, 3)]),
    }),
    excel('zero bytes', 'an empty file', { expected: 'error', names: named, content: () => '' }),
    excel('empty sheet', 'a workbook whose sheet has no row at all', {
      expected: 'error',
      names: named,
      content: () => workbook([]),
    }),
    excel('header only', 'the header row and no data', {
      expected: 'error',
      names: named,
      content: () => workbook([[...HEADER]]),
    }),
    excel('wrong header', 'the same rows under English column names', {
      expected: 'error',
      names: named,
      content: async (_good, h, file) =>
        workbook([
          ['Date', 'Channel', 'Campaign', 'Spend, BYN', 'Impressions', 'Clicks', 'Installs'],
          ...(await reportRows(join(h.inbox, file))),
        ]),
    }),
    excel('text in a count', 'Клики "много" in one row', {
      expected: 'quarantined',
      reason: /^clicks: /,
      content: withValue('Клики', 'много'),
    }),
    excel('negative count', 'Установки -5 in one row', {
      expected: 'quarantined',
      reason: /^installs: /,
      content: withValue('Установки', -5),
    }),
    excel('impossible date', 'Дата "2026-02-30" in one row', {
      expected: 'quarantined',
      reason: /^day: /,
      content: withValue('Дата', '2026-02-30'),
    }),
    word('truncated', 'stage.contract_documents', 'docs/contracts', 'the first half of its bytes', {
      expected: 'error',
      names: docxError,
      content: (good) => good.subarray(0, Math.floor(good.length / 2)),
    }),
    word('zero bytes', 'stage.contract_documents', 'docs/contracts', 'an empty file', {
      expected: 'error',
      names: docxError,
      content: () => '',
    }),
    word(
      'without its fields',
      'stage.contract_documents',
      'docs/contracts',
      'a readable document with no contract number, date or amount',
      {
        expected: 'error',
        names: /docs\/contracts\/.*\.docx: /,
        content: () => document(['Приложение к договору', 'Текст приложения без реквизитов.']),
      },
    ),
    word('plain text', 'stage.product_documents', 'docs/products', 'plain UTF-8 text under the .docx name', {
      expected: 'error',
      names: docxError,
      content: () => 'Продукт: Перевод (P2P)\nПеревод по номеру телефона.\n',
    }),
  ];
}
