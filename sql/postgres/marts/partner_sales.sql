-- mart.partner_sales for day $1: a store without a known merchant keeps its partner as the chain.
-- Partners are grocery stores and auto centres (dealer groups' chain is the group): vertical tells them apart.
select s.day, s.partner_code, s.store_code, s.merchant_id,
  coalesce(m.chain, s.partner_code) as chain,
  coalesce(m.vertical, 'unknown') as vertical, coalesce(m.subtype, 'unknown') as subtype,
  coalesce(m.region, 'unknown') as region, coalesce(m.city, 'unknown') as city,
  s.receipts_total, s.turnover_total_byn, s.receipts_app, s.turnover_app_byn
from bi.fact_partner_sales s
left join bi.dim_merchant m on m.merchant_id = s.merchant_id
where s.day = $1
