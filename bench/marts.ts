/**
 * Marts benchmark: the dashboards' typical queries on `mart.payments` holding 10,000,000 payments
 * over a year (generated inside ClickHouse from numbers(), a month per insert) and on the C-level
 * overview's daily aggregate `mart.overview_daily` built from them, each run 5 times to warm up and
 * 40 times measured over HTTP, as Superset asks them; the full-year trend also from every payment,
 * to show what the aggregate saves (its figures must be the same). Writes bench/results/marts.json;
 * drops its database.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ClickHouse } from '@vitrina/io';
import { testClickhouseUrl } from '@vitrina/io/testing';
import { martDdl } from '../packages/assets/src/sql.ts';

const ROWS = Number(process.env.BENCH_MARTS_ROWS ?? 10_000_000);
const FIRST = '2025-12-01';
const DAYS = 365;
const LAST = "toDate('2025-12-01') + 364";
const WARMUP = 5;
const RUNS = 40;
const TARGET_MS = 100;

const pick = (values: string[], expression: string) =>
  `arrayElement([${values.map((v) => `'${v}'`).join(', ')}], ${expression} % ${values.length} + 1)`;

/** One month of payments (rows n of the whole set whose day falls in it), every column of the mart filled. */
function insertMonth(month: number): string {
  return `INSERT INTO payments
  SELECT day, toDateTime(day) + (n % 86400) AS trans_date, toUInt8((n % 86400) / 3600) AS hour, toUInt8(toDayOfWeek(day)),
    n AS transaction_id, 1 + n % 300000 AS user_id, toUInt32(1 + n % 5000) AS merchant_id,
    nullIf(toUInt32(if(n % 5000 % 7 = 0, 1 + n % 300, 0)), 0) AS legal_client_id,
    if(n % 5000 % 7 = 0, 'B2B', 'B2C') AS direction, ${pick(['card', 'wallet', 'qr', 'erip'], 'n')} AS method, 'purchase',
    if(n % 17 = 0, 'failed', if(n % 29 = 0, 'refunded', 'success')) AS status, toUInt8(n % 17 != 0 AND n % 29 != 0),
    if(n % 10 = 0, 'USD', 'BYN'), toDecimal64(n % 10000 / 100 + 1, 2), toDecimal64((n % 10000 / 100 + 1) * 3, 2),
    toDecimal64((n % 10000 / 100 + 1) * 0.045, 2), nullIf(toUInt32(if(n % 6 = 0, 7, 0)), 0),
    toDecimal64(if(n % 6 = 0, 0.5, 0), 2),
    ${pick(['grocery', 'auto', 'utilities', 'telecom', 'cafe'], 'n % 5000')} AS vertical,
    concat('subtype ', toString(n % 5000 % 4)), if(n % 5000 % 5 = 0, concat('Chain ', toString(n % 5000 % 12)), ''),
    if(n % 5000 % 5 = 1, concat('Brand ', toString(n % 5000 % 9)), ''),
    ${pick(['Минск', 'Брестская область', 'Гомельская область', 'Гродненская область', 'Могилёвская область', 'Витебская область', 'Минская область'], 'n % 5000')},
    concat('City ', toString(n % 5000 % 30)),
    ${pick(['Минск', 'Брестская область', 'Гомельская область', 'Гродненская область', 'Могилёвская область', 'Витебская область', 'Минская область'], 'n % 300000')},
    concat('City ', toString(n % 300000 % 30)), ${pick(['organic', 'google_ads', 'yandex_direct', 'meta_ads', 'tiktok_ads', 'referral', 'partner'], 'n % 300000')},
    ${pick(['android', 'ios'], 'n % 300000')}, toDate('2025-06-01') + n % 300000 % 500 AS registration_date,
    toStartOfMonth(toDate('2025-06-01') + n % 300000 % 500),
    if(n % 5000 % 7 = 0, ${pick(['auto', 'retail', 'services'], 'n % 300')}, ''),
    if(n % 5000 % 7 = 0, ${pick(['small', 'medium', 'large'], 'n % 300')}, ''),
    if(n % 5000 % 7 = 0, concat('Tariff ', toString(n % 4)), ''), toUInt8(n % 5000 % 7 = 0 AND n % 300 % 10 = 0),
    if(n % 5000 % 7 = 0, if(n % 2 = 0, 'legal', 'entrepreneur'), 'individual') AS payer_type,
    nullIf(toUInt32(if(n % 5000 % 7 = 0, 1 + n % 300, 0)), 0),
    if(n % 5000 % 7 = 0, ${pick(['auto', 'retail', 'services'], 'n % 300')}, ''),
    if(n % 5000 % 7 = 0, ${pick(['small', 'medium', 'large'], 'n % 300')}, ''),
    if(n % 5000 % 7 = 0, concat('Tariff ', toString(n % 4)), ''), toUInt8(n % 5000 % 7 = 0 AND n % 300 % 10 = 0)
  FROM (SELECT number AS n, toDate('${FIRST}') + toUInt32(number * ${DAYS} / ${ROWS}) AS day FROM numbers(${ROWS}))
  WHERE toMonth(day) = ${(month % 12) + 1}`;
}

