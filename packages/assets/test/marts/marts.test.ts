import { createHash } from 'node:crypto';
import type { RunOutcome } from '@vitrina/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MartFixture, openMartFixture } from './fixture.ts';
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
  sum,
  users,
} from './world.ts';

let f: MartFixture;
let first: RunOutcome;

beforeAll(async () => {
  f = await openMartFixture();
  first = await f.materialize('group:marts');
}, 120_000);
afterAll(async () => {
  await f?.dispose();
});

const succeeded = payments.filter((p) => p.status === 'success');
/** An individual's own payments (B2C); the rest were made through business accounts (B2B). */
const own = (list: typeof payments) => list.filter((p) => p.payer_type === 'individual');
const merchantOf = (id: number) => merchants.find((m) => m.merchant_id === id)!;
const userOf = (id: number) => users.find((u) => u.user_id === id)!;

/** Every row of every mart, sorted, hashed per table (freshness's check time left out). */
async function checksums(): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const mart of f.marts) {
    const table = mart.key.replace(/^mart\./, '');
    const columns = (await f.query<{ name: string }>(`DESCRIBE TABLE ${table}`))
      .map((column) => column.name)
      .filter((name) => name !== 'checked_at');
    const text = await f.clickhouse.text(`SELECT ${columns.join(', ')} FROM ${table}`);
    result[table] = createHash('sha256').update(text.split('\n').sort().join('\n')).digest('hex');
  }
  return result;
}

async function stagingTables(): Promise<string[]> {
  const tables = await f.query<{ name: string }>(
    `SELECT name FROM system.tables WHERE database = '${f.database}' AND name LIKE '%staging%'`,
  );
  return tables.map((table) => table.name);
}

