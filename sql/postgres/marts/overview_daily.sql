-- mart.overview_daily for day $1: money counts successful payments only; a new payer is a user whose
-- first successful payment is in the slice. direction by who pays: B2C = an individual's own payment,
-- B2B = a business account's (payer_type 'entrepreneur' or 'legal').
select f.day,
  case when f.payer_type = 'individual' then 'B2C' else 'B2B' end as direction,
  f.payer_type,
  coalesce(m.vertical, 'unknown') as vertical, coalesce(m.region, 'unknown') as region,
  f.method, f.operation_type,
  count(*) as transactions,
  count(*) filter (where f.is_success) as successful,
  count(*) filter (where f.status = 'refunded') as refunded,
  coalesce(sum(f.amount_byn) filter (where f.is_success), 0) as turnover_byn,
  coalesce(sum(f.commission_byn) filter (where f.is_success), 0) as commission_byn,
  coalesce(sum(f.cashback_byn) filter (where f.is_success), 0) as cashback_byn,
  count(distinct f.user_id) filter (where f.is_success and f.trans_date = u.first_payment_at) as new_payers
from bi.fact_payments f
left join bi.dim_merchant m on m.merchant_id = f.merchant_id
left join bi.dim_user u on u.user_id = f.user_id
where f.day = $1
group by f.day, 2, f.payer_type, 4, 5, f.method, f.operation_type
