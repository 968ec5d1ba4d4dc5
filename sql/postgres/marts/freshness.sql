-- mart.freshness: one row per daily bi fact; days_behind counts from yesterday, the last complete day.
with facts as (
  select 'bi.fact_payments' as asset, day from bi.fact_payments
  union all select 'bi.fact_app_events', day from bi.fact_app_events
  union all select 'bi.fact_sessions', day from bi.fact_sessions
  union all select 'bi.fact_marketing_spend', day from bi.fact_marketing_spend
  union all select 'bi.fact_partner_sales', day from bi.fact_partner_sales
), per_day as (
  select asset, day, count(*) as rows from facts group by asset, day
), assets(asset) as (
  values ('bi.fact_payments'), ('bi.fact_app_events'), ('bi.fact_sessions'),
    ('bi.fact_marketing_spend'), ('bi.fact_partner_sales')
)
select a.asset, max(d.day) as latest_day,
  coalesce(sum(d.rows) filter (where d.day = (select max(day) from per_day l where l.asset = a.asset)), 0) as rows_latest_day,
  coalesce(sum(d.rows), 0) as rows_total,
  (current_date - 1) - max(d.day) as days_behind,
  date_trunc('second', localtimestamp) as checked_at
from assets a left join per_day d on d.asset = a.asset
group by a.asset
