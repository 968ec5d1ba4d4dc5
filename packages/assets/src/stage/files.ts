import { createReadStream, readFileSync } from 'node:fs';
import type { Asset } from '@vitrina/core';
import { readCsv, readDocxText, readExcel, readLines } from '@vitrina/io';
import { MONTHS_GENITIVE } from '@vitrina/sample-company/formats';
import type { WarehouseResources } from '../resources.ts';
import {
  bigint,
  date,
  decimal,
  decimalComma,
  int,
  MART_DAYS,
  type RowRule,
  text,
  timestampWithOffset,
  UNSIGNED,
} from './columns.ts';
import type { LocalFile } from './fileSource.ts';
import {
  type DailyFileTable,
  dailyFile,
  type FileRecord,
  type FileSetTable,
  fileSet,
  unreadable,
} from './fileTables.ts';
import { integerProblem } from './values.ts';

// Every delivered file's stage table: its columns and how its records are parsed.

/** A count the marts keep unsigned (mart.partner_sales UInt32, mart.marketing_daily UInt64). */
const count = int(UNSIGNED);

/** bi.fact_partner_sales reads the merchant id from the store code's `-<digits>` suffix as an integer. */
const storeCodeMerchant: RowRule = {
  column: 'store_code',
  check: (value) => {
    const digits = /-(\d+)$/.exec(String(value('store_code')))?.[1];
    const problem = digits === undefined ? null : integerProblem(digits, 4);
    return problem ? `the merchant id after the dash, ${digits}, is ${problem}` : null;
  },
};

export const partnerSalesTable: DailyFileTable = {
  key: 'stage.partner_sales',
  description:
    "Partners' daily sales per store, in total and through our app (partner_sales_YYYY-MM-DD.csv on FTP): our share of their turnover.",
  name: (day) => `partner_sales/partner_sales_${day}.csv`,
  columns: {
    line: int(),
    sale_date: date(),
    partner_code: text(),
    store_code: text(),
    store_name: text(),
    city: text(),
    receipts_total: count,
    turnover_total_byn: decimalComma(14, 2),
    receipts_app: count,
    turnover_app_byn: decimalComma(14, 2),
  },
  rules: [storeCodeMerchant],
  // One line per store and day.
  deduplicateBy: ['store_code'],
  parse: async function* (file, { day, encoding }) {
    const rows = readCsv(createReadStream(file.path), { delimiter: ';', encoding });
    for await (const { line, record, raw, problem } of rows) {
      if (problem !== undefined) {
        yield unreadable(line, raw, problem, record);
        continue;
      }
      const parsed: FileRecord = { ...record, line };
      if (record.sale_date !== undefined && record.sale_date !== day)
        parsed.sale_date = `not ${day}: ${record.sale_date}`;
      yield parsed;
    }
  },
};

export const partnerSales = (start: string): Asset<WarehouseResources> => dailyFile(partnerSalesTable, start);

