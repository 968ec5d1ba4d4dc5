-- The funnel by install week and channel: devices installed → registered (the device's user) →
-- card linked → first successful payment → a repeat (second) successful payment, up to now.
create schema if not exists bi;

create table if not exists bi.kpi_funnel (
  install_week date not null,
  channel text not null,
  installs integer not null,
  registered integer not null,
  card_linked integer not null,
  first_payment integer not null,
  repeat_payment integer not null,
  primary key (install_week, channel)
);

create or replace procedure bi.fill_kpi_funnel()
language plpgsql as $$
begin
  lock table bi.kpi_funnel in exclusive mode;
  delete from bi.kpi_funnel;
  insert into bi.kpi_funnel
  with installs as (
    select distinct on (e.device_id) e.device_id, e.day, coalesce(e.channel, 'organic') as channel
    from bi.fact_app_events e where e.name = 'app_install'
    order by e.device_id, e.event_time
  ), successes as (
    select p.user_id, count(*) as payments from bi.fact_payments p where p.is_success group by p.user_id
  )
  select date_trunc('week', i.day)::date, i.channel, count(*), count(u.user_id), count(u.first_card_linked_at),
    count(u.first_payment_at), count(*) filter (where s.payments >= 2)
  from installs i
  left join lateral (
    select d.user_id, d.first_card_linked_at, d.first_payment_at
    from bi.dim_user d where d.device_id = i.device_id order by d.user_id limit 1
  ) u on true
  left join successes s on s.user_id = u.user_id
  group by 1, 2;
end $$;
