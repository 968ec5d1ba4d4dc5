import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  type Asset,
  addDays,
  ensureTable,
  type LoadResult,
  loadValidated,
  type RewrittenPartition,
  readCsv,
  readDocxText,
  readExcel,
  tableVersion,
} from '@vitrina/core';
import type { WarehouseResources } from '../resources.ts';
import { MONTHS_GENITIVE } from '../russian.ts';
import {
  bigint,
  type Column,
  date,
  decimal,
  decimalComma,
  int,
  rowSchema,
  text,
  timestampWithOffset,
} from './columns.ts';
import { type LocalFile, listFiles, MissingFileError, withFile } from './fileSource.ts';
import { stageAsset } from './stageAsset.ts';

/** One parsed record of a file, with where it stood (line or row) for the quarantine. */
type FileRecord = Record<string, unknown>;

interface FileTable {
  key: string;
  description: string;
  /** Stage column → type, in order; `file_name` and `line` (and `day` for daily files) come first. */
  columns: Record<string, Column>;
  /** Reads a file's records; the keys are the stage columns (before validation). */
  parse: (file: LocalFile, context: { day: string }) => AsyncIterable<FileRecord>;
  ddlExtra?: string;
}

function ddlOf(table: FileTable, daily: boolean): string {
  const columns = Object.entries(table.columns).map(([name, column]) => `${name} ${column.pgType}`);
  const head = daily ? ['day date not null', 'file_name text not null'] : ['file_name text not null'];
  return `create table ${table.key} (\n  ${[...head, ...columns].join(',\n  ')}\n)${table.ddlExtra ?? ''}`;
}

async function* batched<T>(source: AsyncIterable<T>, size = 2000): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of source) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

const metadataOf = (result: LoadResult, extra: Record<string, string | number> = {}) => ({
  read: result.read,
  loaded: result.loaded,
  quarantined: result.quarantined,
  ...extra,
});

async function loadedChecksum(
  resources: WarehouseResources,
  asset: string,
  name: string,
): Promise<string | null> {
  const { rows } = await resources.warehouse.query<{ sha256: string }>(
    'select sha256 from stage.loaded_files where asset = $1 and name = $2',
    [asset, name],
  );
  return rows[0]?.sha256 ?? null;
}

async function recordLoadedFile(
  resources: WarehouseResources,
  asset: string,
  file: LocalFile,
  rows: number,
  runId: string,
): Promise<void> {
  await resources.warehouse.query(
    `insert into stage.loaded_files (asset, name, sha256, bytes, rows, run_id) values ($1, $2, $3, $4, $5, $6)
     on conflict (asset, name) do update set sha256 = excluded.sha256, bytes = excluded.bytes, rows = excluded.rows,
       run_id = excluded.run_id, loaded_at = now()`,
    [asset, file.name, file.sha256, file.bytes, rows, runId],
  );
}

/** A file delivered once a day (`name(day)`), loaded into that day's partition. */
function dailyFile(
  table: FileTable & { name: (day: string) => string },
  start: string,
): Asset<WarehouseResources> {
  const ddl = ddlOf(table, true);
  const schema = rowSchema(table.columns);
  return stageAsset({
    key: table.key,
    description: table.description,
    deps: [`source.files.${table.key.split('.')[1]}`],
    start,
    pool: 'files',
    sql: ddl,
    materialize: async ({ resources, partition, runId, signal, log }) => {
      await ensureTable(resources.warehouse, table.key, ddl);
      const load = async (file: LocalFile, day: string) => {
        const result = await loadValidated({
          pool: resources.warehouse,
          rows: batched(table.parse(file, { day })),
          schema,
          toValues: (values) => [day, file.name, ...values],
          target: {
            table: table.key,
            columns: ['day', 'file_name', ...Object.keys(table.columns)],
            partition: { column: 'day', value: day },
          },
          quarantine: { source: 'files', asset: table.key, partition: day, runId },
          signal,
        });
        await recordLoadedFile(resources, table.key, file, result.loaded, runId);
        return { result, version: result.partitions[0]!, file };
      };
      const own = await withFile(resources.files, table.name(partition), (file) => load(file, partition));
      // A file of the lookback window delivered again with other content replaces its day.
      const rewrote: RewrittenPartition[] = [];
      const lookback = resources.config.VITRINA_LOOKBACK_DAYS;
      for (let back = lookback; back >= 1; back--) {
        const day = addDays(partition, -back);
        const name = table.name(day);
        const loaded = await loadedChecksum(resources, table.key, name);
        if (day < start || loaded === null) continue;
        const again = await withFile(resources.files, name, async (file) =>
          file.sha256 === loaded ? null : await load(file, day),
        ).catch((error: unknown) => {
          if (error instanceof MissingFileError) return null;
          throw error;
        });
        if (!again) continue;
        log(`${name} was delivered again with other content: day ${day} reloaded`);
        rewrote.push({
          ...again.version,
          metadata: metadataOf(again.result, { file: name, sha256: again.file.sha256 }),
        });
      }
      return {
        rows: own.version.rows,
        dataVersion: own.version.dataVersion,
        rewrote,
        metadata: metadataOf(own.result, {
          file: own.file.name,
          sha256: own.file.sha256,
          bytes: own.file.bytes,
        }),
      };
    },
  });
}

/**
 * Every file of a folder, each loaded once: a file whose name and checksum were loaded before is
 * skipped, a re-delivered changed file replaces its earlier rows. A day's step looks for what was
 * delivered up to its run.
 */
function fileSet(table: FileTable & { folder: string }, start: string): Asset<WarehouseResources> {
  const ddl = ddlOf(table, false);
  const schema = rowSchema(table.columns);
  return stageAsset({
    key: table.key,
    description: table.description,
    deps: [`source.files.${table.key.split('.')[1]}`],
    start,
    pool: 'files',
    sql: ddl,
    materialize: async ({ resources, runId, signal, log }) => {
      const db = resources.warehouse;
      await ensureTable(db, table.key, ddl);
      const known = new Map(
        (
          await db.query<{ name: string; sha256: string }>(
            'select name, sha256 from stage.loaded_files where asset = $1',
            [table.key],
          )
        ).rows.map((row) => [row.name, row.sha256]),
      );
      const totals = { read: 0, loaded: 0, quarantined: 0, files: 0, skipped: 0 };
      for (const name of await listFiles(resources.files, table.folder)) {
        await withFile(resources.files, name, async (file) => {
          if (known.get(name) === file.sha256) {
            totals.skipped++;
            return;
          }
          const result = await loadValidated({
            pool: db,
            rows: batched(table.parse(file, { day: '' })),
            schema,
            toValues: (values) => [file.name, ...values],
            target: {
              table: table.key,
              columns: ['file_name', ...Object.keys(table.columns)],
              partition: { column: 'file_name', value: name },
            },
            quarantine: { source: 'files', asset: table.key, partition: name, runId },
            signal,
          });
          await recordLoadedFile(resources, table.key, file, result.loaded, runId);
          log(
            `${name}: ${result.loaded} rows loaded, ${result.quarantined} quarantined${known.has(name) ? ' (re-delivered, replaced)' : ''}`,
          );
          totals.read += result.read;
          totals.loaded += result.loaded;
          totals.quarantined += result.quarantined;
          totals.files++;
        });
      }
      const version = await tableVersion(db, table.key);
      return { rows: version.rows, dataVersion: version.dataVersion, metadata: totals };
    },
  });
}

// --- the files --------------------------------------------------------------------------------

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
