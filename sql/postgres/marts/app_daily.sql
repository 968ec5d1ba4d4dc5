-- mart.app_daily for day $1: the day's app sessions per OS and version, with the crashes the log
-- records in them (app_crash events joined by session_id). active_users counts each user once, under
-- the OS and version of their last session that day, so it sums across OS and versions to the day's
-- users with a session; version_rank orders versions numerically (3.9.0 before 3.10.0).
with crashes as (
  select session_id, count(*) as crashes
  from bi.fact_app_events
  where day = $1 and name = 'app_crash' and session_id is not null
  group by session_id
), sessions as (
  select s.session_id, s.user_id, s.started_at, s.device_os, s.app_version,
    coalesce(s.duration_s, 0) as duration_s, s.screens, coalesce(c.crashes, 0) as crashes
  from bi.fact_sessions s
  left join crashes c on c.session_id = s.session_id
  where s.day = $1
), last_sessions as (
  select distinct on (user_id) user_id, device_os, app_version
  from sessions order by user_id, started_at desc, session_id desc
), users as (
  select device_os, app_version, count(*) as active_users
  from last_sessions group by device_os, app_version
)
select $1::date as day, s.device_os, s.app_version,
  case when s.app_version ~ '^\d{1,3}\.\d{1,3}\.\d{1,3}$'
    then split_part(s.app_version, '.', 1)::integer * 1000000 + split_part(s.app_version, '.', 2)::integer * 1000
      + split_part(s.app_version, '.', 3)::integer
    else 0 end as version_rank,
  count(*) as sessions,
  coalesce(max(u.active_users), 0) as active_users,
  sum(s.duration_s) as session_seconds,
  sum(s.screens) as screen_views,
  sum(s.crashes) as crashes,
  count(*) filter (where s.crashes > 0) as crashed_sessions,
  count(*) filter (where s.crashes = 0) as crash_free_sessions
from sessions s
left join users u on u.device_os = s.device_os and u.app_version = s.app_version
group by s.device_os, s.app_version
