-- The C-level KPIs of a day as bi.kpi_daily computes them (docs/metrics.md): DAU, WAU, MAU,
-- stickiness, transactions, turnover, revenue, cashback, average check, paying users, ARPU, ARPPU, churn;
-- b2b_*: the part of transactions, turnover and revenue that business accounts paid (B2C = total − B2B).
CREATE TABLE IF NOT EXISTS kpi_daily (
  day Date,
  dau UInt32,
  wau UInt32,
  mau UInt32,
  stickiness Nullable(Decimal(6, 4)),
  transactions UInt32,
  turnover_byn Decimal(18, 2),
  revenue_byn Decimal(18, 2),
  cashback_byn Decimal(18, 2),
  avg_check_byn Nullable(Decimal(14, 2)),
  paying_users UInt32,
  arpu_byn Nullable(Decimal(14, 2)),
  arppu_byn Nullable(Decimal(14, 2)),
  churned_users UInt32,
  churn_base_users UInt32,
  churn_rate Nullable(Decimal(6, 4)),
  b2b_transactions UInt32,
  b2b_turnover_byn Decimal(18, 2),
  b2b_revenue_byn Decimal(18, 2)
) ENGINE = MergeTree()
PARTITION BY day
ORDER BY day
