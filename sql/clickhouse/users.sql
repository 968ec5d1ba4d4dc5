-- One row per individual client as of the newest day of payments: the base and its growth,
-- regions, the stage of the path each has reached, value (LTV = commission earned), churn and risk.
-- Churned: paid before, no successful payment in the 30 days up to as_of; at risk: the last one
-- 14–29 days before as_of. value_rank: 1 for the client who brought the most commission (ties by id).
CREATE TABLE IF NOT EXISTS users (
  user_id UInt64,
  registration_date Date,
  cohort_week Date,
  cohort_month Date,
  acq_channel String,
  region String,
  city String,
  device_os String,
  gender String,
  status String,
  card_linked UInt8,
  card_linked_within_3d UInt8,
  first_payment_date Nullable(Date),
  payments UInt32,
  payments_first_7d UInt32,
  turnover_byn Decimal(18, 2),
  commission_byn Decimal(18, 2),
  cashback_byn Decimal(18, 2),
  last_payment_day Nullable(Date),
  favourite_method String,
  stage String,
  churned UInt8,
  at_risk UInt8,
  as_of Date,
  business_payments UInt32,
  business_turnover_byn Decimal(18, 2),
  value_rank UInt32
) ENGINE = MergeTree()
PARTITION BY tuple()
ORDER BY (region, acq_channel, user_id)
