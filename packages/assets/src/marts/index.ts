import type { Asset } from '@vitrina/core';
import type { WarehouseResources } from '../resources.ts';
import { stageAssets } from '../stage/index.ts';
import { type MartSpec, transferredMart } from './transferredMart.ts';

const dims = {
  merchant: 'bi.dim_merchant',
  user: 'bi.dim_user',
  legalEntity: 'bi.dim_legal_entity',
  channel: 'bi.dim_channel',
} as const;

/** The marts and the dashboards they serve (README "Marts"). */
export function martSpecs(start: string): MartSpec[] {
  const stageKeys = stageAssets(start)
    .filter((asset) => asset.group === 'stage')
    .map((asset) => asset.key);
  return [
    {
      name: 'payments',
      description:
        'Every payment with the merchant, user and legal-entity attributes dashboards filter by (individual clients, auto centres, grocery, legal entities; peak days and hours; cashback).',
      grain: 'daily',
      reads: ['bi.fact_payments', dims.merchant, dims.user, dims.legalEntity],
      sums: ['amount_byn', 'commission_byn', 'cashback_byn'],
    },
    {
      name: 'overview_daily',
      description:
        'C-level overview: transactions, turnover, commission income, cashback and new payers by day, direction (B2C/B2B), vertical, region, method and operation type.',
      grain: 'daily',
      reads: ['bi.fact_payments', dims.merchant, dims.user],
      sums: ['transactions', 'successful', 'turnover_byn', 'commission_byn', 'cashback_byn', 'new_payers'],
    },
    {
      name: 'active_users',
      description:
        'One row per user active on a day (a session or a payment): DAU/WAU/MAU, stickiness, activity and frequency by region and channel.',
      grain: 'daily',
      reads: ['bi.fact_sessions', 'bi.fact_payments', dims.user],
      sums: ['sessions', 'payments', 'turnover_byn', 'commission_byn'],
    },
    {
      name: 'app_daily',
      description:
        'The app as a product: sessions, active users, session time, screen views, crashes and crash-free sessions by day, OS and app version (version adoption, crash rate per release).',
      grain: 'daily',
      reads: ['bi.fact_sessions', 'bi.fact_app_events'],
      sums: ['sessions', 'active_users', 'session_seconds', 'screen_views', 'crashes', 'crashed_sessions'],
    },
    {
      name: 'app_screens_daily',
      description:
        "The app's screens: screen views, the sessions and users that showed each screen, and crashes by day, OS, app version and screen.",
      grain: 'daily',
      reads: ['bi.fact_app_events', 'bi.fact_sessions'],
      sums: ['screen_views', 'sessions', 'users', 'crashes'],
    },
    {
      name: 'merchants_daily',
      description:
        "A merchant's day with vertical, subtype, chain, brand and region: auto centres and grocery chains by turnover, receipts, average check and cashback.",
      grain: 'daily',
      reads: ['bi.fact_payments', dims.merchant],
      sums: ['transactions', 'receipts', 'turnover_byn', 'commission_byn', 'cashback_byn'],
    },
    {
      name: 'partner_sales',
      description:
        "Partners' store sales beside what was paid through the app: our share of grocery by chain and region (vertical tells grocery stores from auto centres).",
      grain: 'daily',
      reads: ['bi.fact_partner_sales', dims.merchant],
      sums: ['receipts_total', 'turnover_total_byn', 'receipts_app', 'turnover_app_byn'],
    },
    {
      name: 'marketing_daily',
      description:
        'Spend, installs, registrations, new payers and the revenue of acquired users by day and channel: CAC and ROMI by channel.',
      grain: 'daily',
      reads: ['bi.fact_marketing_spend', 'bi.fact_payments', dims.channel, dims.user],
      sums: ['spend_byn', 'installs', 'registrations', 'new_payers', 'turnover_byn', 'revenue_byn'],
    },
    {
      name: 'kpi_daily',
      description:
        'C-level KPIs of each day as bi.kpi_daily defines them: DAU/WAU/MAU, stickiness, turnover, revenue, average check, ARPU, ARPPU, churn.',
      grain: 'daily',
      reads: ['bi.kpi_daily'],
      sums: ['dau', 'transactions', 'turnover_byn', 'revenue_byn', 'cashback_byn', 'paying_users'],
    },
    {
      name: 'quarantine',
      description: 'Data quality: rows left out by validation per day, source, asset and reason.',
      grain: 'daily',
      reads: stageKeys,
      sums: ['rows'],
    },
    {
      name: 'users',
      description:
        'Every individual client: registration, region, channel, the funnel stage reached, LTV, churned and at-risk flags.',
      grain: 'whole',
      reads: ['bi.fact_payments', dims.user],
      sums: ['payments', 'turnover_byn', 'commission_byn', 'cashback_byn', 'churned'],
    },
    {
      name: 'legal_entities',
      description:
        'Every legal-entity client: industry, size, tariff, turnover and frequency through its merchants, key-account retention; its own payments through its business accounts (own_*).',
      grain: 'whole',
      reads: ['bi.fact_payments', dims.legalEntity],
      sums: ['transactions', 'turnover_byn', 'commission_byn', 'retained'],
    },
    {
      name: 'funnel',
      description:
        'Install → registration → card linked → first payment → repeat payment by day, acquisition channel and OS.',
      grain: 'whole',
      reads: ['bi.fact_app_events', 'bi.fact_payments', dims.user],
      sums: ['installs', 'registrations', 'card_linked', 'first_payment', 'repeat_payment'],
    },
    {
      name: 'cohorts',
      description:
        'Retention and cumulative revenue (LTV) by weekly and monthly registration cohort and acquisition channel.',
      grain: 'whole',
      reads: ['bi.fact_payments', dims.user],
      sums: ['cohort_size', 'active_users', 'revenue_byn', 'cumulative_revenue_byn'],
    },
    {
      name: 'kpi_channel',
      description:
        'Marketing: CAC, LTV and ROMI by acquisition channel and registration month, as bi.kpi_channel defines them.',
      grain: 'whole',
      reads: ['bi.kpi_channel'],
      sums: ['registered_users', 'paying_users', 'spend_byn', 'revenue_byn'],
    },
    {
      name: 'freshness',
      description: 'Data quality: the newest day of every bi fact, its rows, and how many days it is behind.',
      grain: 'whole',
      reads: [
        'bi.fact_payments',
        'bi.fact_app_events',
        'bi.fact_sessions',
        'bi.fact_marketing_spend',
        'bi.fact_partner_sales',
      ],
      sums: ['rows_latest_day', 'rows_total'],
    },
  ];
}

/** Every asset of the ClickHouse marts (DDL in sql/clickhouse/), transferred from `bi` partition by partition. */
export function martAssets(start: string): Asset<WarehouseResources>[] {
  return martSpecs(start).map((spec) => transferredMart(spec, start));
}
