-- The C-level overview: a day by direction (B2C/B2B: who pays) and payer type (individual,
-- entrepreneur, legal), vertical, region, method and operation type.
-- Additive counts and money only, so any slice and period sums; distinct users live in active_users.
CREATE TABLE IF NOT EXISTS overview_daily (
  day Date,
  direction String,
  payer_type String,
  vertical String,
  region String,
  method String,
  operation_type String,
  transactions UInt64,
  successful UInt64,
  refunded UInt64,
  turnover_byn Decimal(18, 2),
  commission_byn Decimal(18, 2),
  cashback_byn Decimal(18, 2),
  new_payers UInt64
) ENGINE = MergeTree()
PARTITION BY day
ORDER BY (direction, vertical, region, method, operation_type)
