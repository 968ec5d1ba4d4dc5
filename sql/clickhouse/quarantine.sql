-- Data quality: rows left out by validation (quarantine.rows), counted per day, source, asset and
-- reason, with the reason's kind (required, not_allowed, format, date, number, range, duplicate,
-- encoding, fields, other) and the field it names.
CREATE TABLE IF NOT EXISTS quarantine (
  day Date,
  source String,
  asset String,
  reason String,
  reason_kind String,
  field String,
  rows UInt64
) ENGINE = MergeTree()
PARTITION BY day
ORDER BY (source, asset, reason)