describe('the first run', () => {
  it('materialises every mart partition and reconciles each with PostgreSQL', async () => {
    expect(first.run.status).toBe('success');
    expect(first.steps.filter((step) => step.status !== 'success')).toEqual([]);
    const daily = f.marts.filter((mart) => mart.partitions?.kind === 'daily').length;
    expect(first.steps).toHaveLength(daily * DAYS.length + (f.marts.length - daily));
    const checks = await f.query<{ asset: string; partition: string; measures: string; failed: string }>(
      'SELECT asset, partition, toString(count()) AS measures, toString(countIf(passed = 0)) AS failed FROM reconciliation GROUP BY asset, partition',
    );
    expect(checks).toHaveLength(first.steps.length);
    expect(checks.filter((check) => check.failed !== '0')).toEqual([]);
    const payments = checks.filter((check) => check.asset === 'mart.payments');
    expect(payments.map((check) => [check.partition, check.measures]).sort()).toEqual(
      DAYS.map((day) => [day, '4']), // rows + three money columns
    );
    expect(await stagingTables()).toEqual([]);
    // The days came in one transfer, each recorded with its own rows.
    const moved = await f.runs.storage.materializations('mart.payments');
    expect(moved.map((entry) => [entry.partition, entry.metadata.batch_partitions]).sort()).toEqual(
      DAYS.map((day) => [day, DAYS.length]),
    );
  });

  it('moves the days of a mart in one step, marts in parallel, never more than the transfer pool allows', () => {
    // A daily mart's days run as one batch (backfill range): its steps start and end together.
    const intervals = first.steps.map(
      (step) => [step.assetKey, step.startedAt!.getTime(), step.finishedAt!.getTime()] as const,
    );
    const concurrency = intervals.map(
      ([, start]) =>
        new Set(intervals.filter(([, s, e]) => s <= start && start < e).map(([key]) => key)).size,
    );
    expect(Math.max(...concurrency)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...concurrency)).toBeLessThanOrEqual(3);
  });

  it('mart.payments holds every payment of each day with its money', async () => {
    const rows = await f.query<{
      day: string;
      n: string;
      amount: string;
      commission: string;
      cashback: string;
    }>(
      'SELECT day, toString(count()) AS n, toString(sum(amount_byn)) AS amount, toString(sum(commission_byn)) AS commission, toString(sum(cashback_byn)) AS cashback FROM payments GROUP BY day ORDER BY day',
    );
    expect(rows.map((row) => [row.day, row.n, money(Math.round(Number(row.amount) * 100))])).toEqual(
      DAYS.map((day) => {
        const ofDay = payments.filter((p) => p.day === day);
        return [day, String(ofDay.length), money(sum(ofDay.map((p) => p.amountBynCents)))];
      }),
    );
    for (const [index, day] of DAYS.entries()) {
      const ofDay = payments.filter((p) => p.day === day);
      expect(Number(rows[index]!.commission)).toBeCloseTo(sum(ofDay.map((p) => p.commissionCents)) / 100, 2);
      expect(Number(rows[index]!.cashback)).toBeCloseTo(sum(ofDay.map((p) => p.cashbackCents)) / 100, 2);
    }
  });

  it('mart.payments carries the attributes dashboards filter by', async () => {
    const [dealer] = await f.query(
      "SELECT direction, vertical, subtype, brand, industry, size_category, tariff_name, toString(is_key_account) AS key_account FROM payments WHERE merchant_id = 4 AND day = '2026-10-01' AND payer_type = 'individual' LIMIT 1",
    );
    // The dealer's legal client is the payee: an individual paying there is B2C.
    expect(dealer).toEqual({
      direction: 'B2C',
      vertical: 'auto',
      subtype: 'dealer',
      brand: 'Toyota',
      industry: 'auto',
      size_category: 'large',
      tariff_name: 'Бизнес',
      key_account: '1',
    });
    const [grocery] = await f.query(
      'SELECT direction, chain, merchant_region, user_region, acq_channel, toString(cashback_campaign_id) AS campaign, toString(hour) AS hour, trans_date FROM payments WHERE transaction_id = 1000',
    );
    const payment = payments.find((p) => p.transaction_id === 1000)!;
    expect(grocery).toEqual({
      direction: 'B2C',
      chain: 'Евроопт',
      merchant_region: 'Минск',
      user_region: userOf(payment.user_id).region,
      acq_channel: userOf(payment.user_id).acq_channel,
      campaign: '77',
      hour: String(payment.hour),
      trans_date: payment.trans_date,
    });
    // Who pays decides the direction: business accounts' payments are B2B, with their client's attributes.
    const business = await f.query(
      "SELECT toString(transaction_id) AS id, direction, payer_type, toString(payer_legal_client_id) AS payer, payer_industry, payer_size_category, payer_tariff_name FROM payments WHERE payer_type <> 'individual' ORDER BY transaction_id",
    );
    const legalEntityOf = (id: number) => legalEntities.find((l) => l.client_id === id)!;
    expect(business).toEqual(
      payments
        .filter((p) => p.payer_type !== 'individual')
        .map((p) => ({
          id: String(p.transaction_id),
          direction: 'B2B',
          payer_type: p.payer_type,
          payer: String(p.payer_legal_client_id),
          payer_industry: legalEntityOf(p.payer_legal_client_id!).industry,
          payer_size_category: legalEntityOf(p.payer_legal_client_id!).size_category,
          payer_tariff_name: legalEntityOf(p.payer_legal_client_id!).tariff_name,
        })),
    );
    expect(new Set(business.map((row) => row.payer_type))).toEqual(new Set(['legal', 'entrepreneur']));
  });
});

