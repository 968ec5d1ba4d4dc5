-- The day's headline KPIs (definitions in docs/metrics.md). A user is active on a day with an app
-- session or a successful payment; windows count only the days loaded (shorter near the start).
-- Money is the whole company's (B2C and B2B); b2b_* is the part business accounts paid (payer_type
-- 'entrepreneur' or 'legal'), so B2C = total − B2B.
create schema if not exists bi;

create table if not exists bi.kpi_daily (
  day date primary key,
  dau integer not null,
  wau integer not null,
  mau integer not null,
  stickiness numeric(6,4),
  transactions integer not null,
  turnover_byn numeric(18,2) not null,
  revenue_byn numeric(18,2) not null,
  cashback_byn numeric(18,2) not null,
  avg_check_byn numeric(14,2),
  paying_users integer not null,
  arpu_byn numeric(14,2),
  arppu_byn numeric(14,2),
  churned_users integer not null,
  churn_base_users integer not null,
  churn_rate numeric(6,4),
  b2b_transactions integer not null default 0,
  b2b_turnover_byn numeric(18,2) not null default 0,
  b2b_revenue_byn numeric(18,2) not null default 0
);
alter table bi.kpi_daily add column if not exists b2b_transactions integer not null default 0;
alter table bi.kpi_daily add column if not exists b2b_turnover_byn numeric(18,2) not null default 0;
alter table bi.kpi_daily add column if not exists b2b_revenue_byn numeric(18,2) not null default 0;

create or replace procedure bi.fill_kpi_daily(p_day date)
language plpgsql as $$
begin
  delete from bi.kpi_daily where day = p_day;
  insert into bi.kpi_daily (day, dau, wau, mau, stickiness, transactions, turnover_byn, revenue_byn,
    cashback_byn, avg_check_byn, paying_users, arpu_byn, arppu_byn, churned_users, churn_base_users, churn_rate,
    b2b_transactions, b2b_turnover_byn, b2b_revenue_byn)
  with active as (
    select s.day, s.user_id from bi.fact_sessions s where s.day between p_day - 59 and p_day
    union
    select p.day, p.user_id from bi.fact_payments p where p.is_success and p.day between p_day - 59 and p_day
  ), audience as (
    select count(distinct user_id) filter (where day = p_day) as dau,
      count(distinct user_id) filter (where day > p_day - 7) as wau,
      count(distinct user_id) filter (where day > p_day - 30) as mau
    from active
  ), money as (
    select count(*) as transactions, coalesce(sum(amount_byn), 0) as turnover, coalesce(sum(commission_byn), 0) as revenue,
      coalesce(sum(cashback_byn), 0) as cashback, count(distinct user_id) as payers,
      count(*) filter (where p.payer_type <> 'individual') as b2b_transactions,
      coalesce(sum(amount_byn) filter (where p.payer_type <> 'individual'), 0) as b2b_turnover,
      coalesce(sum(commission_byn) filter (where p.payer_type <> 'individual'), 0) as b2b_revenue
    from bi.fact_payments p where p.day = p_day and p.is_success
  ), churn as (
    select count(*) filter (where not recent) as churned, count(*) as base
    from (
      select user_id, bool_or(day > p_day - 30) as recent, bool_or(day <= p_day - 30) as earlier
      from active group by user_id
    ) users_seen
    where earlier
  )
  select p_day, a.dau, a.wau, a.mau, case when a.mau > 0 then round(a.dau::numeric / a.mau, 4) end,
    m.transactions, m.turnover, m.revenue, m.cashback,
    case when m.transactions > 0 then round(m.turnover / m.transactions, 2) end,
    m.payers,
    case when a.dau > 0 then round(m.revenue / a.dau, 2) end,
    case when m.payers > 0 then round(m.revenue / m.payers, 2) end,
    c.churned, c.base, case when c.base > 0 then round(c.churned::numeric / c.base, 4) end,
    m.b2b_transactions, m.b2b_turnover, m.b2b_revenue
  from audience a, money m, churn c;
end $$;
