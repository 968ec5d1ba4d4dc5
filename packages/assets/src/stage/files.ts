import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Asset } from '@vitrina/core';
import { readCsv, readDocxText, readExcel } from '@vitrina/io';
import { MONTHS_GENITIVE } from '@vitrina/sample-company/formats';
import type { WarehouseResources } from '../resources.ts';
import { bigint, date, decimal, decimalComma, int, text, timestampWithOffset } from './columns.ts';
import type { LocalFile } from './fileSource.ts';
import { dailyFile, type FileRecord, fileSet } from './fileTables.ts';

// Every delivered file's stage table: its columns and how its records are parsed.

const wholeNumber = int();

export function partnerSales(start: string): Asset<WarehouseResources> {
  return dailyFile(
    {
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
        receipts_total: wholeNumber,
        turnover_total_byn: decimalComma(14, 2),
        receipts_app: wholeNumber,
        turnover_app_byn: decimalComma(14, 2),
      },
      parse: async function* (file, { day }) {
        for await (const { line, record } of readCsv(createReadStream(file.path), { delimiter: ';' })) {
          const numbers = ['receipts_total', 'receipts_app'] as const;
          const parsed: FileRecord = { ...record, line };
          for (const field of numbers)
            if (/^\d+$/.test(record[field] ?? '')) parsed[field] = Number(record[field]);
          if (record.sale_date !== undefined && record.sale_date !== day)
            parsed.sale_date = `not ${day}: ${record.sale_date}`;
          yield parsed;
        }
      },
    },
    start,
  );
}

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
];
const optional = { nullable: true };

export function appEvents(start: string): Asset<WarehouseResources> {
  return dailyFile(
    {
      key: 'stage.app_events',
      description:
        "The app's behavioural events from the backend's daily log (app_events_YYYY-MM-DD.log): installs, registrations, cards linked, payments, screens, clicks.",
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
      parse: async function* (file) {
        let line = 0;
        for await (const text of createInterface({
          input: createReadStream(file.path),
          crlfDelay: Number.POSITIVE_INFINITY,
        })) {
          line++;
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
    },
    start,
  );
}

const agencyHeaders = {
  Дата: 'day',
  Канал: 'channel',
  Кампания: 'campaign',
  'Расход, BYN': 'spend_byn',
  Показы: 'impressions',
  Клики: 'clicks',
  Установки: 'installs',
} as const;

export function agencySpend(start: string): Asset<WarehouseResources> {
  return fileSet(
    {
      key: 'stage.agency_spend',
      description:
        "The marketing agency's weekly Excel reports (agency_report_<monday>.xlsx): spend, impressions, clicks and installs per day, channel and campaign.",
      folder: 'agency',
      columns: {
        line: int(),
        day: date(),
        channel: text(),
        campaign: text(),
        spend_byn: decimal(14, 2),
        impressions: int(),
        clicks: int(),
        installs: int(),
      },
      parse: async function* (file) {
        for await (const { row, record } of readExcel(file.path)) {
          const parsed: FileRecord = { line: row };
          for (const [header, column] of Object.entries(agencyHeaders))
            parsed[column] = record[header] ?? null;
          yield parsed;
        }
      },
    },
    start,
  );
}

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

export function contractDocuments(start: string): Asset<WarehouseResources> {
  return fileSet(
    {
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
    },
    start,
  );
}

export function productDocuments(start: string): Asset<WarehouseResources> {
  return fileSet(
    {
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
    },
    start,
  );
}