const logLine = /^(\d{4}-\d{2}-\d{2}T\S+) (\w+) \[event\] (.*)$/;
const pair = /(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g;

/** One `[event]` line of the app's server log as its fields; null for a line of other noise. */
export function parseLogLine(text: string): Record<string, string> | null {
  if (!text.includes(' [event] ')) return null;
  const match = logLine.exec(text);
  if (!match) return { broken: text };
  const fields: Record<string, string> = { event_time: match[1]! };
  for (const [, key, value] of match[3]!.matchAll(pair)) {
    fields[key!] = value!.startsWith('"') ? value!.slice(1, -1).replace(/\\(.)/g, '$1') : value!;
  }
  return fields;
}

const eventNames = [
  'app_install',
  'registration_complete',
  'card_linked',
  'payment_success',
  'screen_view',
  'click',
  'app_crash',
];
const optional = { nullable: true };

export const appEventsTable: DailyFileTable = {
  key: 'stage.app_events',
  description:
    "The app's behavioural events from the backend's daily log (app_events_YYYY-MM-DD.log): installs, registrations, cards linked, payments, screens, clicks, crashes.",
  name: (day) => `logs/app_events_${day}.log`,
  columns: {
    line: int(),
    event_time: timestampWithOffset(),
    name: text({ values: eventNames }),
    device_id: text(),
    user_id: bigint(optional),
    session_id: text(optional),
    screen: text(optional),
    element: text(optional),
    channel: text(optional),
    campaign: text(optional),
    amount: decimal(14, 2, optional),
    currency: text(optional),
    merchant: text(optional),
    os: text(optional),
    app_version: text(optional),
  },
  ddlExtra: ';\ncreate index on stage.app_events (day)',
  parse: async function* (file, { encoding }) {
    for await (const { line, text, raw, problem } of readLines(createReadStream(file.path), { encoding })) {
      // A noise line is skipped whatever its bytes; an event line that cannot be read is quarantined.
      if (problem !== undefined) {
        if (text.includes(' [event] ')) yield unreadable(line, raw, problem, parseLogLine(text));
        continue;
      }
      const fields = parseLogLine(text);
      if (!fields) continue;
      yield {
        line,
        event_time: fields.event_time,
        name: fields.name,
        device_id: fields.device,
        user_id: fields.user === '-' ? null : (fields.user ?? null),
        session_id: fields.session ?? null,
        screen: fields.screen ?? null,
        element: fields.element ?? null,
        channel: fields.channel ?? null,
        campaign: fields.campaign ?? null,
        amount: fields.amount ?? null,
        currency: fields.currency ?? null,
        merchant: fields.merchant ?? null,
        os: fields.os ?? null,
        app_version: fields.app ?? null,
        ...(fields.broken ? { raw: fields.broken } : {}),
      };
    }
  },
};

export const appEvents = (start: string): Asset<WarehouseResources> => dailyFile(appEventsTable, start);

const agencyHeaders = {
  Дата: 'day',
  Канал: 'channel',
  Кампания: 'campaign',
  'Расход, BYN': 'spend_byn',
  Показы: 'impressions',
  Клики: 'clicks',
  Установки: 'installs',
} as const;

export const agencySpendTable: FileSetTable = {
  key: 'stage.agency_spend',
  description:
    "The marketing agency's weekly Excel reports (agency_report_<monday>.xlsx): spend, impressions, clicks and installs per day, channel and campaign.",
  folder: 'agency',
  columns: {
    line: int(),
    // mart.kpi_channel keeps the month of a day of spend as a ClickHouse Date.
    day: date({ range: MART_DAYS }),
    channel: text(),
    campaign: text(),
    spend_byn: decimal(14, 2),
    impressions: count,
    clicks: count,
    installs: count,
  },
  parse: async function* (file) {
    for await (const { row, record } of readExcel(file.path)) {
      const parsed: FileRecord = { line: row };
      for (const [header, column] of Object.entries(agencyHeaders)) parsed[column] = record[header] ?? null;
      yield parsed;
    }
  },
};

export const agencySpend = (start: string): Asset<WarehouseResources> => fileSet(agencySpendTable, start);

/** The fields of a contract's text: number, date, counterparty, tariff, amount. */
export function contractFields(text: string): Record<string, string | null> {
  const number = /ДОГОВОР\s+№\s*(\S+)/i.exec(text)?.[1] ?? null;
  const dated = /«(\d{1,2})»\s+([а-я]+)\s+(\d{4})\s*г/i.exec(text);
  const month = dated ? (MONTHS_GENITIVE as readonly string[]).indexOf(dated[2]!.toLowerCase()) + 1 : 0;
  const signedOn =
    dated && month > 0 ? `${dated[3]}-${String(month).padStart(2, '0')}-${dated[1]!.padStart(2, '0')}` : null;
  const counterparty = /^(.+?),\s+именуем/m.exec(text)?.[1]?.trim() ?? null;
  const tariff = /Тариф:\s*(\S+)/.exec(text)?.[1] ?? null;
  const amount =
    /Сумма договора:\s*([\d\s\u00a0]+,\d{2})\s*BYN/
      .exec(text)?.[1]
      ?.replace(/[\s\u00a0]/g, '')
      .replace(',', '.') ?? null;
  return { contract_no: number, signed_on: signedOn, counterparty, tariff, amount };
}

const documentText = async function* (file: LocalFile): AsyncGenerator<{ text: string }> {
  yield { text: await readDocxText(file.name, readFileSync(file.path)) };
};

export const contractDocumentsTable: FileSetTable = {
  key: 'stage.contract_documents',
  description:
    'Contracts as delivered in Word (docs/contracts/*.docx): the text and the number, date, counterparty, tariff and amount found in it.',
  folder: 'docs/contracts',
  columns: {
    line: int(),
    contract_no: text(),
    signed_on: date(),
    counterparty: text(),
    tariff: text(optional),
    amount: decimal(14, 2),
    text: text(),
  },
  parse: async function* (file) {
    for await (const { text } of documentText(file)) yield { line: 1, ...contractFields(text), text };
  },
};

export const contractDocuments = (start: string): Asset<WarehouseResources> =>
  fileSet(contractDocumentsTable, start);

export const productDocumentsTable: FileSetTable = {
  key: 'stage.product_documents',
  description:
    'Product descriptions as delivered in Word (docs/products/*.docx): the code, the name and the text.',
  folder: 'docs/products',
  columns: { line: int(), code: text(), name: text(), text: text() },
  parse: async function* (file) {
    for await (const { text } of documentText(file)) {
      const title = /Продукт:\s*(.+?)\s*\((\S+)\)/.exec(text);
      yield { line: 1, code: title?.[2] ?? null, name: title?.[1] ?? null, text };
    }
  },
};

export const productDocuments = (start: string): Asset<WarehouseResources> =>
  fileSet(productDocumentsTable, start);
