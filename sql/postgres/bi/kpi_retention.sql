-- Retention and LTV by registration cohort, weekly and monthly: of a cohort's users, how many were
-- active (a session or a successful payment) in each period after registering, the commission they
-- brought and its running total per cohort user (LTV). Periods are those the warehouse has data for.
create schema if not exists bi;

create table if not exists bi.kpi_retention (
  grain text not null,                   -- week, month
  cohort date not null,                  -- week_start / month_start of the registration date
  period_offset integer not null,        -- periods since the cohort's own
  period_start date not null,
  cohort_users integer not null,
  active_users integer not null,
  retention_rate numeric(6,4),
  revenue_byn numeric(18,2) not null,
  cumulative_revenue_byn numeric(18,2) not null,
  ltv_byn numeric(14,2),
  primary key (grain, cohort, period_offset)
);

create or replace procedure bi.fill_kpi_retention()
language plpgsql as $$
begin
  lock table bi.kpi_retention in exclusive mode;
  delete from bi.kpi_retention;
  insert into bi.kpi_retention
  with loaded as (
    select min(day) as first_day, max(day) as last_day from (
      select s.day from bi.fact_sessions s union all select p.day from bi.fact_payments p
    ) days
  ), grains(grain, step) as (values ('week', interval '1 week'), ('month', interval '1 month')),
  cohorts as (
    select g.grain, case g.grain when 'week' then u.cohort_week else u.cohort_month end as cohort, count(*) as users
    from bi.dim_user u cross join grains g group by 1, 2
  ), periods as (
    select c.grain, c.cohort, c.users, period::date as period_start
    from cohorts c cross join loaded l join grains g on g.grain = c.grain,
      generate_series(greatest(c.cohort, date_trunc(c.grain, l.first_day)::date), l.last_day, g.step) period
  ), activity as (
    select s.user_id, s.day from bi.fact_sessions s
    union
    select p.user_id, p.day from bi.fact_payments p where p.is_success
  ), active as (
    select g.grain, date_trunc(g.grain, a.day)::date as period_start,
      case g.grain when 'week' then u.cohort_week else u.cohort_month end as cohort, count(distinct a.user_id) as users
    from activity a join bi.dim_user u on u.user_id = a.user_id cross join grains g
    group by 1, 2, 3
  ), revenue as (
    select g.grain, date_trunc(g.grain, p.day)::date as period_start,
      case g.grain when 'week' then u.cohort_week else u.cohort_month end as cohort, sum(p.commission_byn) as byn
    from bi.fact_payments p join bi.dim_user u on u.user_id = p.user_id cross join grains g
    where p.is_success
    group by 1, 2, 3
  ), joined as (
    select p.grain, p.cohort, p.period_start, p.users,
      case p.grain when 'week' then (p.period_start - p.cohort) / 7
        else (date_part('year', p.period_start) - date_part('year', p.cohort)) * 12
          + date_part('month', p.period_start) - date_part('month', p.cohort) end::integer as period_offset,
      coalesce(a.users, 0) as active_users, coalesce(r.byn, 0) as revenue
    from periods p
    left join active a on a.grain = p.grain and a.cohort = p.cohort and a.period_start = p.period_start
    left join revenue r on r.grain = p.grain and r.cohort = p.cohort and r.period_start = p.period_start
  )
  select grain, cohort, period_offset, period_start, users, active_users,
    round(active_users::numeric / users, 4), revenue,
    sum(revenue) over w, round(sum(revenue) over w / users, 2)
  from joined
  window w as (partition by grain, cohort order by period_offset);
end $$;
