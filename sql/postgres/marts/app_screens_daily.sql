-- mart.app_screens_daily for day $1: screen views and crashes per screen of the day's app sessions,
-- by the session's OS and version (screen_view and app_crash events joined to bi.fact_sessions by
-- session_id; events outside a session of the day are left out). sessions and users are distinct
-- at the row's grain: sessions and users that showed the screen.
select $1::date as day, s.device_os, s.app_version, e.screen,
  count(*) filter (where e.name = 'screen_view') as screen_views,
  count(distinct e.session_id) filter (where e.name = 'screen_view') as sessions,
  count(distinct s.user_id) filter (where e.name = 'screen_view') as users,
  count(*) filter (where e.name = 'app_crash') as crashes
from bi.fact_app_events e
join bi.fact_sessions s on s.session_id = e.session_id and s.day = $1
where e.day = $1 and e.name in ('screen_view', 'app_crash') and e.screen is not null
group by s.device_os, s.app_version, e.screen
