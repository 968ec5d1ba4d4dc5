-- Marketing by day and acquisition channel: spend and its reach, the users it brought and what they
-- pay. CAC = sum(spend_byn) / sum(new_payers); ROMI = sum(revenue_byn) / sum(spend_byn) over a
-- period; LTV by channel comes from cohorts (cumulative revenue per user of a channel's cohort).
CREATE TABLE IF NOT EXISTS marketing_daily (
  day Date,
  channel String,
  channel_type String,
  is_paid UInt8,
  spend_byn Decimal(18, 2),
  impressions UInt64,
  clicks UInt64,
  installs UInt64,
  registrations UInt64,
  new_payers UInt64,
  payers UInt64,
  turnover_byn Decimal(18, 2),
  revenue_byn Decimal(18, 2)
) ENGINE = MergeTree()
PARTITION BY day
ORDER BY channel
