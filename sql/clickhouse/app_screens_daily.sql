-- The app's screens: a day × OS × app version × screen of screen views and crashes in the day's
-- sessions. screen_views and crashes are additive over any slice and period (screen share = a
-- screen's screen_views / all screen_views; crashes per screen); sessions and users are distinct
-- per row (the sessions and users that showed the screen that day) and must not be summed across
-- screens, versions or days.
CREATE TABLE IF NOT EXISTS app_screens_daily (
  day Date,
  device_os String,
  app_version String,
  screen String,
  screen_views UInt64,
  sessions UInt32,
  users UInt32,
  crashes UInt32
) ENGINE = MergeTree()
PARTITION BY day
ORDER BY (device_os, app_version, screen)
