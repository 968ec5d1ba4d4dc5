-- mart.payments for day $1. direction by who pays: B2C for an individual's own payment, B2B for a
-- business account's (payer_type 'entrepreneur' or 'legal'). legal_client_id, industry, size_category,
-- tariff_name and is_key_account describe the merchant's (payee's) legal client; payer_* the client
-- a business account pays for.
select f.day, date_trunc('second', f.trans_date) as trans_date, f.hour,
  extract(isodow from f.day)::int as day_of_week,
  f.transaction_id, f.user_id, f.merchant_id, f.legal_client_id,
  case when f.payer_type = 'individual' then 'B2C' else 'B2B' end as direction,
  f.method, f.operation_type, f.status, f.is_success::int as is_success, f.currency,
  f.amount, f.amount_byn, f.commission_byn, f.cashback_campaign_id, f.cashback_byn,
  coalesce(m.vertical, 'unknown') as vertical, coalesce(m.subtype, 'unknown') as subtype,
  coalesce(m.chain, '') as chain, coalesce(m.brand, '') as brand,
  coalesce(m.region, 'unknown') as merchant_region, coalesce(m.city, 'unknown') as merchant_city,
  coalesce(u.region, 'unknown') as user_region, coalesce(u.city, 'unknown') as user_city,
  coalesce(u.acq_channel, 'unknown') as acq_channel, coalesce(u.device_os, 'unknown') as device_os,
  coalesce(u.registration_date, date '1970-01-01') as registration_date,
  coalesce(u.cohort_month, date '1970-01-01') as cohort_month,
  coalesce(l.industry, '') as industry, coalesce(l.size_category, '') as size_category,
  coalesce(l.tariff_name, '') as tariff_name, coalesce(l.is_key_account, false)::int as is_key_account,
  f.payer_type, f.payer_legal_client_id,
  coalesce(pl.industry, '') as payer_industry, coalesce(pl.size_category, '') as payer_size_category,
  coalesce(pl.tariff_name, '') as payer_tariff_name, coalesce(pl.is_key_account, false)::int as payer_is_key_account
from bi.fact_payments f
left join bi.dim_merchant m on m.merchant_id = f.merchant_id
left join bi.dim_user u on u.user_id = f.user_id
left join bi.dim_legal_entity l on l.client_id = f.legal_client_id
left join bi.dim_legal_entity pl on pl.client_id = f.payer_legal_client_id
where f.day = $1
