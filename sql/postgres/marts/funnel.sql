-- mart.funnel: an install without a channel is organic; a repeat payer has two successful payments or more.
-- Registrations count from the first day of the app log the warehouse holds: a user who registered
-- before it installed before it too, and would be a registration without an install.
with first_day as (
  select min(day) as day from bi.fact_app_events
), installs as (
  select day, coalesce(channel, 'organic') as acq_channel, coalesce(os, 'unknown') as device_os,
    count(distinct device_id) as installs
  from bi.fact_app_events where name = 'app_install'
  group by day, 2, 3
), repeaters as (
  select user_id from bi.fact_payments where is_success group by user_id having count(*) >= 2
), registered as (
  select u.registration_date as day, u.acq_channel, u.device_os, count(*) as registrations,
    count(*) filter (where u.first_card_linked_at is not null) as card_linked,
    count(*) filter (where u.card_linked_within_3d) as card_linked_within_3d,
    count(*) filter (where u.first_payment_at is not null) as first_payment,
    count(r.user_id) as repeat_payment
  from bi.dim_user u left join repeaters r on r.user_id = u.user_id
  where u.registration_date >= (select day from first_day)
  group by u.registration_date, u.acq_channel, u.device_os
)
select coalesce(r.day, i.day) as day, coalesce(r.acq_channel, i.acq_channel) as acq_channel,
  coalesce(r.device_os, i.device_os) as device_os, coalesce(i.installs, 0) as installs,
  coalesce(r.registrations, 0) as registrations, coalesce(r.card_linked, 0) as card_linked,
  coalesce(r.card_linked_within_3d, 0) as card_linked_within_3d,
  coalesce(r.first_payment, 0) as first_payment, coalesce(r.repeat_payment, 0) as repeat_payment
from registered r
full join installs i on i.day = r.day and i.acq_channel = r.acq_channel and i.device_os = r.device_os
