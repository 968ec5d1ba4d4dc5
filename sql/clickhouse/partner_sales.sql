-- Partners' own daily sales per store beside what was paid through the app: our share of grocery
-- (receipts and turnover), by chain and region. Partners are grocery stores and auto centres (the
-- dealer groups' stores carry the group as chain): filter by vertical ('grocery', 'auto').
CREATE TABLE IF NOT EXISTS partner_sales (
  day Date,
  partner_code String,
  store_code String,
  merchant_id Nullable(UInt32),
  chain String,
  vertical String,
  subtype String,
  region String,
  city String,
  receipts_total UInt32,
  turnover_total_byn Decimal(18, 2),
  receipts_app UInt32,
  turnover_app_byn Decimal(18, 2)
) ENGINE = MergeTree()
PARTITION BY day
ORDER BY (partner_code, region, store_code)
