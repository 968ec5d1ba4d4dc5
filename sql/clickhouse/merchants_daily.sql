-- A merchant's day with its vertical, subtype, chain, brand and place: auto centres (types, brands,
-- regions, average check, partner stability) and grocery (leading chains by turnover and receipts,
-- geography, cashback effect).
CREATE TABLE IF NOT EXISTS merchants_daily (
  day Date,
  merchant_id UInt32,
  name String,
  vertical String,
  subtype String,
  chain String,
  brand String,
  region String,
  city String,
  legal_client_id Nullable(UInt32),
  transactions UInt64,
  receipts UInt64,
  turnover_byn Decimal(18, 2),
  commission_byn Decimal(18, 2),
  cashback_byn Decimal(18, 2),
  cashback_receipts UInt64,
  payers UInt64
) ENGINE = MergeTree()
PARTITION BY day
ORDER BY (vertical, region, chain, merchant_id)
