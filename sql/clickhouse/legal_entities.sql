-- One row per legal-entity client as of the newest day of payments: base growth, industries and
-- sizes, tariffs, payment activity through its merchants (acquiring: merchants … retained), and its
-- own payments through its business accounts (payer_type 'legal' or 'entrepreneur', own_*: B2B
-- turnover and frequency by tariff and industry); retention = paid in both the last 30 days and the
-- 30 before.
CREATE TABLE IF NOT EXISTS legal_entities (
  client_id UInt32,
  unp String,
  name String,
  industry String,
  size_category String,
  region String,
  city String,
  registered_at Date,
  status String,
  is_key_account UInt8,
  tariff_code String,
  tariff_name String,
  contract_signed_on Nullable(Date),
  merchants UInt32,
  transactions UInt64,
  turnover_byn Decimal(18, 2),
  commission_byn Decimal(18, 2),
  active_months UInt32,
  first_payment_day Nullable(Date),
  last_payment_day Nullable(Date),
  turnover_last_30d_byn Decimal(18, 2),
  turnover_previous_30d_byn Decimal(18, 2),
  retained UInt8,
  as_of Date,
  payer_type String,
  own_transactions UInt64,
  own_turnover_byn Decimal(18, 2),
  own_commission_byn Decimal(18, 2),
  own_active_days UInt32,
  own_active_months UInt32,
  own_first_payment_day Nullable(Date),
  own_last_payment_day Nullable(Date),
  own_transactions_last_30d UInt64,
  own_turnover_last_30d_byn Decimal(18, 2),
  own_turnover_previous_30d_byn Decimal(18, 2),
  own_retained UInt8
) ENGINE = MergeTree()
PARTITION BY tuple()
ORDER BY (industry, size_category, client_id)
