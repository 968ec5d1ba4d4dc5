import { payments } from '@vitrina/sample-company/contracts';
import {
  bigint,
  bool,
  date,
  decimal,
  int,
  MART_DAYS,
  type RowRule,
  text,
  timestamp,
  UNSIGNED,
} from './columns.ts';
import { sourceTable } from './sourceContract.ts';
import type { DatabaseTableSpec } from './table.ts';

const currency = text({ pattern: /^[A-Z]{3}$/ });

/** A business account's payment names the client it pays for; an individual's own names none. */
const payerClient: RowRule = {
  column: 'payer_legal_client_id',
  check: (value) => {
    const individual = value('payer_type') === 'individual';
    const client = value('payer_legal_client_id');
    if (individual && client !== null) return `set for an individual's own payment (${String(client)})`;
    return !individual && client === null ? `missing for a ${String(value('payer_type'))} payer` : null;
  },
};

export const paymentsTables: DatabaseTableSpec[] = [
  {
    name: 'payments',
    description:
      'Payments from the core (core.transactions) by day of trans_date: amount, currency, method, status, commission, cashback, ' +
      'who pays (an individual, or a business account of an entrepreneur or legal entity, with its registry client). ' +
      'Each day re-reads the lookback window for late rows and refunds.',
    ...sourceTable(payments.transactions, {
      transaction_id: bigint(UNSIGNED),
      trans_date: timestamp({ range: MART_DAYS }),
      user_id: bigint(UNSIGNED),
      merchant_id: int(UNSIGNED),
      product_id: int({ nullable: true }),
      card_id: bigint({ nullable: true }),
      amount: decimal(14, 2, { sign: 'positive' }),
      currency,
      method: text({ values: ['card', 'wallet', 'qr', 'erip'] }),
      operation_type: text({ values: ['purchase', 'bill_payment', 'p2p_transfer', 'top_up'] }),
      status: text({ values: ['success', 'failed', 'refunded'] }),
      commission: decimal(12, 2),
      cashback_campaign_id: int({ nullable: true, ...UNSIGNED }),
      cashback_amount: decimal(12, 2, { nullable: true }),
      created_at: timestamp(),
      updated_at: timestamp(),
      payer_type: text({ values: ['individual', 'entrepreneur', 'legal'] }),
      payer_legal_client_id: int({ nullable: true, ...UNSIGNED }),
    }),
    rules: [payerClient],
    mode: { kind: 'daily', cursor: 'trans_date', deduplicateBy: ['transaction_id'] },
    deps: ['stage.nbrb_rates'],
    critical: [
      {
        name: 'transaction_ids_unique',
        description: 'one transaction_id, different payments',
        sql: `select 'transaction_id ' || transaction_id || ' appears ' || count(*) || ' times with different values' as problem
          from stage.payments where day between $1 and $2
          group by transaction_id having count(*) > 1 order by transaction_id`,
        fix: 'The payments core delivered conflicting rows: correct them there, then re-run this step.',
      },
      {
        name: 'currencies_have_rates',
        description: 'a currency without an NBRB rate cannot be converted to BYN',
        sql: `select distinct 'currency ' || p.currency || ' on ' || p.day || ' (transaction_id ' || min(p.transaction_id) over (partition by p.currency, p.day) || ')' as problem
          from stage.payments p
          where p.day between $1 and $2 and p.currency <> 'BYN'
            and not exists (select 1 from stage.nbrb_rates r where r.currency = p.currency and r.day <= p.day)`,
        fix: 'Correct the currency in the payments core, or load the NBRB rates of that day, then re-run this step.',
      },
      {
        name: 'commission_within_amount',
        description: 'a successful payment whose commission exceeds its amount',
        sql: `select 'transaction_id ' || transaction_id || ': commission ' || commission || ' > amount ' || amount as problem
          from stage.payments where day between $1 and $2 and status = 'success' and commission > amount
          order by transaction_id`,
        fix: 'Correct the commission in the payments core, then re-run this step.',
      },
    ],
  },
  {
    name: 'payment_operations',
    description:
      'The operations history of payments (core.operations): authorisations, captures, declines, refunds, by day.',
    ...sourceTable(payments.operations, {
      operation_id: bigint(),
      transaction_id: bigint(),
      op_date: timestamp(),
      op_type: text({ values: ['authorize', 'capture', 'decline', 'refund'] }),
      status: text(),
      amount: decimal(14, 2),
      currency,
    }),
    mode: { kind: 'daily', cursor: 'op_date', deduplicateBy: ['operation_id'] },
  },
  {
    name: 'merchants',
    description:
      'Merchants (core.merchants): vertical, subtype, chain, brand, region, address, commission rate.',
    ...sourceTable(payments.merchants, {
      merchant_id: int(UNSIGNED),
      name: text(),
      legal_client_id: int({ nullable: true, ...UNSIGNED }),
      vertical: text(),
      subtype: text(),
      chain: text({ nullable: true }),
      brand: text({ nullable: true }),
      region: text(),
      city: text(),
      address: text(),
      mcc: text({ pattern: /^\d{4}$/ }),
      commission_pct: decimal(5, 2),
      created_at: timestamp(),
      updated_at: timestamp(),
    }),
    mode: { kind: 'upsert', key: ['merchant_id'], cursor: 'updated_at' },
  },
  {
    name: 'products',
    description: 'The product catalogue of the payments core (core.products).',
    ...sourceTable(payments.products, {
      product_id: int(),
      code: text(),
      name: text(),
      category: text(),
      description: text(),
      commission_pct: decimal(5, 2),
      active: bool(),
    }),
    mode: { kind: 'full' },
  },
  {
    name: 'cashback_campaigns',
    description: 'Cashback campaigns (core.cashback_campaigns): what they reward, how much, when.',
    ...sourceTable(payments.cashbackCampaigns, {
      campaign_id: int(),
      name: text(),
      vertical: text({ nullable: true }),
      chain: text({ nullable: true }),
      cashback_pct: decimal(5, 2),
      starts_on: date(),
      ends_on: date(),
    }),
    mode: { kind: 'full' },
  },
  {
    name: 'cards',
    description: 'Cards users linked in the app (core.cards): when, which brand and bank, their status.',
    ...sourceTable(payments.cards, {
      card_id: bigint(),
      user_id: bigint(),
      pan_masked: text(),
      card_brand: text(),
      bank: text(),
      linked_at: timestamp(),
      status: text(),
      updated_at: timestamp(),
    }),
    mode: { kind: 'upsert', key: ['card_id'], cursor: 'updated_at' },
  },
];
