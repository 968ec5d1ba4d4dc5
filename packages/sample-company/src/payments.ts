import { type DayContext, dayContext, type Payment, type UserDay, userDay } from './activity.ts';
import { BadRowInjector } from './badRows.ts';
import { dayKey, localTimestamp, SECONDS_PER_DAY } from './calendar.ts';
import { payments, select } from './contracts.ts';
import { randomFor, Stream } from './random.ts';
import { banks, cardBins, cardBrands } from './reference.ts';
import { type Generated, type TableIncrement, tableIncrement } from './rows.ts';
import type { User, World } from './world.ts';

/** Ids carry the day the row reached the core: day number × 10^7 + sequence. */
export const ID_BLOCK = 10_000_000;
/** How far back a payment may arrive late, and how late a refund may come. */
export const MAX_LATE_DAYS = 3;
export const MAX_REFUND_DAYS = 7;

export interface TransactionRow {
  transaction_id: number;
  trans_date: string;
  user_id: number | null;
  merchant_id: number | null;
  product_id: number;
  card_id: number | null;
  amount: number;
  currency: string;
  method: string;
  operation_type: string;
  status: string;
  commission: number;
  cashback_campaign_id: number | null;
  cashback_amount: number | null;
  created_at: string;
  updated_at: string;
  payer_type: string;
  payer_legal_client_id: number | null;
}

export interface OperationRow {
  operation_id: number;
  transaction_id: number;
  op_date: string;
  op_type: string;
  status: string;
  amount: number;
  currency: string;
}

export interface CardRow {
  card_id: number;
  user_id: number;
  pan_masked: string;
  card_brand: string;
  bank: string;
  linked_at: string;
  status: string;
  updated_at: string;
}

/** Every active user's day, in user order, for a day (the one pass payments, sessions and logs share). */
export function* userDays(world: World, day: number): Generator<{ user: User; activity: UserDay }> {
  const context: DayContext = dayContext(world, day);
  for (const user of world.usersThrough(day)) {
    if (user.registrationDay > day) break;
    const activity = userDay(world, context, user);
    if (activity) yield { user, activity };
  }
}

/** Payments that happened on a day (whenever they reach the core), in user then time order. */
export function* paymentsOn(world: World, day: number): Generator<Payment> {
  for (const { activity } of userDays(world, day)) yield* activity.payments;
}

interface SideLists {
  /** Payments of the day that reach the core 1–3 days later. */
  late: Payment[];
  /** On-time payments refunded later, with their transaction id. */
  refunds: Array<{ transactionId: number; payment: Payment }>;
}

/**
 * Walks a day's payments, yielding the on-time ones with their transaction id, and remembers the
 * late and to-be-refunded ones, which later days need (a pure memo: it depends on the day alone).
 */
function* scanPayments(world: World, day: number): Generator<{ payment: Payment; transactionId: number }> {
  const side: SideLists = { late: [], refunds: [] };
  let sequence = 0;
  for (const payment of paymentsOn(world, day)) {
    if (payment.delayDays > 0) {
      side.late.push(payment);
      continue;
    }
    const transactionId = day * ID_BLOCK + sequence++;
    if (payment.refundDay !== null) side.refunds.push({ transactionId, payment });
    yield { payment, transactionId };
  }
  for (const old of world.memo.keys()) {
    if (old.startsWith('side:') && Number(old.slice(5)) < day - 2 * MAX_REFUND_DAYS) world.memo.delete(old);
  }
  world.memo.set(`side:${day}`, side);
}

function sideLists(world: World, day: number): SideLists {
  const key = `side:${day}`;
  if (!world.memo.has(key)) for (const _ of scanPayments(world, day));
  return world.memo.get(key) as SideLists;
}

