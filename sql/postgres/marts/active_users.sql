-- mart.active_users for day $1: users with a session or a payment that day. payments, turnover and
-- commission are the user's own (B2C); payments made for a business through its account are apart.
with sessions as (
  select user_id, count(*) as sessions, coalesce(sum(duration_s), 0) as session_seconds
  from bi.fact_sessions where day = $1 group by user_id
), payments as (
  select user_id, count(*) filter (where payer_type = 'individual') as payments,
    count(*) filter (where is_success and payer_type = 'individual') as successful_payments,
    coalesce(sum(amount_byn) filter (where is_success and payer_type = 'individual'), 0) as turnover_byn,
    coalesce(sum(commission_byn) filter (where is_success and payer_type = 'individual'), 0) as commission_byn,
    count(*) filter (where is_success and payer_type <> 'individual') as business_payments
  from bi.fact_payments where day = $1 group by user_id
), active as (
  select user_id from sessions union select user_id from payments
)
select $1::date as day, a.user_id,
  coalesce(u.region, 'unknown') as region, coalesce(u.acq_channel, 'unknown') as acq_channel,
  coalesce(u.device_os, 'unknown') as device_os,
  coalesce(u.registration_date, date '1970-01-01') as registration_date,
  coalesce(u.cohort_month, date '1970-01-01') as cohort_month,
  coalesce(s.sessions, 0) as sessions, coalesce(s.session_seconds, 0) as session_seconds,
  coalesce(p.payments, 0) as payments, coalesce(p.successful_payments, 0) as successful_payments,
  coalesce(p.turnover_byn, 0) as turnover_byn, coalesce(p.commission_byn, 0) as commission_byn,
  coalesce(p.business_payments, 0) as business_payments
from active a
left join sessions s on s.user_id = a.user_id
left join payments p on p.user_id = a.user_id
left join bi.dim_user u on u.user_id = a.user_id