/**
 * mart.overview_daily, the C-level overview's aggregate, from the same payments inside ClickHouse,
 * as its transfer builds it from bi.fact_payments (money of successful payments only).
 */
const FILL_OVERVIEW = `INSERT INTO overview_daily
  SELECT day, direction, payer_type, vertical, merchant_region, method, operation_type,
    count(), countIf(is_success), countIf(status = 'refunded'), sumIf(amount_byn, is_success),
    sumIf(commission_byn, is_success), sumIf(cashback_byn, is_success), 0
  FROM payments GROUP BY day, direction, payer_type, vertical, merchant_region, method, operation_type`;

/** The full-year monthly trend: from the aggregate, as the dashboard asks it, and from every payment. */
const MONTHLY_FROM_OVERVIEW =
  'SELECT toStartOfMonth(day) AS month, sum(turnover_byn) AS turnover, sum(commission_byn) AS revenue, sum(successful) AS transactions FROM overview_daily GROUP BY month ORDER BY month';
const MONTHLY_FROM_PAYMENTS =
  'SELECT toStartOfMonth(day) AS month, sum(amount_byn) AS turnover, sum(commission_byn) AS revenue, count() AS transactions FROM payments WHERE is_success GROUP BY month ORDER BY month';

/** What the dashboards ask, over the windows they show by default (the last day is the newest). */
const queries: Array<{ name: string; sql: string }> = [
  {
    // The C-level dashboard's trend reads the overview's daily aggregate, not the payments.
    name: 'c_level_monthly_trend',
    sql: MONTHLY_FROM_OVERVIEW,
  },
  {
    name: 'c_level_b2c_b2b_by_vertical_30d',
    sql: `SELECT direction, vertical, sum(amount_byn), sum(commission_byn), count() FROM payments WHERE is_success AND day > ${LAST} - 30 GROUP BY direction, vertical`,
  },
  {
    name: 'grocery_leading_chains_30d',
    sql: `SELECT chain, sum(amount_byn) AS turnover, count() AS receipts, avg(amount_byn) AS basket FROM payments WHERE vertical = 'grocery' AND is_success AND day > ${LAST} - 30 AND chain != '' GROUP BY chain ORDER BY turnover DESC LIMIT 10`,
  },
  {
    name: 'grocery_peak_days_hours_90d',
    sql: `SELECT day_of_week, hour, count() AS receipts FROM payments WHERE vertical = 'grocery' AND is_success AND day > ${LAST} - 90 GROUP BY day_of_week, hour ORDER BY day_of_week, hour`,
  },
  {
    name: 'grocery_cashback_effect_weekly_90d',
    sql: `SELECT toMonday(day) AS week, cashback_campaign_id IS NOT NULL AS with_cashback, sum(amount_byn), count(), uniq(user_id) FROM payments WHERE vertical = 'grocery' AND is_success AND day > ${LAST} - 90 GROUP BY week, with_cashback ORDER BY week`,
  },
  {
    name: 'auto_centres_types_brands_regions_90d',
    sql: `SELECT subtype, brand, merchant_region, sum(amount_byn), sum(commission_byn), avg(amount_byn), count() FROM payments WHERE vertical = 'auto' AND is_success AND day > ${LAST} - 90 GROUP BY subtype, brand, merchant_region ORDER BY sum(amount_byn) DESC LIMIT 50`,
  },
  {
    name: 'clients_regions_methods_30d',
    sql: `SELECT user_region, method, uniq(user_id) AS payers, count() AS payments FROM payments WHERE is_success AND day > ${LAST} - 30 GROUP BY user_region, method`,
  },
  {
    name: 'clients_most_valuable_30d',
    sql: `SELECT user_id, sum(commission_byn) AS revenue, count() AS payments FROM payments WHERE is_success AND day > ${LAST} - 30 GROUP BY user_id ORDER BY revenue DESC LIMIT 20`,
  },
  {
    name: 'legal_entities_industries_sizes_30d',
    sql: `SELECT industry, size_category, uniq(legal_client_id) AS clients, sum(amount_byn), count() FROM payments WHERE direction = 'B2B' AND is_success AND day > ${LAST} - 30 GROUP BY industry, size_category`,
  },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main() {
  const database = `vitrina_bench_marts_${process.pid}`;
  const clickhouse = new ClickHouse(`${testClickhouseUrl.replace(/\/$/, '')}/${database}`);
  try {
    await clickhouse.ensureDatabase();
    await clickhouse.command(martDdl('payments'));
    const started = performance.now();
    for (let month = 0; month < 12; month++) await clickhouse.command(insertMonth(month));
    // One insert per month writes each day's partition once: one part per day, as a transfer leaves it.
    const [counted] = await clickhouse.rows<{ n: string }>('SELECT toString(count()) AS n FROM payments');
    console.log(
      `generated ${counted?.n} payments in ClickHouse in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    if (counted?.n !== String(ROWS)) throw new Error(`expected ${ROWS} rows`);

    await clickhouse.command(martDdl('overview_daily'));
    await clickhouse.command(FILL_OVERVIEW);
    // The aggregate must say what the payments say, to the kopeck, before it is timed.
    const [fromOverview, fromPayments] = [
      await clickhouse.text(MONTHLY_FROM_OVERVIEW),
      await clickhouse.text(MONTHLY_FROM_PAYMENTS),
    ];
    if (fromOverview !== fromPayments || fromOverview.trim().split('\n').length !== 12)
      throw new Error(`overview_daily disagrees with payments:\n${fromOverview}\nvs\n${fromPayments}`);

    const results: Array<{ name: string; p50_ms: number; p95_ms: number }> = [];
    for (const { name, sql } of queries) {
      const result = { name, ...(await timed(clickhouse, sql)) };
      results.push(result);
      console.log(
        `${name.padEnd(40)} p50 ${String(result.p50_ms).padStart(7)} ms  p95 ${String(result.p95_ms).padStart(7)} ms  (target p95 ≤ ${TARGET_MS} ms: ${result.p95_ms <= TARGET_MS ? 'met' : 'missed'})`,
      );
    }
    const raw = await timed(clickhouse, MONTHLY_FROM_PAYMENTS);
    const trend = results.find((result) => result.name === 'c_level_monthly_trend')!;
    const speedup = round(raw.p95_ms / trend.p95_ms);
    console.log(
      `the same trend from every payment: p50 ${raw.p50_ms} ms, p95 ${raw.p95_ms} ms — the aggregate answers it ${speedup}× faster, with the same figures`,
    );
    const worst = Math.max(...results.map((r) => r.p95_ms));
    console.log(`worst p95 ${worst} ms (target ≤ ${TARGET_MS} ms: ${worst <= TARGET_MS ? 'met' : 'missed'})`);
    mkdirSync(resolve(import.meta.dirname, 'results'), { recursive: true });
    writeFileSync(
      resolve(import.meta.dirname, 'results/marts.json'),
      `${JSON.stringify(
        {
          rows: ROWS,
          queries: results,
          p95_ms: worst,
          monthly_trend_from_payments: { ...raw, aggregate_speedup: speedup },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`).catch(() => {});
    await clickhouse.close();
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** p50 and p95 of a query over HTTP, after warming up. */
async function timed(clickhouse: ClickHouse, sql: string): Promise<{ p50_ms: number; p95_ms: number }> {
  for (let i = 0; i < WARMUP; i++) await clickhouse.text(sql);
  const timings: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await clickhouse.text(sql);
    timings.push(performance.now() - start);
  }
  timings.sort((a, b) => a - b);
  return { p50_ms: round(percentile(timings, 50)), p95_ms: round(percentile(timings, 95)) };
}

await main();
