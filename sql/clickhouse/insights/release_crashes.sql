-- The app release that crashed most: per operating system and app version with 300 sessions or more,
-- the share of sessions that crashed; the worst version against the other versions of its system.
SELECT
  min(first_day) AS period_from,
  max(last_day) AS period_to,
  argMax(device_os, rate) AS worst_os,
  argMax(app_version, rate) AS worst_version,
  max(rate) AS worst_crash_rate,
  argMax(version_sessions, rate) AS worst_sessions,
  (argMax(os_crashed, rate) - argMax(version_crashed, rate))
    / (argMax(os_sessions, rate) - argMax(version_sessions, rate)) AS other_crash_rate,
  max(rate) / other_crash_rate AS crash_ratio,
  count() AS versions_compared
FROM (
  SELECT device_os, app_version, first_day, last_day, version_sessions, version_crashed,
    version_crashed / version_sessions AS rate, os_sessions, os_crashed
  FROM (
    SELECT device_os, app_version, min(day) AS first_day, max(day) AS last_day,
      sum(sessions) AS version_sessions, sum(crashed_sessions) AS version_crashed
    FROM app_daily
    GROUP BY device_os, app_version
    HAVING version_sessions >= 300
  ) AS t1
  ANY LEFT JOIN (
    SELECT device_os, sum(sessions) AS os_sessions, sum(crashed_sessions) AS os_crashed
    FROM app_daily GROUP BY device_os
  ) AS t2 USING device_os
) AS t3
