-- One row per payment (bi.fact_payments) with the merchant, user and legal-entity attributes the
-- dashboards filter by: the individual-clients, auto-centre, grocery and legal-entity drill-downs,
-- peak days and hours, the cashback effect. Partitioned by day (the unit a transfer replaces);
-- ordered so a vertical, a region or a chain reads a contiguous range of each day. direction is by who
-- pays (B2C: payer_type 'individual'; B2B: 'entrepreneur', 'legal'); legal_client_id, industry,
-- size_category, tariff_name, is_key_account are the merchant's (payee's) legal client, payer_* the
-- client a business account pays for.
CREATE TABLE IF NOT EXISTS payments (
  day Date,
  trans_date DateTime,
  hour UInt8,
  day_of_week UInt8,
  transaction_id UInt64,
  user_id UInt64,
  merchant_id UInt32,
  legal_client_id Nullable(UInt32),
  direction String,
  method String,
  operation_type String,
  status String,
  is_success UInt8,
  currency String,
  amount Decimal(14, 2),
  amount_byn Decimal(16, 2),
  commission_byn Decimal(14, 2),
  cashback_campaign_id Nullable(UInt32),
  cashback_byn Decimal(14, 2),
  vertical String,
  subtype String,
  chain String,
  brand String,
  merchant_region String,
  merchant_city String,
  user_region String,
  user_city String,
  acq_channel String,
  device_os String,
  registration_date Date,
  cohort_month Date,
  industry String,
  size_category String,
  tariff_name String,
  is_key_account UInt8,
  payer_type String,
  payer_legal_client_id Nullable(UInt32),
  payer_industry String,
  payer_size_category String,
  payer_tariff_name String,
  payer_is_key_account UInt8
) ENGINE = MergeTree()
PARTITION BY day
ORDER BY (vertical, merchant_region, chain, merchant_id, transaction_id)
