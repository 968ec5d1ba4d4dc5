-- mart.users: stage is the furthest step reached: registered, card_linked, first_payment, repeat.
-- An individual's figures count their own payments (B2C, payer_type 'individual'); what they paid
-- for a business through its account is apart, in business_payments and business_turnover_byn.
with as_of as (
  select coalesce(max(day), current_date) as day from bi.fact_payments
), paid as (
  select user_id, count(*) as payments, sum(amount_byn) as turnover_byn,
    sum(commission_byn) as commission_byn, sum(cashback_byn) as cashback_byn,
    max(day) as last_payment_day, mode() within group (order by method) as favourite_method
  from bi.fact_payments where is_success and payer_type = 'individual' group by user_id
), business as (
  select user_id, count(*) as payments, sum(amount_byn) as turnover_byn
  from bi.fact_payments where is_success and payer_type <> 'individual' group by user_id
), early as (
  select f.user_id, count(*) as payments
  from bi.fact_payments f join bi.dim_user u on u.user_id = f.user_id
  where f.is_success and f.payer_type = 'individual' and f.day < u.registration_date + 7
  group by f.user_id
)
select u.user_id, u.registration_date, u.cohort_week, u.cohort_month, u.acq_channel,
  u.region, u.city, u.device_os, coalesce(u.gender, '') as gender, u.status,
  (u.first_card_linked_at is not null)::int as card_linked,
  u.card_linked_within_3d::int as card_linked_within_3d,
  u.first_payment_at::date as first_payment_date,
  coalesce(p.payments, 0) as payments, coalesce(e.payments, 0) as payments_first_7d,
  coalesce(p.turnover_byn, 0) as turnover_byn, coalesce(p.commission_byn, 0) as commission_byn,
  coalesce(p.cashback_byn, 0) as cashback_byn, p.last_payment_day,
  coalesce(p.favourite_method, '') as favourite_method,
  case when p.payments >= 2 then 'repeat' when p.payments = 1 then 'first_payment'
    when u.first_card_linked_at is not null then 'card_linked' else 'registered' end as stage,
  coalesce(p.last_payment_day <= a.day - 30, false)::int as churned,
  coalesce(p.last_payment_day > a.day - 30 and p.last_payment_day <= a.day - 14, false)::int as at_risk,
  a.day as as_of,
  coalesce(b.payments, 0) as business_payments, coalesce(b.turnover_byn, 0) as business_turnover_byn,
  row_number() over (order by coalesce(p.commission_byn, 0) desc, u.user_id) as value_rank
from bi.dim_user u
cross join as_of a
left join paid p on p.user_id = u.user_id
left join business b on b.user_id = u.user_id
left join early e on e.user_id = u.user_id
