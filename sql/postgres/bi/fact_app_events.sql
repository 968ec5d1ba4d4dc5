-- The app's events of a day from the log. An event without user= (an install, before the person
-- registered) gets the user its device shows elsewhere in the same day's log, when only one.
create schema if not exists bi;

create table if not exists bi.fact_app_events (
  day date not null,
  event_time timestamptz not null,
  user_id bigint,
  device_id text not null,
  session_id text,
  name text not null,
  screen text,
  element text,
  channel text,
  campaign text,
  os text,
  amount numeric(14,2),
  currency text,
  app_version text,
  user_from_device boolean not null default false
);
create index if not exists fact_app_events_day_idx on bi.fact_app_events (day, name);
create index if not exists fact_app_events_device_idx on bi.fact_app_events (device_id);

create or replace procedure bi.fill_fact_app_events(p_day date)
language plpgsql as $$
begin
  delete from bi.fact_app_events where day = p_day;
  insert into bi.fact_app_events
  with events as (
    select e.*, dimension.identifier(e.device_id) as device
    from stage.app_events e
    where e.day = p_day and e.event_time is not null and e.device_id is not null and e.name is not null
  ), device_users as (
    select device, min(user_id) as user_id
    from events where user_id is not null
    group by device having count(distinct user_id) = 1
  )
  select e.day, e.event_time, coalesce(e.user_id, d.user_id), e.device, dimension.clean_text(e.session_id),
    dimension.identifier(e.name), dimension.clean_text(e.screen), dimension.clean_text(e.element),
    dimension.identifier(e.channel), dimension.identifier(e.campaign), dimension.identifier(e.os),
    e.amount, upper(dimension.clean_text(e.currency)), dimension.clean_text(e.app_version),
    e.user_id is null and d.user_id is not null
  from events e
  left join device_users d on d.device = e.device;
end $$;