describe("the dashboards' typical queries return what the facts imply", () => {
  it('grocery: leading chains by turnover and by receipts', async () => {
    const rows = await f.query(
      "SELECT chain, toString(sum(turnover_byn)) AS turnover, toString(sum(receipts)) AS receipts FROM merchants_daily WHERE vertical = 'grocery' GROUP BY chain ORDER BY sum(turnover_byn) DESC",
    );
    const chains = [...new Set(merchants.filter((m) => m.vertical === 'grocery').map((m) => m.chain!))];
    const expected = chains
      .map((chain) => {
        const paid = succeeded.filter((p) => merchantOf(p.merchant_id).chain === chain);
        return { chain, cents: sum(paid.map((p) => p.amountBynCents)), receipts: paid.length };
      })
      .sort((a, b) => b.cents - a.cents);
    expect(
      rows.map((row) => [row.chain, Math.round(Number(row.turnover) * 100), Number(row.receipts)]),
    ).toEqual(expected.map((e) => [e.chain, e.cents, e.receipts]));
  });

  it('grocery: our share of partner sales', async () => {
    const [share] = await f.query(
      'SELECT toString(sum(receipts_app)) AS app, toString(sum(receipts_total)) AS total FROM partner_sales',
    );
    expect(share).toEqual({
      app: String(sum(partnerSales.map((s) => s.receipts_app))),
      total: String(sum(partnerSales.map((s) => s.receipts_total))),
    });
    expect(Number(share!.app)).toBe(
      succeeded.filter((p) => merchantOf(p.merchant_id).vertical === 'grocery').length,
    );
    const verticals = await f.query('SELECT DISTINCT vertical FROM partner_sales ORDER BY vertical');
    expect(verticals).toEqual([{ vertical: 'grocery' }]);
  });

  it('peak hour of successful payments', async () => {
    const [peak] = await f.query(
      'SELECT toString(hour) AS peak_hour, toString(count()) AS n FROM payments WHERE is_success GROUP BY hour ORDER BY count() DESC, hour LIMIT 1',
    );
    const byHour = new Map<number, number>();
    for (const p of succeeded) byHour.set(p.hour, (byHour.get(p.hour) ?? 0) + 1);
    const [hour, n] = [...byHour.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]!;
    expect(peak).toEqual({ peak_hour: String(hour), n: String(n) });
  });

  it('C-level: turnover and commission income by direction', async () => {
    const rows = await f.query(
      'SELECT direction, toString(sum(turnover_byn)) AS turnover, toString(sum(transactions)) AS transactions FROM overview_daily GROUP BY direction ORDER BY direction',
    );
    const of = (b2b: boolean) => payments.filter((p) => (p.payer_type !== 'individual') === b2b);
    expect(
      rows.map((row) => [row.direction, Math.round(Number(row.turnover) * 100), Number(row.transactions)]),
    ).toEqual([
      [
        'B2B',
        sum(
          of(true)
            .filter((p) => p.status === 'success')
            .map((p) => p.amountBynCents),
        ),
        of(true).length,
      ],
      [
        'B2C',
        sum(
          of(false)
            .filter((p) => p.status === 'success')
            .map((p) => p.amountBynCents),
        ),
        of(false).length,
      ],
    ]);
  });

  it('DAU per day and MAU over the period', async () => {
    const dau = await f.query(
      'SELECT day, toString(uniqExact(user_id)) AS dau FROM active_users GROUP BY day ORDER BY day',
    );
    const activeOn = (day: string) =>
      new Set(
        [...sessions.filter((s) => s.day === day), ...payments.filter((p) => p.day === day)].map(
          (r) => r.user_id,
        ),
      );
    expect(dau).toEqual(DAYS.map((day) => ({ day, dau: String(activeOn(day).size) })));
    const [mau] = await f.query('SELECT toString(uniqExact(user_id)) AS mau FROM active_users');
    expect(mau!.mau).toBe(String(new Set(DAYS.flatMap((day) => [...activeOn(day)])).size));
  });

  it('marketing: CAC and ROMI by channel', async () => {
    const rows = await f.query(
      'SELECT channel, toString(sum(spend_byn)) AS spend, toString(sum(new_payers)) AS new_payers, toString(sum(revenue_byn)) AS revenue FROM marketing_daily GROUP BY channel ORDER BY channel',
    );
    expect(rows.map((row) => row.channel)).toEqual(channels.map((c) => c.channel).sort());
    const google = rows.find((row) => row.channel === 'google_ads')!;
    const googleUsers = users.filter((u) => u.acq_channel === 'google_ads');
    const newPayers = googleUsers.filter(
      (u) => u.first_payment_at && DAYS.some((d) => u.first_payment_at!.startsWith(d)),
    );
    const spendCents = sum(spend.filter((s) => s.channel === 'google_ads').map((s) => s.spendCents));
    const revenueCents = sum(
      succeeded.filter((p) => userOf(p.user_id).acq_channel === 'google_ads').map((p) => p.commissionCents),
    );
    expect(Math.round(Number(google.spend) * 100)).toBe(spendCents);
    expect(Number(google.new_payers)).toBe(newPayers.length);
    expect(Math.round(Number(google.revenue) * 100)).toBe(revenueCents);
  });

  it('funnel: installs, registrations, card linked, first and repeat payment', async () => {
    const [funnel] = await f.query(
      'SELECT toString(sum(installs)) AS installs, toString(sum(registrations)) AS registrations, toString(sum(card_linked)) AS card_linked, toString(sum(first_payment)) AS first_payment, toString(sum(repeat_payment)) AS repeat_payment FROM funnel',
    );
    const paymentsOf = (userId: number) => succeeded.filter((p) => p.user_id === userId).length;
    // Registered before the first day of the app log, a user installed before it too: not in the funnel.
    const firstLogDay = [...installs, ...appEvents].map((event) => event.day).sort()[0]!;
    const funnelUsers = users.filter((u) => u.registration_date >= firstLogDay);
    expect(funnelUsers.length).toBeLessThan(users.length);
    expect(funnel).toEqual({
      installs: String(installs.length),
      registrations: String(funnelUsers.length),
      card_linked: String(funnelUsers.filter((u) => u.card_linked).length),
      first_payment: String(funnelUsers.filter((u) => u.first_payment_at).length),
      repeat_payment: String(funnelUsers.filter((u) => paymentsOf(u.user_id) >= 2).length),
    });
  });

  it('cohorts: the September cohort active in October, per channel', async () => {
    const rows = await f.query(
      "SELECT acq_channel, toString(cohort_size) AS size, toString(active_users) AS active FROM cohorts WHERE period = 'month' AND cohort = '2026-09-01' AND periods_since = 1 ORDER BY acq_channel",
    );
    const september = users.filter((u) => u.cohort_month === '2026-09-01');
    expect(rows).toEqual(
      [...new Set(september.map((u) => u.acq_channel))].sort().map((channel) => {
        const members = september.filter((u) => u.acq_channel === channel);
        const active = members.filter((u) => succeeded.some((p) => p.user_id === u.user_id));
        return { acq_channel: channel, size: String(members.length), active: String(active.length) };
      }),
    );
  });

  it('individual clients: the stage each has reached; legal entities: turnover per client', async () => {
    const stages = await f.query(
      'SELECT stage, toString(count()) AS n FROM users GROUP BY stage ORDER BY stage',
    );
    // An individual's stage counts their own payments, not those made for a business.
    const stageOf = (u: (typeof users)[number]) => {
      const n = own(succeeded).filter((p) => p.user_id === u.user_id).length;
      return n >= 2 ? 'repeat' : n === 1 ? 'first_payment' : u.card_linked ? 'card_linked' : 'registered';
    };
    const counted = new Map<string, number>();
    for (const u of users) counted.set(stageOf(u), (counted.get(stageOf(u)) ?? 0) + 1);
    expect(stages).toEqual([...counted.entries()].sort().map(([stage, n]) => ({ stage, n: String(n) })));
    const business = await f.query(
      'SELECT toString(user_id) AS user, toString(business_payments) AS n FROM users WHERE business_payments > 0 ORDER BY user_id',
    );
    const holders = [
      ...new Set(succeeded.filter((p) => p.payer_type !== 'individual').map((p) => p.user_id)),
    ];
    expect(business).toEqual(
      holders
        .sort((a, b) => a - b)
        .map((id) => ({
          user: String(id),
          n: String(succeeded.filter((p) => p.user_id === id && p.payer_type !== 'individual').length),
        })),
    );
    // As a merchant (payments its merchants took) and as a payer (own_*: its business accounts' payments).
    const clients = await f.query(
      'SELECT toString(client_id) AS client, toString(turnover_byn) AS turnover, toString(own_transactions) AS own, toString(own_turnover_byn) AS own_turnover, toString(own_active_days) AS days, payer_type FROM legal_entities ORDER BY client_id',
    );
    expect(
      clients.map((c) => [
        c.client,
        Math.round(Number(c.turnover) * 100),
        Number(c.own),
        Math.round(Number(c.own_turnover) * 100),
        Number(c.days),
        c.payer_type,
      ]),
    ).toEqual(
      legalEntities.map((l) => {
        const paid = succeeded.filter((p) => p.payer_legal_client_id === l.client_id);
        return [
          String(l.client_id),
          sum(succeeded.filter((p) => p.legal_client_id === l.client_id).map((p) => p.amountBynCents)),
          paid.length,
          sum(paid.map((p) => p.amountBynCents)),
          new Set(paid.map((p) => p.day)).size,
          paid[0]?.payer_type ?? '',
        ];
      }),
    );
  });

  it('C-level KPIs as bi.kpi_daily defines them: DAU over sessions and successful payments, turnover', async () => {
    const rows = await f.query(
      'SELECT day, toString(dau) AS dau, toString(transactions) AS transactions, toString(turnover_byn) AS turnover, toString(b2b_transactions) AS b2b, toString(b2b_turnover_byn) AS b2b_turnover FROM kpi_daily ORDER BY day',
    );
    expect(
      rows.map((row) => [
        row.day,
        row.dau,
        row.transactions,
        Math.round(Number(row.turnover) * 100),
        row.b2b,
        Math.round(Number(row.b2b_turnover) * 100),
      ]),
    ).toEqual(
      DAYS.map((day) => {
        const paid = succeeded.filter((p) => p.day === day);
        const business = paid.filter((p) => p.payer_type !== 'individual');
        const active = new Set([...sessions.filter((s) => s.day === day), ...paid].map((r) => r.user_id));
        return [
          day,
          String(active.size),
          String(paid.length),
          sum(paid.map((p) => p.amountBynCents)),
          String(business.length),
          sum(business.map((p) => p.amountBynCents)),
        ];
      }),
    );
  });

  it('marketing: users, payers, spend and revenue per channel and cohort month as bi.kpi_channel defines them', async () => {
    const rows = await f.query(
      'SELECT channel, toString(cohort_month) AS month, toString(registered_users) AS registered, toString(paying_users) AS paying, toString(spend_byn) AS spend, toString(revenue_byn) AS revenue FROM kpi_channel ORDER BY channel, cohort_month',
    );
    const months = [
      ...new Set([...users.map((u) => u.cohort_month), ...spend.map((s) => `${s.day.slice(0, 7)}-01`)]),
    ];
    const expected = channels
      .flatMap((c) => months.map((month) => ({ channel: c.channel, month })))
      .map(({ channel, month }) => {
        const acquired = users.filter((u) => u.acq_channel === channel && u.cohort_month === month);
        const spent = spend.filter((s) => s.channel === channel && s.day.startsWith(month.slice(0, 7)));
        const revenue = succeeded.filter((p) => acquired.some((u) => u.user_id === p.user_id));
        return {
          channel,
          month,
          registered: acquired.length,
          paying: acquired.filter((u) => u.first_payment_at).length,
          spend: sum(spent.map((s) => s.spendCents)),
          revenue: sum(revenue.map((p) => p.commissionCents)),
          present: acquired.length > 0 || spent.length > 0,
        };
      })
      .filter((row) => row.present)
      .sort((a, b) => a.channel.localeCompare(b.channel) || a.month.localeCompare(b.month));
    expect(
      rows.map((row) => ({
        channel: row.channel,
        month: row.month,
        registered: Number(row.registered),
        paying: Number(row.paying),
        spend: Math.round(Number(row.spend) * 100),
        revenue: Math.round(Number(row.revenue) * 100),
      })),
    ).toEqual(expected.map(({ present: _, ...row }) => row));
  });

  it('data quality: quarantined rows per day and the freshness of facts', async () => {
    const rows = await f.query(
      'SELECT day, toString(sum(rows)) AS n FROM quarantine GROUP BY day ORDER BY day',
    );
    const days = [...new Set(quarantined.map((q) => q.partition))].sort();
    expect(rows).toEqual(
      days.map((day) => ({ day, n: String(quarantined.filter((q) => q.partition === day).length) })),
    );
    const [fresh] = await f.query(
      "SELECT toString(latest_day) AS latest, toString(rows_latest_day) AS n FROM freshness WHERE asset = 'bi.fact_payments'",
    );
    expect(fresh).toEqual({ latest: DAYS[2], n: String(payments.filter((p) => p.day === DAYS[2]).length) });
  });
});

