-- Acquisition economics by channel and registration month: users and paying users acquired,
-- spend, CAC (spend per paying user acquired), their commission to date, LTV and ROMI.
create schema if not exists bi;

create table if not exists bi.kpi_channel (
  channel text not null,
  cohort_month date not null,
  registered_users integer not null,
  paying_users integer not null,
  spend_byn numeric(18,2) not null,
  revenue_byn numeric(18,2) not null,
  cac_byn numeric(14,2),
  ltv_byn numeric(14,2),
  romi numeric(12,4),
  primary key (channel, cohort_month)
);

create or replace procedure bi.fill_kpi_channel()
language plpgsql as $$
begin
  lock table bi.kpi_channel in exclusive mode;
  delete from bi.kpi_channel;
  insert into bi.kpi_channel
  with acquired as (
    select u.acq_channel as channel, u.cohort_month, count(*) as users,
      count(u.first_payment_at) as payers, coalesce(sum(r.byn), 0) as revenue
    from bi.dim_user u
    left join (
      select p.user_id, sum(p.commission_byn) as byn from bi.fact_payments p where p.is_success group by p.user_id
    ) r on r.user_id = u.user_id
    group by 1, 2
  ), spent as (
    select s.channel, date_trunc('month', s.day)::date as cohort_month, sum(s.spend_byn) as spend
    from bi.fact_marketing_spend s group by 1, 2
  )
  select coalesce(a.channel, s.channel), coalesce(a.cohort_month, s.cohort_month),
    coalesce(a.users, 0), coalesce(a.payers, 0), coalesce(s.spend, 0), coalesce(a.revenue, 0),
    case when a.payers > 0 and s.spend is not null then round(s.spend / a.payers, 2) end,
    case when a.users > 0 then round(a.revenue / a.users, 2) end,
    case when s.spend > 0 then round((coalesce(a.revenue, 0) - s.spend) / s.spend, 4) end
  from acquired a
  full join spent s on s.channel = a.channel and s.cohort_month = a.cohort_month;
end $$;
