-- Data quality: rows left out by validation (quarantine.rows), counted per day, source, asset and reason.
CREATE TABLE IF NOT EXISTS quarantine (
  day Date,
  source String,
  asset String,
  reason String,
  rows UInt64
) ENGINE = MergeTree()
PARTITION BY day
ORDER BY (source, asset, reason)