function transactionRow(payment: Payment, id: number): TransactionRow {
  const created = localTimestamp(payment.createdSeconds);
  return {
    transaction_id: id,
    trans_date: localTimestamp(payment.transSeconds),
    user_id: payment.userId,
    merchant_id: payment.merchant.merchant_id,
    product_id: payment.productId,
    card_id: payment.cardId,
    amount: payment.amount,
    currency: payment.currency,
    method: payment.method,
    operation_type: payment.operationType,
    status: payment.status,
    commission: payment.commission,
    cashback_campaign_id: payment.campaignId,
    cashback_amount: payment.cashback,
    created_at: created,
    updated_at: created,
    payer_type: payment.payerType,
    payer_legal_client_id: payment.payerClientId,
  };
}

const transactionBadKinds = [
  'negative_amount',
  'malformed_currency',
  'null_merchant_id',
  'null_user_id',
  'duplicate_row',
] as const;

/**
 * The transactions reaching the core on `day`: that day's on-time payments, then late ones from the
 * three days before, with bad rows injected (and the critical kinds when asked).
 */
export function* transactionRows(world: World, day: number): Generator<Generated<TransactionRow>> {
  const bad = new BadRowInjector(world, day, 'core.transactions');
  const critical = world.options.critical ? randomFor(world.options.seed, Stream.critical, day) : null;
  const criticalAt = critical ? [critical.int(3, 40), critical.int(41, 80), critical.int(81, 120)] : [];
  let sequence = 0;
  function* emit(payment: Payment): Generator<Generated<TransactionRow>> {
    const row = transactionRow(payment, day * ID_BLOCK + sequence);
    const position = sequence++;
    if (position === criticalAt[0]) {
      yield { row, change: 'insert' };
      yield {
        row: { ...row, amount: Math.round((row.amount + 1) * 100) / 100 },
        change: 'insert',
        bad: 'duplicate_id_different_amount',
      };
      return;
    }
    if (position === criticalAt[1]) {
      yield { row: { ...row, currency: 'XAU' }, change: 'insert', bad: 'currency_without_rate' };
      return;
    }
    if (position === criticalAt[2]) {
      yield {
        row: { ...row, status: 'success', commission: Math.round((row.amount + 5) * 100) / 100 },
        change: 'insert',
        bad: 'commission_exceeds_amount',
      };
      return;
    }
    const kind = bad.next(transactionBadKinds);
    switch (kind) {
      case null:
        yield { row, change: 'insert' };
        return;
      case 'duplicate_row':
        yield { row, change: 'insert' };
        yield { row: { ...row }, change: 'insert', bad: kind };
        return;
      case 'negative_amount':
        yield { row: { ...row, amount: -row.amount }, change: 'insert', bad: kind };
        return;
      case 'malformed_currency':
        yield {
          row: { ...row, currency: bad.randomness.pick(['US$', 'byn ', 'Br', 'EURO']) },
          change: 'insert',
          bad: kind,
        };
        return;
      case 'null_merchant_id':
        yield { row: { ...row, merchant_id: null }, change: 'insert', bad: kind };
        return;
      case 'null_user_id':
        yield { row: { ...row, user_id: null }, change: 'insert', bad: kind };
        return;
    }
  }
  for (const { payment } of scanPayments(world, day)) yield* emit(payment);
  for (let earlier = day - MAX_LATE_DAYS; earlier < day; earlier++) {
    for (const payment of sideLists(world, earlier).late) {
      if (earlier + payment.delayDays === day) yield* emit(payment);
    }
  }
}

/** Refunds made on `day` of payments that reached the core (on time) in the week before, not before start. */
function refundsOn(
  world: World,
  day: number,
): Array<{ transactionId: number; payment: Payment; at: number }> {
  const found: Array<{ transactionId: number; payment: Payment; at: number }> = [];
  for (let earlier = Math.max(day - MAX_REFUND_DAYS, world.startDay); earlier < day; earlier++) {
    for (const refund of sideLists(world, earlier).refunds) {
      if (refund.payment.refundDay !== day) continue;
      const at = day * SECONDS_PER_DAY + 9 * 3600 + (refund.transactionId % 36_000);
      found.push({ ...refund, at });
    }
  }
  return found;
}

