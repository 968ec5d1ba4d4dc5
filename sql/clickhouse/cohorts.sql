-- Retention and LTV by weekly and monthly registration cohort and acquisition channel: for each
-- period since the cohort (0 = the cohort's own), users who paid in it, the commission earned, and
-- its running total (LTV per user = cumulative_revenue_byn / cohort_size). Every period up to the
-- newest day of payments has a row, so curves show a drop to zero; period_complete marks the periods
-- wholly within the loaded days, cohort_observed the cohorts that started within them.
CREATE TABLE IF NOT EXISTS cohorts (
  period String,
  cohort Date,
  acq_channel String,
  periods_since UInt16,
  cohort_size UInt64,
  active_users UInt64,
  revenue_byn Decimal(18, 2),
  cumulative_revenue_byn Decimal(18, 2),
  period_complete UInt8,
  cohort_observed UInt8
) ENGINE = MergeTree()
PARTITION BY tuple()
ORDER BY (period, acq_channel, cohort, periods_since)
