import {
  addMonths,
  byPair,
  formatUnits,
  monthOf,
  type Raw,
  type RawPayment,
  ratio,
} from './generatorRows.ts';

/**
 * `bi.kpi_legal_entities`: the legal clients whose merchants took successful payments on a day, and
 * (own_*) those whose business accounts made successful payments themselves.
 */
export interface LegalDailyKpis {
  day: string;
  clients: number;
  active_clients: number;
  active_key_accounts: number;
  transactions: number;
  turnover_byn: string;
  revenue_byn: string;
  transactions_per_active_client: string | null;
  own_active_clients: number;
  own_active_key_accounts: number;
  own_transactions: number;
  own_turnover_byn: string;
  own_revenue_byn: string;
  own_transactions_per_active_client: string | null;
}

/** `bi.kpi_legal_monthly`: legal clients by month and current tariff, with key-account retention. */
export interface LegalMonthlyKpis {
  month: string;
  tariff_code: string;
  clients: number;
  active_clients: number;
  transactions: number;
  turnover_byn: string;
  revenue_byn: string;
  key_accounts: number;
  key_accounts_active: number;
  key_accounts_active_before: number;
  key_accounts_retained: number;
  own_active_clients: number;
  own_transactions: number;
  own_turnover_byn: string;
  own_revenue_byn: string;
}

type Sums = { transactions: number; turnover: bigint; revenue: bigint };
/** Which legal client a payment counts for: the merchant's (it took it) or the payer's (it paid it). */
type ClientOf = (raw: Raw, payment: RawPayment) => number | null | undefined;
/** The client whose merchant took the payment (core.merchants.legal_client_id). */
const merchantClient: ClientOf = (raw, payment) => raw.merchants.get(payment.merchantId);
/** The client a business account paid for (core.transactions.payer_legal_client_id; individuals: none). */
const payerClient: ClientOf = (_raw, payment) => payment.payerClientId;

/** Per legal client and loaded day, the successful payments counted for it: count, turnover and commission in BYN. */
export function legalActivity(raw: Raw, clientOf: ClientOf = merchantClient) {
  const byDay = new Map<string, Map<number, Sums>>();
  for (const payment of raw.payments.values()) {
    if (!raw.loaded.has(payment.day) || payment.status !== 'success') continue;
    const clientId = clientOf(raw, payment);
    if (clientId === null || clientId === undefined) continue;
    if (!byDay.has(payment.day)) byDay.set(payment.day, new Map());
    const clients = byDay.get(payment.day)!;
    const sums = clients.get(clientId) ?? { transactions: 0, turnover: 0n, revenue: 0n };
    sums.transactions++;
    sums.turnover += raw.toByn(payment.amountCents, payment.day, payment.currency);
    sums.revenue += raw.toByn(payment.commissionCents, payment.day, payment.currency);
    clients.set(clientId, sums);
  }
  return byDay;
}

/**
 * `bi.kpi_legal_entities`, one row per loaded day: the registry's legal clients registered by the
 * day, and the clients whose merchants took a successful payment that day (key accounts among
 * them), with those payments' count, turnover and commission.
 */
export function legalDailyKpis(raw: Raw): LegalDailyKpis[] {
  const activity = legalActivity(raw);
  const own = legalActivity(raw, payerClient);
  const totals = (paid: Map<number, Sums>) => {
    let transactions = 0;
    let turnover = 0n;
    let revenue = 0n;
    let keyAccounts = 0;
    for (const [clientId, sums] of paid) {
      transactions += sums.transactions;
      turnover += sums.turnover;
      revenue += sums.revenue;
      if (raw.legalClients.get(clientId)?.keyAccount) keyAccounts++;
    }
    return {
      active: paid.size,
      keyAccounts,
      transactions,
      turnover: formatUnits(turnover, 2),
      revenue: formatUnits(revenue, 2),
      frequency: ratio(BigInt(transactions) * 100n, paid.size, 2),
    };
  };
  return raw.days.map((day): LegalDailyKpis => {
    const merchant = totals(activity.get(day) ?? new Map());
    const payer = totals(own.get(day) ?? new Map());
    return {
      day,
      clients: [...raw.legalClients.values()].filter((client) => client.registeredDay <= day).length,
      active_clients: merchant.active,
      active_key_accounts: merchant.keyAccounts,
      transactions: merchant.transactions,
      turnover_byn: merchant.turnover,
      revenue_byn: merchant.revenue,
      transactions_per_active_client: merchant.frequency,
      own_active_clients: payer.active,
      own_active_key_accounts: payer.keyAccounts,
      own_transactions: payer.transactions,
      own_turnover_byn: payer.turnover,
      own_revenue_byn: payer.revenue,
      own_transactions_per_active_client: payer.frequency,
    };
  });
}

