-- Which DDL each mart table was created from (a hash); a mart whose DDL changed is dropped and re-created.
CREATE TABLE IF NOT EXISTS schema_versions (
  mart String,
  version String,
  created_at DateTime DEFAULT now()
) ENGINE = MergeTree()
ORDER BY (mart, created_at)
