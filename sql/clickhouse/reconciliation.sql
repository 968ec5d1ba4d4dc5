-- Data quality: every reconciliation of a mart partition against PostgreSQL, one row per measure
-- (rows, and the sum of each money or count column); the newest check per (asset, partition,
-- measure) is the current state: argMax(passed, checked_at).
CREATE TABLE IF NOT EXISTS reconciliation (
  checked_at DateTime DEFAULT now(),
  run_id String,
  asset String,
  partition String,
  measure String,
  postgres String,
  clickhouse String,
  passed UInt8
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(checked_at)
ORDER BY (asset, partition, measure, checked_at)
