-- The app as a product: a day × OS × app version of the app's sessions (bi.fact_sessions) and the
-- crashes logged in them (app_crash events). Counts are additive over any slice and period, but
-- active_users only within a day (a user counted once a day, under their last session's OS and
-- version): adoption of a version = active_users / sum(active_users) of the day; distinct users over
-- a period come from active_users (the mart). Crash rate = crashes / sessions; crash-free sessions
-- = crash_free_sessions / sessions (docs/metrics.md).
CREATE TABLE IF NOT EXISTS app_daily (
  day Date,
  device_os String,
  app_version String,
  version_rank UInt32,
  sessions UInt32,
  active_users UInt32,
  session_seconds UInt64,
  screen_views UInt64,
  crashes UInt32,
  crashed_sessions UInt32,
  crash_free_sessions UInt32
) ENGINE = MergeTree()
PARTITION BY day
ORDER BY (device_os, version_rank, app_version)
