import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssetGraph, execute, planRun, type RunOutcome } from '@vitrina/core';
import { openTestStorage, type TestStorage, tempDatabase } from '@vitrina/core/testing';
import { tempMysqlDatabase } from '@vitrina/io/testing';
import { sourceSchema } from '@vitrina/sample-company';
import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { loadWarehouseConfig, type WarehouseConfig } from '../../src/config.ts';
import { openResources, type WarehouseResources } from '../../src/resources.ts';
import { stageAssets } from '../../src/stage/index.ts';

/**
 * A small company written by hand into real source systems (temporary MySQL and PostgreSQL
 * databases made from the contract's DDL, an inbox folder, replay fixtures), so that every
 * expectation of the stage tests is known from the rows put in, not from the code under test.
 */
export const DAYS = ['2026-10-01', '2026-10-02', '2026-10-03'] as const;
export const START = DAYS[0];

const ddl = (name: string) => readFileSync(sourceSchema(name), 'utf8');

export interface Fixture {
  config: WarehouseConfig;
  resources: WarehouseResources;
  graph: AssetGraph<WarehouseResources>;
  runs: TestStorage;
  payments: pg.Pool;
  registry: pg.Pool;
  warehouse: pg.Pool;
  crm: mysql.Connection;
  inbox: string;
  replay: string;
  materialize: (
    selection: string,
    range?: { from?: string; to?: string; force?: boolean },
    resources?: WarehouseResources,
  ) => Promise<RunOutcome>;
  /** Runs `work` with resources opened from the fixture's settings plus `settings` (as environment variables). */
  withSettings: <T>(
    settings: Record<string, string>,
    work: (resources: WarehouseResources) => Promise<T>,
  ) => Promise<T>;
  dispose: () => Promise<void>;
}

/** Payments of a day: 20 good ones (every fifth in USD, every seventh failed); ids day*1000 + n. */
export function paymentsOf(dayIndex: number): string {
  const day = DAYS[dayIndex];
  const base = (dayIndex + 1) * 1000;
  return `insert into core.transactions
    select ${base} + n, timestamp '${day} 08:00' + n * interval '17 minutes', 100 + n % 3, 1 + n % 3, 1, null,
      (n * 1.5)::numeric(14,2), case when n % 5 = 0 then 'USD' else 'BYN' end, 'card', 'purchase',
      case when n % 7 = 0 then 'failed' else 'success' end, (n * 0.015)::numeric(12,2), null, null,
      timestamp '${day} 08:00' + n * interval '17 minutes', timestamp '${day} 08:00' + n * interval '17 minutes'
    from generate_series(1, 20) n`;
}

const rates = (day: string, usd: number) => [
  {
    Cur_ID: 431,
    Date: `${day}T00:00:00`,
    Cur_Abbreviation: 'USD',
    Cur_Scale: 1,
    Cur_Name: 'Доллар США',
    Cur_OfficialRate: usd,
  },
  {
    Cur_ID: 451,
    Date: `${day}T00:00:00`,
    Cur_Abbreviation: 'EUR',
    Cur_Scale: 1,
    Cur_Name: 'Евро',
    Cur_OfficialRate: 3.45,
  },
  {
    Cur_ID: 456,
    Date: `${day}T00:00:00`,
    Cur_Abbreviation: 'RUB',
    Cur_Scale: 100,
    Cur_Name: 'Российских рублей',
    Cur_OfficialRate: 3.71,
  },
];

export const addresses = [
  'Минск, ул. Притыцкого, 29',
  'Брест, ул. Московская, 210',
  'Гомель, пр. Ленина, 10',
];

