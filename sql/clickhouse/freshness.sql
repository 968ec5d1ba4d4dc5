-- Data quality: how current each bi fact is (its newest day, rows that day, days behind the check).
CREATE TABLE IF NOT EXISTS freshness (
  asset String,
  latest_day Nullable(Date),
  rows_latest_day UInt64,
  rows_total UInt64,
  days_behind Nullable(Int32),
  checked_at DateTime
) ENGINE = MergeTree()
PARTITION BY tuple()
ORDER BY asset
