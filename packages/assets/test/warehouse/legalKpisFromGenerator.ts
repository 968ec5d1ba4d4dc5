import { addMonths, byPair, formatUnits, monthOf, type Raw, ratio } from './generatorRows.ts';

/** `bi.kpi_legal_entities`: the legal clients whose merchants took successful payments on a day. */
export interface LegalDailyKpis {
  day: string;
  clients: number;
  active_clients: number;
  active_key_accounts: number;
  transactions: number;
  turnover_byn: string;
  revenue_byn: string;
  transactions_per_active_client: string | null;
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
}

/** Per legal client and loaded day, its merchants' successful payments: count, turnover and commission in BYN. */
export function legalActivity(raw: Raw) {
  const byDay = new Map<string, Map<number, { transactions: number; turnover: bigint; revenue: bigint }>>();
  for (const payment of raw.payments.values()) {
    if (!raw.loaded.has(payment.day) || payment.status !== 'success') continue;
    const clientId = raw.merchants.get(payment.merchantId);
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
  return raw.days.map((day): LegalDailyKpis => {
    const paid = activity.get(day) ?? new Map();
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
      day,
      clients: [...raw.legalClients.values()].filter((client) => client.registeredDay <= day).length,
      active_clients: paid.size,
      active_key_accounts: keyAccounts,
      transactions,
      turnover_byn: formatUnits(turnover, 2),
      revenue_byn: formatUnits(revenue, 2),
      transactions_per_active_client: ratio(BigInt(transactions) * 100n, paid.size, 2),
    };
  });
}

/**
 * `bi.kpi_legal_monthly`, ordered by month and tariff: for each month with payments on a loaded day,
 * the legal clients registered by its end by their current tariff (the latest signed active
 * contract's, `none` without one): how many, how many were active (a successful payment of a
 * merchant of theirs on a loaded day of the month), their payments, and the key accounts among them
 * with those also active in the month before and both.
 */
export function legalMonthlyKpis(raw: Raw): LegalMonthlyKpis[] {
  const byMonth = new Map<string, Map<number, { transactions: number; turnover: bigint; revenue: bigint }>>();
  for (const [day, clients] of legalActivity(raw)) {
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
    const cells = new Map<string, LegalMonthlyKpis & { turnover: bigint; revenue: bigint }>();
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
        turnover: 0n,
        revenue: 0n,
      };
      cells.set(tariff, cell);
      cell.clients++;
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
    for (const { turnover, revenue, ...cell } of [...cells.values()].sort((a, b) =>
      byPair([a.month, a.tariff_code], [b.month, b.tariff_code]),
    ))
      rows.push({ ...cell, turnover_byn: formatUnits(turnover, 2), revenue_byn: formatUnits(revenue, 2) });
  }
  return rows;
}
