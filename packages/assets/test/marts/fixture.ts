import { type Asset, AssetGraph, daily, defineAsset, execute, planRun, type RunOutcome } from '@vitrina/core';
import { openTestStorage, type TestStorage, tempDatabase } from '@vitrina/core/testing';
import { ClickHouse, quarantineDdl } from '@vitrina/io';
import { testClickhouseUrl } from '@vitrina/io/testing';
import pg from 'pg';
import { martSpecs } from '../../src/marts/index.ts';
import { type MartResources, transferredMart } from '../../src/marts/transferredMart.ts';
import { readSql } from '../../src/sql.ts';
import {
  appEvents,
  channels,
  DAYS,
  installs,
  legalEntities,
  merchants,
  money,
  partnerSales,
  payments,
  quarantined,
  sessions,
  spend,
  strayAppEvents,
  users,
} from './world.ts';

const contract = readSql('postgres/bi/CONTRACT.md');

/** The bi tables exactly as the contract declares them (its one sql block). */
export function contractDdl(): string {
  const block = /```sql\n([\s\S]*?)```/.exec(contract);
  if (!block) throw new Error('sql/postgres/bi/CONTRACT.md has no sql block');
  return `create schema bi;\n${block[1]}`;
}

type Value = string | number | boolean | null;

export async function insertRows(pool: pg.Pool, table: string, columns: string[], rows: Value[][]) {
  if (rows.length === 0) return;
  const placeholders = rows.map(
    (_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`,
  );
  await pool.query(
    `insert into ${table} (${columns.join(', ')}) values ${placeholders.join(', ')}`,
    rows.flat(),
  );
}

/** The KPI tables and their procedures as the bi layer defines them (sql/postgres/bi/kpi_*.sql). */
export const kpiTables = ['kpi_daily', 'kpi_channel'] as const;

async function fillKpis(pool: pg.Pool): Promise<void> {
  for (const table of kpiTables) {
    await pool.query(readSql(`postgres/bi/${table}.sql`));
  }
  for (const day of DAYS) await pool.query('call bi.fill_kpi_daily($1)', [day]);
  await pool.query('call bi.fill_kpi_channel()');
}

/** Writes the synthetic world of world.ts into the contract's tables. */
export async function fillWorld(pool: pg.Pool): Promise<void> {
  await insertRows(
    pool,
    'bi.dim_channel',
    ['channel', 'channel_type', 'is_paid'],
    channels.map((c) => [c.channel, c.channel_type, c.is_paid]),
  );
  await insertRows(
    pool,
    'bi.dim_user',
    [
      'user_id',
      'registered_at',
      'registration_date',
      'cohort_week',
      'cohort_month',
      'acq_channel',
      'region',
      'city',
      'device_os',
      'device_id',
      'status',
      'first_card_linked_at',
      'card_linked_within_3d',
      'first_payment_at',
    ],
    users.map((u) => [
      u.user_id,
      `${u.registration_date} 10:00`,
      u.registration_date,
      u.cohort_week,
      u.cohort_month,
      u.acq_channel,
      u.region,
      u.region === 'Минск' ? 'Минск' : 'Брест',
      u.device_os,
      `device-of-${u.user_id}`,
      'active',
      u.card_linked ? `${u.registration_date} 11:00` : null,
      u.card_linked,
      u.first_payment_at,
    ]),
  );
  await insertRows(
    pool,
    'bi.dim_legal_entity',
    [
      'client_id',
      'unp',
      'name',
      'industry',
      'size_category',
      'region',
      'city',
      'registered_at',
      'status',
      'is_key_account',
      'tariff_name',
    ],
    legalEntities.map((l) => [
      l.client_id,
      `19${l.client_id}0000`,
      `Client ${l.client_id}`,
      l.industry,
      l.size_category,
      'Минск',
      'Минск',
      '2025-01-01',
      'active',
      l.is_key_account,
      l.tariff_name,
    ]),
  );
  await insertRows(
    pool,
    'bi.dim_merchant',
    [
      'merchant_id',
      'name',
      'vertical',
      'subtype',
      'chain',
      'brand',
      'region',
      'city',
      'address',
      'legal_client_id',
      'commission_pct',
    ],
    merchants.map((m) => [
      m.merchant_id,
      m.name,
      m.vertical,
      m.subtype,
      m.chain,
      m.brand,
      m.region,
      m.region === 'Минск' ? 'Минск' : 'Брест',
      `ул. Тестовая, ${m.merchant_id}`,
      m.legal_client_id,
      1.5,
    ]),
  );
  await insertRows(
    pool,
    'bi.fact_payments',
    [
      'day',
      'transaction_id',
      'trans_date',
      'hour',
      'user_id',
      'merchant_id',
      'legal_client_id',
      'method',
      'operation_type',
      'status',
      'is_success',
      'currency',
      'amount',
      'amount_byn',
      'commission_byn',
      'cashback_campaign_id',
      'cashback_byn',
      'payer_type',
      'payer_legal_client_id',
    ],
    payments.map((p) => [
      p.day,
      p.transaction_id,
      p.trans_date,
      p.hour,
      p.user_id,
      p.merchant_id,
      p.legal_client_id,
      p.method,
      'purchase',
      p.status,
      p.status === 'success',
      p.currency,
      money(p.amountCents),
      money(p.amountBynCents),
      money(p.commissionCents),
      p.cashbackCampaignId,
      money(p.cashbackCents),
      p.payer_type,
      p.payer_legal_client_id,
    ]),
  );
  await insertRows(
    pool,
    'bi.fact_sessions',
    ['day', 'session_id', 'user_id', 'started_at', 'duration_s', 'device_os', 'app_version', 'screens'],
    sessions.map((s) => [
      s.day,
      s.session_id,
      s.user_id,
      s.started_at,
      s.duration_s,
      s.device_os,
      s.app_version,
      s.screens,
    ]),
  );
  await insertRows(
    pool,
    'bi.fact_app_events',
    ['day', 'event_time', 'user_id', 'device_id', 'session_id', 'name', 'screen', 'os', 'app_version'],
    [...appEvents, ...strayAppEvents].map((e) => [
      e.day,
      `${e.day} 12:01+03`,
      e.user_id,
      `device-of-${e.user_id}`,
      e.session_id,
      e.name,
      e.screen,
      e.os,
      e.app_version,
    ]),
  );
  await insertRows(
    pool,
    'bi.fact_app_events',
    ['day', 'event_time', 'device_id', 'name', 'channel', 'os'],
    installs.map((i) => [i.day, `${i.day} 09:00+03`, i.device_id, 'app_install', i.channel, i.os]),
  );
  await insertRows(
    pool,
    'bi.fact_marketing_spend',
    ['day', 'channel', 'campaign', 'spend_byn', 'impressions', 'clicks', 'installs'],
    spend.map((s) => [s.day, s.channel, s.campaign, money(s.spendCents), 1000, 50, s.installs]),
  );
  await insertRows(
    pool,
    'bi.fact_partner_sales',
    [
      'day',
      'store_code',
      'partner_code',
      'merchant_id',
      'receipts_total',
      'turnover_total_byn',
      'receipts_app',
      'turnover_app_byn',
    ],
    partnerSales.map((s) => [
      s.day,
      s.store_code,
      s.partner_code,
      s.merchant_id,
      s.receipts_total,
      money(s.turnoverTotalCents),
      s.receipts_app,
      money(s.turnoverAppCents),
    ]),
  );
  await insertRows(
    pool,
    'quarantine.rows',
    ['source', 'asset', 'partition', 'run_id', 'reason', 'raw'],
    quarantined.map((q) => [q.source, q.asset, q.partition, 'seed', q.reason, '{}']),
  );
}

export interface MartFixture {
  warehouse: pg.Pool;
  clickhouse: ClickHouse;
  database: string;
  resources: MartResources;
  graph: AssetGraph<MartResources>;
  marts: Asset<MartResources>[];
  runs: TestStorage;
  materialize: (
    selection: string,
    options?: { from?: string; to?: string; force?: boolean },
  ) => Promise<RunOutcome>;
  /** Rows of a ClickHouse query with the mart database's tables unqualified. */
  query: <T = Record<string, string>>(sql: string) => Promise<T[]>;
  dispose: () => Promise<void>;
}

/** Stand-ins for the upstreams the marts read: the bi and stage assets are tested on their own. */
function upstreamStubs(marts: Asset<MartResources>[]): Asset<MartResources>[] {
  const defined = new Set(marts.map((mart) => mart.key));
  const upstreams = new Set(
    marts.flatMap((mart) => mart.deps.map((dep) => dep.key)).filter((key) => !defined.has(key)),
  );
  return [...upstreams].map((key) =>
    defineAsset<MartResources>({
      key,
      description: `stand-in for ${key}`,
      group: key.split('.')[0]!,
      storage: 'external',
      partitions: daily(DAYS[0]), // as in the real graph, where every stage and bi asset is daily
    }),
  );
}

export async function openMartFixture(): Promise<MartFixture> {
  const database = `vitrina_marts_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const postgres = await tempDatabase('vitrina_marts');
  const warehouse = new pg.Pool({ connectionString: postgres.url, max: 8 });
  await warehouse.query(`${contractDdl()};\n${quarantineDdl}`);
  await fillWorld(warehouse);
  await fillKpis(warehouse);
  const clickhouse = new ClickHouse(`${testClickhouseUrl.replace(/\/$/, '')}/${database}`);
  const marts = martSpecs(DAYS[0]).map((spec) => transferredMart(spec, DAYS[0]));
  const graph = new AssetGraph([...upstreamStubs(marts), ...marts]);
  const runs = await openTestStorage('postgres');
  const resources = { warehouse, clickhouse };
  return {
    warehouse,
    clickhouse,
    database,
    resources,
    graph,
    marts,
    runs,
    materialize: async (selection, options = {}) => {
      const plan = await planRun(graph, runs.storage, { selection, from: DAYS[0], to: DAYS[2], ...options });
      return execute({
        graph,
        plan,
        storage: runs.storage,
        resources,
        pools: { transfer: 3 },
        maxParallel: 6,
      });
    },
    query: (sql) => clickhouse.rows(sql),
    dispose: async () => {
      await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`).catch(() => {});
      await clickhouse.close();
      await runs.dispose();
      await warehouse.end();
      await postgres.drop();
    },
  };
}
