-- mart.legal_entities: a client's activity two ways. As a merchant (acquiring: merchants,
-- transactions, turnover_byn, …, retained): successful payments its merchants took. As a payer
-- (own_*): successful payments its business accounts made themselves (payer_legal_client_id).
with as_of as (
  select coalesce(max(day), current_date) as day from bi.fact_payments
), paid as (
  select f.legal_client_id as client_id, count(distinct f.merchant_id) as merchants, count(*) as transactions,
    sum(f.amount_byn) as turnover_byn, sum(f.commission_byn) as commission_byn,
    count(distinct date_trunc('month', f.day)) as active_months,
    min(f.day) as first_payment_day, max(f.day) as last_payment_day,
    coalesce(sum(f.amount_byn) filter (where f.day > a.day - 30), 0) as turnover_last_30d_byn,
    coalesce(sum(f.amount_byn) filter (where f.day <= a.day - 30 and f.day > a.day - 60), 0) as turnover_previous_30d_byn
  from bi.fact_payments f cross join as_of a
  where f.is_success and f.legal_client_id is not null
  group by f.legal_client_id
), own as (
  select f.payer_legal_client_id as client_id, max(f.payer_type) as payer_type, count(*) as transactions,
    sum(f.amount_byn) as turnover_byn, sum(f.commission_byn) as commission_byn,
    count(distinct f.day) as active_days, count(distinct date_trunc('month', f.day)) as active_months,
    min(f.day) as first_payment_day, max(f.day) as last_payment_day,
    count(*) filter (where f.day > a.day - 30) as transactions_last_30d,
    coalesce(sum(f.amount_byn) filter (where f.day > a.day - 30), 0) as turnover_last_30d_byn,
    coalesce(sum(f.amount_byn) filter (where f.day <= a.day - 30 and f.day > a.day - 60), 0) as turnover_previous_30d_byn
  from bi.fact_payments f cross join as_of a
  where f.is_success and f.payer_legal_client_id is not null
  group by f.payer_legal_client_id
)
select l.client_id, l.unp, l.name, l.industry, l.size_category, l.region, l.city, l.registered_at,
  l.status, l.is_key_account::int as is_key_account,
  coalesce(l.tariff_code, '') as tariff_code, coalesce(l.tariff_name, '') as tariff_name,
  l.contract_signed_on,
  coalesce(p.merchants, 0) as merchants, coalesce(p.transactions, 0) as transactions,
  coalesce(p.turnover_byn, 0) as turnover_byn, coalesce(p.commission_byn, 0) as commission_byn,
  coalesce(p.active_months, 0) as active_months, p.first_payment_day, p.last_payment_day,
  coalesce(p.turnover_last_30d_byn, 0) as turnover_last_30d_byn,
  coalesce(p.turnover_previous_30d_byn, 0) as turnover_previous_30d_byn,
  (coalesce(p.turnover_last_30d_byn, 0) > 0 and coalesce(p.turnover_previous_30d_byn, 0) > 0)::int as retained,
  a.day as as_of,
  coalesce(o.payer_type, '') as payer_type,
  coalesce(o.transactions, 0) as own_transactions, coalesce(o.turnover_byn, 0) as own_turnover_byn,
  coalesce(o.commission_byn, 0) as own_commission_byn,
  coalesce(o.active_days, 0) as own_active_days, coalesce(o.active_months, 0) as own_active_months,
  o.first_payment_day as own_first_payment_day, o.last_payment_day as own_last_payment_day,
  coalesce(o.transactions_last_30d, 0) as own_transactions_last_30d,
  coalesce(o.turnover_last_30d_byn, 0) as own_turnover_last_30d_byn,
  coalesce(o.turnover_previous_30d_byn, 0) as own_turnover_previous_30d_byn,
  (coalesce(o.turnover_last_30d_byn, 0) > 0 and coalesce(o.turnover_previous_30d_byn, 0) > 0)::int as own_retained
from bi.dim_legal_entity l
cross join as_of a
left join paid p on p.client_id = l.client_id
left join own o on o.client_id = l.client_id