/** Per legal client, the month's sums of `legalActivity`. */
function monthlyActivity(raw: Raw, clientOf: ClientOf) {
  const byMonth = new Map<string, Map<number, Sums>>();
  for (const [day, clients] of legalActivity(raw, clientOf)) {
    const month = monthOf(day);
    if (!byMonth.has(month)) byMonth.set(month, new Map());
    const monthly = byMonth.get(month)!;
    for (const [clientId, sums] of clients) {
      const total = monthly.get(clientId) ?? { transactions: 0, turnover: 0n, revenue: 0n };
      total.transactions += sums.transactions;
      total.turnover += sums.turnover;
      total.revenue += sums.revenue;
      monthly.set(clientId, total);
    }
  }
  return byMonth;
}

/**
 * `bi.kpi_legal_monthly`, ordered by month and tariff: for each month with payments on a loaded day,
 * the legal clients registered by its end by their current tariff (the latest signed active
 * contract's, `none` without one): how many, how many were active (a successful payment of a
 * merchant of theirs on a loaded day of the month), their payments, and the key accounts among them
 * with those also active in the month before and both; and (own_*) the clients among them whose
 * business accounts paid themselves in the month, with those payments.
 */
export function legalMonthlyKpis(raw: Raw): LegalMonthlyKpis[] {
  const byMonth = monthlyActivity(raw, merchantClient);
  const ownByMonth = monthlyActivity(raw, payerClient);
  const current = new Map<number, { signedOn: string; contractId: number; tariffId: number }>();
  for (const [contractId, contract] of raw.contracts) {
    if (contract.status !== 'active') continue;
    const known = current.get(contract.clientId);
    if (
      !known ||
      contract.signedOn > known.signedOn ||
      (contract.signedOn === known.signedOn && contractId > known.contractId)
    )
      current.set(contract.clientId, {
        signedOn: contract.signedOn,
        contractId,
        tariffId: contract.tariffId,
      });
  }
  const tariffOf = (clientId: number) => {
    const contract = current.get(clientId);
    return (contract && raw.tariffs.get(contract.tariffId)) || 'none';
  };
  const months = new Set<string>();
  for (const payment of raw.payments.values())
    if (raw.loaded.has(payment.day)) months.add(monthOf(payment.day));
  const rows: LegalMonthlyKpis[] = [];
  for (const month of [...months].sort()) {
    const end = addMonths(month, 1);
    const activity = byMonth.get(month) ?? new Map();
    const before = byMonth.get(addMonths(month, -1)) ?? new Map();
    const ownActivity = ownByMonth.get(month) ?? new Map();
    type Cell = LegalMonthlyKpis & {
      turnover: bigint;
      revenue: bigint;
      ownTurnover: bigint;
      ownRevenue: bigint;
    };
    const cells = new Map<string, Cell>();
    for (const [clientId, client] of raw.legalClients) {
      if (client.registeredDay >= end) continue;
      const tariff = tariffOf(clientId);
      const cell = cells.get(tariff) ?? {
        month,
        tariff_code: tariff,
        clients: 0,
        active_clients: 0,
        transactions: 0,
        turnover_byn: '',
        revenue_byn: '',
        key_accounts: 0,
        key_accounts_active: 0,
        key_accounts_active_before: 0,
        key_accounts_retained: 0,
        own_active_clients: 0,
        own_transactions: 0,
        own_turnover_byn: '',
        own_revenue_byn: '',
        turnover: 0n,
        revenue: 0n,
        ownTurnover: 0n,
        ownRevenue: 0n,
      };
      cells.set(tariff, cell);
      cell.clients++;
      const paid = ownActivity.get(clientId);
      if (paid) {
        cell.own_active_clients++;
        cell.own_transactions += paid.transactions;
        cell.ownTurnover += paid.turnover;
        cell.ownRevenue += paid.revenue;
      }
      const sums = activity.get(clientId);
      if (sums) {
        cell.active_clients++;
        cell.transactions += sums.transactions;
        cell.turnover += sums.turnover;
        cell.revenue += sums.revenue;
      }
      if (!client.keyAccount) continue;
      cell.key_accounts++;
      if (sums) cell.key_accounts_active++;
      if (before.has(clientId)) cell.key_accounts_active_before++;
      if (sums && before.has(clientId)) cell.key_accounts_retained++;
    }
    for (const { turnover, revenue, ownTurnover, ownRevenue, ...cell } of [...cells.values()].sort((a, b) =>
      byPair([a.month, a.tariff_code], [b.month, b.tariff_code]),
    ))
      rows.push({
        ...cell,
        turnover_byn: formatUnits(turnover, 2),
        revenue_byn: formatUnits(revenue, 2),
        own_turnover_byn: formatUnits(ownTurnover, 2),
        own_revenue_byn: formatUnits(ownRevenue, 2),
      });
  }
  return rows;
}