function geocoderAnswer(address: string, index: number) {
  return {
    response: {
      GeoObjectCollection: {
        featureMember: [
          {
            GeoObject: {
              Point: { pos: `${27 + index / 10} ${53 + index / 10}` },
              metaDataProperty: {
                GeocoderMetaData: {
                  precision: 'exact',
                  Address: {
                    formatted: `Беларусь, ${address}`,
                    Components: [
                      { kind: 'country', name: 'Беларусь' },
                      { kind: 'province', name: address.split(',')[0]! },
                      { kind: 'locality', name: address.split(',')[0]! },
                    ],
                  },
                },
              },
            },
          },
        ],
      },
    },
  };
}

export const csvHeader =
  'sale_date;partner_code;store_code;store_name;city;receipts_total;turnover_total_byn;receipts_app;turnover_app_byn';

export function writeInbox(inbox: string, name: string, content: string | Buffer): void {
  const path = join(inbox, name);
  mkdirSync(path.slice(0, path.lastIndexOf('/')), { recursive: true });
  writeFileSync(path, content);
}

async function docx(lines: string[]): Promise<Buffer> {
  return Packer.toBuffer(
    new Document({ sections: [{ children: lines.map((line) => new Paragraph(line)) }] }),
  );
}

export async function agencyWorkbook(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Отчёт');
  sheet.addRow(['Дата', 'Канал', 'Кампания', 'Расход, BYN', 'Показы', 'Клики', 'Установки']);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function createFixture(options: { ftpUrl?: string } = {}): Promise<Fixture> {
  const [paymentsDb, registryDb, warehouseDb, crmDb, runs] = await Promise.all([
    tempDatabase('vitrina_payments'),
    tempDatabase('vitrina_registry'),
    tempDatabase('vitrina_warehouse'),
    tempMysqlDatabase('vitrina_bitrix'),
    openTestStorage('pglite'),
  ]);
  const folder = mkdtempSync(join(tmpdir(), 'vitrina-stage-'));
  const inbox = join(folder, 'inbox');
  const replay = join(folder, 'replay');
  mkdirSync(join(replay, 'nbrb'), { recursive: true });
  mkdirSync(join(replay, 'yandex'), { recursive: true });

  const payments = new pg.Pool({ connectionString: paymentsDb.url });
  await payments.query(ddl('payments.pg.sql'));
  await payments.query(`
    insert into core.merchants values
      (1, 'Евроопт Притыцкого', 10, 'grocery', 'chain_store', 'Евроопт', null, 'Минск', 'Минск', '${addresses[0]}', '5411', 1.20, '2026-01-01', '2026-01-01'),
      (2, 'Атлант-М Брест', 11, 'auto', 'dealer', 'Атлант-М', 'Volkswagen', 'Брестская область', 'Брест', '${addresses[1]}', '5511', 0.80, '2026-01-01', '2026-01-01'),
      (3, 'Гомельэнерго', null, 'utilities', 'utilities', null, null, 'Гомельская область', 'Гомель', '${addresses[2]}', '4900', 0.50, '2026-01-01', '2026-01-01');
    insert into core.products values (1, 'PURCHASE', 'Оплата покупки', 'payment', 'Оплата в магазине', 1.00, true),
      (2, 'P2P', 'Перевод', 'transfer', 'Перевод по номеру телефона', 0.50, true);
    insert into core.cashback_campaigns values (1, 'Осень в Евроопте', 'grocery', 'Евроопт', 5.00, '2026-09-15', '2026-10-31');
    insert into core.cards values (1, 101, '4255 19** **** 1234', 'visa', 'Беларусбанк', '2026-09-20 10:00', 'active', '2026-09-20 10:00'),
      (2, 102, '5375 11** **** 9876', 'mastercard', 'Приорбанк', '2026-10-01 12:00', 'active', '2026-10-01 12:00');
    ${paymentsOf(0)}; ${paymentsOf(1)};
    -- bad rows on the first day: a negative amount, a malformed currency, a row delivered twice
    update core.transactions set amount = -5 where transaction_id = 1001;
    update core.transactions set currency = 'US$' where transaction_id = 1002;
    insert into core.transactions select * from core.transactions where transaction_id = 1003;
    insert into core.operations select transaction_id, transaction_id, trans_date, 'capture', status, abs(amount), currency
      from core.transactions where transaction_id in (1004, 1005, 2004);`);

  const registry = new pg.Pool({ connectionString: registryDb.url });
  await registry.query(ddl('registry.pg.sql'));
  await registry.query(`
    insert into "REGISTRY"."TARIFFS" values (1, 'START', 'Старт', 0, 1.50), (2, 'BUSINESS', 'Бизнес', 49.90, 1.10);
    insert into "REGISTRY"."LEGAL_CLIENTS" values
      (10, '190000001', 'ООО «Евроторг»', 'retail', 'large', 'Минск', 'Минск', '${addresses[0]}', '2015-03-01', 'active', 'Y', '2026-09-01 10:00'),
      (11, '290000002', 'ООО «Атлант-М Брест»', 'auto', 'medium', 'Брестская область', 'Брест', '${addresses[1]}', '2018-06-11', 'active', 'N', '2026-09-01 10:00');
    insert into "REGISTRY"."CONTRACTS" values (1, 'Д-2026/00001', 10, 2, '2026-01-15', '2026-02-01', null, 'active', 12000, '2026-09-01 10:00'),
      (2, 'Д-2026/00002', 11, 1, '2026-03-01', '2026-03-01', null, 'active', 3000, '2026-09-01 10:00');
    insert into "REGISTRY"."USER_PROFILES" values
      (100, '+375 29 123-45-67', ' Ivan.Petrov@Mail.ru', 'Иван', 'Петров', '1990-05-01', 'M', 'Минск', 'Минск', null, '2026-09-20 09:00', 'google_ads', 'android', 'd-100', 'active', '2026-09-20 09:00'),
      (101, '80291112233', 'anna@tut.by', 'Анна', 'Ковалёва', '1995-02-11', 'F', 'Брестская область', 'Брест', null, '2026-09-21 19:00', 'organic', 'ios', 'd-101', 'active', '2026-09-21 19:00'),
      (102, '375331234567', null, 'Олег', 'Сидоров', null, 'M', 'Гомельская область', 'Гомель', null, '2026-10-01 11:00', 'tiktok_ads', 'android', 'd-102', 'active', '2026-10-01 11:00');
    insert into "REGISTRY"."USER_SETTINGS" values (100, 'language', 'ru'), (100, 'push_enabled', 'true'), (101, 'language', 'be');
    insert into "REGISTRY"."APP_SESSIONS" values ('s-1', 100, '2026-10-01 08:10', '2026-10-01 08:20', 'android', '3.14.0', 5),
      ('s-2', 101, '2026-10-01 19:00', '2026-10-01 19:03', 'ios', '3.14.0', 2),
      ('s-3', 102, '2026-10-02 12:00', null, 'android', '3.13.2', 1);`);

  const crm = await mysql.createConnection({ uri: crmDb.url, multipleStatements: true });
  await crm.query(ddl('crm.mysql.sql'));
  await crm.query(`
    INSERT INTO b_user VALUES (1, 'Y', 'manager1', 'Ольга', 'Иванова', 'o.ivanova@vitrina.by', '+375291000001', 'Менеджер', '2025-01-10 09:00:00', '2026-09-01 09:00:00'),
      (2, 'Y', 'manager2', 'Павел', 'Климович', 'p.klimovich@vitrina.by', '+375291000002', 'Старший менеджер', '2025-02-01 09:00:00', '2026-09-01 09:00:00');
    INSERT INTO b_crm_status VALUES (1, 'DEAL_STAGE', 'NEW', 'Новая', 10, NULL, 0), (2, 'DEAL_STAGE', 'WON', 'Успешна', 20, 'S', 0), (3, 'SOURCE', 'WEB', 'Сайт', 10, NULL, NULL);
    INSERT INTO b_crm_company VALUES (1, 'Евроторг', 'CUSTOMER', 'RETAIL', 'EMPLOYEES_4', 1000000, 'BYN', 1, '2026-01-10 10:00:00', '2026-09-30 10:00:00');
    INSERT INTO b_crm_requisite VALUES (1, 4, 1, 'ООО «Евроторг»', '190000001', '2026-01-10 10:00:00', '2026-01-10 10:00:00');
    INSERT INTO b_crm_contact VALUES (1, 'Иван', 'Петров', NULL, '1990-05-01', 'CLIENT', 'WEB', 1, NULL, '2026-09-20 10:00:00', '2026-09-20 10:00:00'),
      (2, 'Анна', 'Ковалёва', NULL, NULL, 'CLIENT', 'WEB', 2, NULL, '2026-09-22 10:00:00', '2026-09-22 10:00:00');
    INSERT INTO b_crm_lead VALUES (1, 'Подключение Евроторг', NULL, NULL, 'CONVERTED', 'WEB', 1, 12000, 'BYN', NULL, 1, '2026-01-05 10:00:00', '2026-01-10 10:00:00', '2026-01-10 10:00:00'),
      (2, 'Заявка с сайта', 'Иван', 'Петров', 'NEW', 'WEB', 2, NULL, NULL, 1, NULL, '2026-09-20 10:00:00', '2026-09-20 10:00:00', NULL);
    INSERT INTO b_crm_deal VALUES (1, 'Тариф Бизнес для Евроторг', 0, 'WON', 'S', 12000, 'BYN', 'WEB', 1, NULL, 1, 1, 'Y', '2026-01-15', '2026-01-10 10:00:00', '2026-01-15 10:00:00'),
      (2, 'Эквайринг Атлант-М', 0, 'NEW', 'P', 3000, 'BYN', 'WEB', 2, NULL, NULL, NULL, 'N', NULL, '2026-09-25 10:00:00', '2026-09-30 12:00:00'),
      (3, 'Зарплатный проект', 0, 'NEW', 'P', 800, 'USD', 'WEB', 2, NULL, NULL, NULL, 'N', NULL, '2026-09-28 10:00:00', '2026-09-28 10:00:00');
    INSERT INTO b_crm_utm VALUES (1, 2, 'UTM_SOURCE', 'google'), (1, 2, 'UTM_CAMPAIGN', 'gads_autumn');
    INSERT INTO b_crm_field_multi VALUES (1, 'CONTACT', 1, 'PHONE', 'MOBILE', '+375 (29) 123-45-67'), (2, 'CONTACT', 1, 'EMAIL', 'WORK', 'ivan.petrov@mail.ru');`);

  for (const [index, day] of DAYS.entries()) {
    writeFileSync(join(replay, 'nbrb', `rates-${day}.json`), JSON.stringify(rates(day, 3.2 + index / 100)));
    writeInbox(
      inbox,
      `partner_sales/partner_sales_${day}.csv`,
      [
        csvHeader,
        `${day};EVROOPT;EVROOPT-0001;Евроопт Притыцкого;Минск;1843;45120,55;212;6088,10`,
        `${day};EVROOPT;EVROOPT-0004;Евроопт Сурганова;Минск;1200;30000,00;150;3000,50`,
        ...(index === 0 ? [`${day};EVROOPT;EVROOPT-0005;Евроопт Немига;Минск;900;12,5O;100;1000,00`] : []),
      ].join('\n'),
    );
    writeInbox(
      inbox,
      `logs/app_events_${day}.log`,
      [
        `${day}T08:00:00.000+03:00 INFO [http] GET /api/v2/balance 200 12ms`,
        `${day}T08:00:01.000+03:00 INFO [event] device=d-100 user=100 session=s-1 name=screen_view screen=home os=android app=3.14.0`,
        `${day}T08:00:02.000+03:00 INFO [event] device=d-9${index} user=- session=s-9 name=app_install channel=google_ads campaign="gads autumn" os=android app=3.14.0`,
        `${day}T08:00:03.000+03:00 INFO [event] device=d-100 user=100 session=s-1 name=payment_success amount=12.50 currency=BYN merchant=1 os=android app=3.14.0`,
        ...(index === 0 ? [`${day}T08:00:04.000+03:00 INFO [event] device=d-100 user=10`] : []),
      ].join('\n'),
    );
  }
  for (const [index, address] of addresses.entries()) {
    const sha = createHash('sha1').update(address).digest('hex');
    writeFileSync(join(replay, 'yandex', `${sha}.json`), JSON.stringify(geocoderAnswer(address, index)));
  }
  writeInbox(
    inbox,
    'agency/agency_report_2026-09-28.xlsx',
    await agencyWorkbook([
      [new Date(Date.UTC(2026, 8, 28)), 'google_ads', 'gads_autumn', 1520.4, 180000, 5400, 310],
      [new Date(Date.UTC(2026, 8, 28)), 'meta_ads', 'meta_autumn', 800, 90000, 2100, 120],
      [new Date(Date.UTC(2026, 8, 29)), 'tiktok_ads', 'tt_autumn', 300.5, 50000, 'много', 40],
    ]),
  );
  writeInbox(
    inbox,
    'docs/contracts/contract_Д-2026_00001.docx',
    await docx([
      'ДОГОВОР № Д-2026/00001',
      'г. Минск «15» января 2026 г.',
      'ООО «Евроторг», именуемое в дальнейшем «Клиент», с одной стороны…',
      'Тариф: BUSINESS',
      'Сумма договора: 12 000,00 BYN',
    ]),
  );
  writeInbox(
    inbox,
    'docs/products/product_P2P.docx',
    await docx(['Продукт: Перевод (P2P)', 'Перевод по номеру телефона.']),
  );

  const warehouse = new pg.Pool({ connectionString: warehouseDb.url });
  const env: Record<string, string> = {
    VITRINA_WAREHOUSE_URL: warehouseDb.url,
    VITRINA_PAYMENTS_URL: paymentsDb.url,
    VITRINA_REGISTRY_URL: registryDb.url,
    VITRINA_CRM_URL: crmDb.url,
    VITRINA_INBOX: inbox,
    VITRINA_REPLAY_FIXTURES: replay,
    VITRINA_START: START,
    VITRINA_LOOKBACK_DAYS: '2',
    // A company this small has files of three lines: one bad line is a third of its delivery.
    VITRINA_MAX_QUARANTINED_SHARE: '*=50%',
    ...(options.ftpUrl ? { VITRINA_FTP_URL: options.ftpUrl } : {}),
  };
  const config = loadWarehouseConfig(env);
  const resources = await openResources(config);
  const graph = new AssetGraph(stageAssets(START));
  const pools = { crm: 1, payments: 1, registry: 1, files: 1, api: 2 };
  return {
    config,
    resources,
    graph,
    runs,
    payments,
    registry,
    warehouse,
    crm,
    inbox,
    replay,
    materialize: async (selection, range = {}, other = resources) => {
      const plan = await planRun(graph, runs.storage, { selection, ...range });
      return execute({ graph, plan, storage: runs.storage, resources: other, pools, maxParallel: 6 });
    },
    withSettings: async (settings, work) => {
      const other = await openResources(loadWarehouseConfig({ ...env, ...settings }));
      try {
        return await work(other);
      } finally {
        await other.close();
      }
    },
    dispose: async () => {
      await resources.close();
      await Promise.all([payments.end(), registry.end(), warehouse.end(), crm.end()]);
      await runs.dispose();
      await Promise.all([paymentsDb.drop(), registryDb.drop(), warehouseDb.drop(), crmDb.drop()]);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
