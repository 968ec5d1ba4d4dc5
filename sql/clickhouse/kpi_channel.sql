-- Acquisition economics as bi.kpi_channel computes them (docs/metrics.md): per channel and
-- registration month, users and paying users acquired, spend, revenue to date, CAC, LTV and ROMI.
CREATE TABLE IF NOT EXISTS kpi_channel (
  channel String,
  cohort_month Date,
  registered_users UInt32,
  paying_users UInt32,
  spend_byn Decimal(18, 2),
  revenue_byn Decimal(18, 2),
  cac_byn Nullable(Decimal(14, 2)),
  ltv_byn Nullable(Decimal(14, 2)),
  romi Nullable(Decimal(12, 4))
) ENGINE = MergeTree()
PARTITION BY tuple()
ORDER BY (channel, cohort_month)
