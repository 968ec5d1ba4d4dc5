import type { Asset, PartitionMapping } from '@vitrina/core';
import { NORMALIZERS } from '../dimension/index.ts';
import { procedureAsset } from '../dimension/procedureAsset.ts';
import type { WarehouseResources } from '../resources.ts';
import { biChecks } from './checks.ts';

/** The daily KPIs look back 60 days: MAU (30) and the churn base (the 30 before). */
const sixtyDays: PartitionMapping = { kind: 'window', startOffset: -59, endOffset: 0 };

/** Every asset of the `bi` layer: facts, dimensions and KPIs in PostgreSQL (stored procedures in sql/postgres/bi/; the contract is sql/postgres/bi/CONTRACT.md). */
export function biAssets(start: string): Asset<WarehouseResources>[] {
  const asset = (
    key: string,
    kind: 'day' | 'state',
    deps: Array<string | { key: string; mapping: PartitionMapping }>,
    description: string,
  ) => {
    const checks = biChecks[key];
    return procedureAsset({ key, kind, deps, description, ...(checks ? { checks } : {}) }, start);
  };
  return [
    asset(
      'bi.dim_date',
      'state',
      [],
      'The calendar: year, quarter, month, ISO week, Monday of the week, weekday, weekend.',
    ),
    asset(
      'bi.dim_currency_rate',
      'day',
      ['dimension.currency_rates'],
      'BYN per unit of each currency on each day (BYN at 1), with the NBRB day the rate comes from.',
    ),
    asset(
      'bi.dim_channel',
      'state',
      ['dimension.users', 'stage.agency_spend', NORMALIZERS],
      'Acquisition channels: paid, organic, referral, partner.',
    ),
    asset(
      'bi.dim_user',
      'state',
      ['dimension.users', 'dimension.identity_links', 'dimension.payments', 'bi.dim_channel'],
      'One row per person: profile, cohort, channel, region, first card and first payment, the linked CRM contact.',
    ),
    asset(
      'bi.dim_merchant',
      'state',
      ['dimension.merchants'],
      'Merchants: vertical, subtype, chain, brand, region, city, coordinates, commission.',
    ),
    asset(
      'bi.dim_legal_entity',
      'state',
      ['dimension.legal_entities'],
      'Legal-entity clients: industry, size, region, key account, current tariff, CRM company.',
    ),
    asset(
      'bi.fact_payments',
      'day',
      ['dimension.payments'],
      'Payments of a day in BYN: amount, commission, cashback, status, method, merchant, legal client.',
    ),
    asset(
      'bi.fact_app_events',
      'day',
      ['stage.app_events', NORMALIZERS],
      "The app's events of a day; installs carry the user their device shows that day.",
    ),
    asset(
      'bi.fact_sessions',
      'day',
      ['stage.app_sessions', NORMALIZERS],
      'App sessions of a day: user, start, end, duration, OS, version, screens.',
    ),
    asset(
      'bi.fact_marketing_spend',
      'state',
      ['stage.agency_spend', NORMALIZERS],
      "Spend, impressions, clicks and installs per day, channel and campaign from the agency's reports.",
    ),
    asset(
      'bi.fact_crm_deals',
      'state',
      [
        'stage.crm_deals',
        'dimension.currency_rates',
        'dimension.legal_entities',
        'dimension.identity_links',
        NORMALIZERS,
      ],
      'CRM deals as they stand: stage, won or lost, amount in BYN, the registry client and the app user.',
    ),
    asset(
      'bi.fact_partner_sales',
      'day',
      ['stage.partner_sales', NORMALIZERS],
      "Partners' sales per store and day, in total and through the app.",
    ),
    asset(
      'bi.kpi_daily',
      'day',
      [
        { key: 'bi.fact_payments', mapping: sixtyDays },
        { key: 'bi.fact_sessions', mapping: sixtyDays },
      ],
      'DAU, WAU, MAU, stickiness, transactions, turnover, revenue, average check, paying users, ARPU, ARPPU, churn.',
    ),
    asset(
      'bi.kpi_funnel',
      'state',
      ['bi.fact_app_events', 'bi.dim_user', 'bi.fact_payments'],
      'Install → registration → card linked → first payment → repeat payment, by install week and channel.',
    ),
    asset(
      'bi.kpi_retention',
      'state',
      ['bi.dim_user', 'bi.fact_sessions', 'bi.fact_payments'],
      'Retention and LTV by weekly and monthly registration cohort.',
    ),
    asset(
      'bi.kpi_channel',
      'state',
      ['bi.dim_user', 'bi.fact_payments', 'bi.fact_marketing_spend'],
      'CAC, LTV and ROMI by acquisition channel and registration month.',
    ),
    asset(
      'bi.kpi_legal_entities',
      'day',
      ['bi.fact_payments', 'bi.dim_legal_entity'],
      'Legal entities a day: active clients and key accounts, turnover, commission, transaction frequency.',
    ),
    asset(
      'bi.kpi_legal_monthly',
      'state',
      ['bi.fact_payments', 'bi.dim_legal_entity'],
      'Legal entities by month and tariff: tariff mix, activity, turnover, key-account retention.',
    ),
  ];
}
