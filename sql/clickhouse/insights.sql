-- The analytical conclusions drawn from the other marts (mart.insights): one row per conclusion, its
-- Russian sentence (or why the data cannot support it), the days its figures cover (NULL when they
-- cover none), the figures themselves (the query's rows as JSON), the query file under sql/ and the
-- dashboard and chart that show the same figures (their codes, and as a reader finds them:
-- «dashboard» → «chart»). Rebuilt whole each time the marts it reads change.
CREATE TABLE IF NOT EXISTS insights (
  position UInt8,
  insight String,
  title String,
  period_from Nullable(Date),
  period_to Nullable(Date),
  supported UInt8,
  text String,
  figures String,
  query_file String,
  dashboard String,
  chart String,
  shown_on String,
  computed_at DateTime
) ENGINE = MergeTree()
PARTITION BY tuple()
ORDER BY position
