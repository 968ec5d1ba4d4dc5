-- One row per user active on a day (an app session or a payment): DAU/WAU/MAU and stickiness as
-- uniq(user_id) over any period, activity and frequency of individual clients by region and channel.
CREATE TABLE IF NOT EXISTS active_users (
  day Date,
  user_id UInt64,
  region String,
  acq_channel String,
  device_os String,
  registration_date Date,
  cohort_month Date,
  sessions UInt32,
  session_seconds UInt64,
  payments UInt32,
  successful_payments UInt32,
  turnover_byn Decimal(18, 2),
  commission_byn Decimal(18, 2),
  business_payments UInt32
) ENGINE = MergeTree()
PARTITION BY day
ORDER BY (region, acq_channel, user_id)