function* operationRows(world: World, day: number): Generator<Generated<OperationRow>> {
  let sequence = 0;
  const id = () => day * ID_BLOCK + sequence++;
  const seen = new Set<number>();
  for (const { row, bad } of transactionRows(world, day)) {
    // A duplicated row is the core's glitch, not a second payment: it has no operations of its own.
    if (seen.has(row.transaction_id) && (bad === 'duplicate_row' || bad === 'duplicate_id_different_amount'))
      continue;
    seen.add(row.transaction_id);
    const base = { transaction_id: row.transaction_id, amount: row.amount, currency: row.currency };
    if (row.status === 'failed') {
      yield {
        row: { ...base, operation_id: id(), op_date: row.trans_date, op_type: 'decline', status: 'failed' },
        change: 'insert',
      };
      continue;
    }
    yield {
      row: { ...base, operation_id: id(), op_date: row.trans_date, op_type: 'authorize', status: 'success' },
      change: 'insert',
    };
    yield {
      row: { ...base, operation_id: id(), op_date: row.trans_date, op_type: 'capture', status: 'success' },
      change: 'insert',
    };
  }
  for (const refund of refundsOn(world, day)) {
    yield {
      row: {
        operation_id: id(),
        transaction_id: refund.transactionId,
        op_date: localTimestamp(refund.at),
        op_type: 'refund',
        status: 'refunded',
        amount: refund.payment.amount,
        currency: refund.payment.currency,
      },
      change: 'insert',
    };
  }
}

export function cardRow(world: World, user: User, asOf: number): CardRow {
  const random = randomFor(world.options.seed, Stream.user, user.id, 2);
  const brand = cardBrands[random.weighted([45, 35, 15, 5])]!;
  const linkedAt = localTimestamp(user.cardLinkedAt!);
  const blocked = user.deletedDay !== null && user.deletedDay <= asOf;
  return {
    card_id: user.cardId,
    user_id: user.id,
    pan_masked: `${cardBins[brand]}** **** ${random.digits(4)}`,
    card_brand: brand,
    bank: random.pick(banks),
    linked_at: linkedAt,
    status: blocked ? 'blocked' : 'active',
    updated_at: blocked ? localTimestamp(user.deletedDay! * SECONDS_PER_DAY + 10 * 3600) : linkedAt,
  };
}

function* cardRows(world: World, day: number): Generator<Generated<CardRow>> {
  for (const user of world.usersThrough(day)) {
    if (user.registrationDay > day) break;
    if (user.cardLinkedAt === null) continue;
    const linkedDay = Math.floor(user.cardLinkedAt / SECONDS_PER_DAY);
    if (linkedDay === day) yield { row: cardRow(world, user, day), change: 'insert' };
    else if (user.deletedDay === day && linkedDay < day)
      yield { row: cardRow(world, user, day), change: 'update' };
  }
}

const timestampOf = (day: number) => `${dayKey(day)} 00:00:00`;

export function paymentTables(world: World, day: number): TableIncrement[] {
  return [
    tableIncrement(payments.cards, 'upsert', () => cardRows(world, day)),
    tableIncrement(
      payments.transactions,
      { kind: 'append', replace: { column: 'created_at', from: timestampOf(day), to: timestampOf(day + 1) } },
      () => transactionRows(world, day),
    ),
    tableIncrement(
      select(payments.transactions, ['transaction_id', 'status', 'updated_at']),
      { kind: 'update', key: ['transaction_id'] },
      function* () {
        for (const refund of refundsOn(world, day)) {
          yield {
            row: {
              transaction_id: refund.transactionId,
              status: 'refunded',
              updated_at: localTimestamp(refund.at),
            },
            change: 'update',
          };
        }
      },
    ),
    tableIncrement(
      payments.operations,
      { kind: 'append', replace: { column: 'operation_id', from: day * ID_BLOCK, to: (day + 1) * ID_BLOCK } },
      () => operationRows(world, day),
    ),
  ];
}
