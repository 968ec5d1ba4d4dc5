-- mart.marketing_daily for day $1, one row per channel of bi.dim_channel. registrations and
-- new_payers: users acquired by the channel who registered / paid for the first time that day;
-- payers, turnover and revenue (commission): successful payments that day by users of the channel.
-- CAC, LTV and ROMI by cohort month as docs/metrics.md defines them are mart.kpi_channel; this is
-- the daily breakdown bi has no KPI table for.
with spend as (
  select channel, sum(spend_byn) as spend_byn, sum(impressions) as impressions,
    sum(clicks) as clicks, sum(installs) as installs
  from bi.fact_marketing_spend where day = $1 group by channel
), registrations as (
  select acq_channel as channel, count(*) as registrations
  from bi.dim_user where registration_date = $1 group by acq_channel
), new_payers as (
  select acq_channel as channel, count(*) as new_payers
  from bi.dim_user where first_payment_at >= $1::date and first_payment_at < $1::date + 1 group by acq_channel
), paid as (
  select u.acq_channel as channel, count(distinct f.user_id) as payers,
    sum(f.amount_byn) as turnover_byn, sum(f.commission_byn) as revenue_byn
  from bi.fact_payments f join bi.dim_user u on u.user_id = f.user_id
  where f.day = $1 and f.is_success group by u.acq_channel
)
select $1::date as day, c.channel, c.channel_type, c.is_paid::int as is_paid,
  coalesce(s.spend_byn, 0) as spend_byn, coalesce(s.impressions, 0) as impressions,
  coalesce(s.clicks, 0) as clicks, coalesce(s.installs, 0) as installs,
  coalesce(r.registrations, 0) as registrations, coalesce(n.new_payers, 0) as new_payers,
  coalesce(p.payers, 0) as payers, coalesce(p.turnover_byn, 0) as turnover_byn,
  coalesce(p.revenue_byn, 0) as revenue_byn
from bi.dim_channel c
left join spend s on s.channel = c.channel
left join registrations r on r.channel = c.channel
left join new_payers n on n.channel = c.channel
left join paid p on p.channel = c.channel
