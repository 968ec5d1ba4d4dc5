-- mart.merchants_daily for day $1: receipts are successful payments; cashback_receipts those under a cashback campaign.
select f.day, f.merchant_id,
  coalesce(m.name, 'unknown') as name, coalesce(m.vertical, 'unknown') as vertical,
  coalesce(m.subtype, 'unknown') as subtype, coalesce(m.chain, '') as chain, coalesce(m.brand, '') as brand,
  coalesce(m.region, 'unknown') as region, coalesce(m.city, 'unknown') as city,
  m.legal_client_id,
  count(*) as transactions,
  count(*) filter (where f.is_success) as receipts,
  coalesce(sum(f.amount_byn) filter (where f.is_success), 0) as turnover_byn,
  coalesce(sum(f.commission_byn) filter (where f.is_success), 0) as commission_byn,
  coalesce(sum(f.cashback_byn) filter (where f.is_success), 0) as cashback_byn,
  count(*) filter (where f.is_success and f.cashback_campaign_id is not null) as cashback_receipts,
  count(distinct f.user_id) filter (where f.is_success) as payers
from bi.fact_payments f
left join bi.dim_merchant m on m.merchant_id = f.merchant_id
where f.day = $1
group by f.day, f.merchant_id, m.merchant_id