describe('re-runs and failures', () => {
  it('a forced re-run of every mart leaves identical marts (no duplicates)', async () => {
    const before = await checksums();
    const again = await f.materialize('group:marts', { force: true });
    expect(again.run.status).toBe('success');
    expect(await checksums()).toEqual(before);
    expect(await stagingTables()).toEqual([]);
  });

  it('a transfer that fails mid-stream leaves the old partition in place', async () => {
    const before = await checksums();
    // ClickHouse refuses a negative id for UInt64: the insert into the staging table fails.
    await f.warehouse.query(
      `insert into bi.fact_payments (day, transaction_id, trans_date, hour, user_id, merchant_id, method, operation_type, status, is_success, currency, amount, amount_byn, commission_byn)
       values ('${DAYS[1]}', -1, '${DAYS[1]} 23:00', 23, 1, 1, 'card', 'purchase', 'success', true, 'BYN', 1, 1, 0)`,
    );
    try {
      const failed = await f.materialize('mart.payments', { from: DAYS[1], to: DAYS[1], force: true });
      expect(failed.steps.map((step) => [step.partition, step.status])).toEqual([[DAYS[1], 'failed']]);
      expect(failed.steps[0]!.error).toMatch(/Cannot parse/);
    } finally {
      await f.warehouse.query('delete from bi.fact_payments where transaction_id = -1');
    }
    expect(await checksums()).toEqual(before);
    expect(await stagingTables()).toEqual([]);
  });

  it('reconciliation catches a partition that differs from PostgreSQL and records it', async () => {
    await f.clickhouse.command(`INSERT INTO payments SELECT * FROM payments WHERE transaction_id = 1000`);
    const mart = f.marts.find((m) => m.key === 'mart.payments')!;
    const check = mart.checks.find((c) => c.name === 'reconciled_with_postgres')!;
    const result = await check.run({
      key: mart.key,
      partition: DAYS[0],
      window: null,
      runId: 'tampered',
      signal: new AbortController().signal,
      resources: f.resources,
      cursors: { getCursor: async () => null, setCursor: async () => {} },
      log: () => {},
      materialization: {},
    });
    const duplicated = payments.find((p) => p.transaction_id === 1000)!;
    const dayTotal = sum(payments.filter((p) => p.day === DAYS[0]).map((p) => p.amountBynCents));
    expect(result.passed).toBe(false);
    expect(result.message).toContain('rows 31 in ClickHouse, 30 in PostgreSQL');
    expect(result.message).toContain(
      `amount_byn ${money(dayTotal + duplicated.amountBynCents).replace(/\.?0+$/, '')} in ClickHouse`,
    );
    const recorded = await f.query(
      "SELECT measure, postgres, clickhouse FROM reconciliation WHERE run_id = 'tampered' AND passed = 0 ORDER BY measure",
    );
    expect(duplicated.cashbackCents).toBeGreaterThan(0);
    expect(recorded.map((r) => r.measure)).toEqual(['amount_byn', 'cashback_byn', 'commission_byn', 'rows']);

    const repaired = await f.materialize('mart.payments', { from: DAYS[0], to: DAYS[0], force: true });
    expect(repaired.run.status).toBe('success');
    const [count] = await f.query(`SELECT toString(count()) AS n FROM payments WHERE day = '${DAYS[0]}'`);
    expect(count!.n).toBe('30');
  });
});
