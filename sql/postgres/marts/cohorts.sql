-- mart.cohorts: period 'week' (cohort = Monday of registration) or 'month' (its first day).
-- period_complete: the period lies wholly within the loaded days of payments (its retention is
-- observed, not cut by the newest day or the start of the data); cohort_observed: the cohort's own
-- period starts on or after the first loaded day (so its cumulative revenue starts at zero).
with as_of as (
  select coalesce(max(day), current_date) as day, coalesce(min(day), current_date) as first_day
  from bi.fact_payments
), members as (
  select 'week' as period, cohort_week as cohort, acq_channel, user_id from bi.dim_user
  union all
  select 'month', cohort_month, acq_channel, user_id from bi.dim_user
), sizes as (
  select period, cohort, acq_channel, count(*) as cohort_size from members group by period, cohort, acq_channel
), activity as (
  select m.period, m.cohort, m.acq_channel,
    case when m.period = 'week' then (f.day - m.cohort) / 7
      else (extract(year from f.day)::int - extract(year from m.cohort)::int) * 12
        + extract(month from f.day)::int - extract(month from m.cohort)::int end as periods_since,
    count(distinct f.user_id) as active_users, sum(f.commission_byn) as revenue_byn
  from members m join bi.fact_payments f on f.user_id = m.user_id and f.is_success and f.day >= m.cohort
  group by 1, 2, 3, 4
), grid as (
  select s.period, s.cohort, s.acq_channel, s.cohort_size, n as periods_since
  from sizes s cross join as_of a
  cross join lateral generate_series(0,
    case when s.period = 'week' then (a.day - s.cohort) / 7
      else (extract(year from a.day)::int - extract(year from s.cohort)::int) * 12
        + extract(month from a.day)::int - extract(month from s.cohort)::int end) n
)
select g.period, g.cohort, g.acq_channel, g.periods_since, g.cohort_size,
  coalesce(x.active_users, 0) as active_users, coalesce(x.revenue_byn, 0) as revenue_byn,
  sum(coalesce(x.revenue_byn, 0)) over (
    partition by g.period, g.cohort, g.acq_channel order by g.periods_since) as cumulative_revenue_byn,
  (g.period_start >= a.first_day and g.period_end <= a.day)::int as period_complete,
  (g.cohort >= a.first_day)::int as cohort_observed
from (
  select grid.*,
    case when period = 'week' then cohort + 7 * periods_since
      else (cohort + make_interval(months => periods_since))::date end as period_start,
    case when period = 'week' then cohort + 7 * periods_since + 6
      else (cohort + make_interval(months => periods_since + 1))::date - 1 end as period_end
  from grid
) g
cross join as_of a
left join activity x on x.period = g.period and x.cohort = g.cohort
  and x.acq_channel = g.acq_channel and x.periods_since = g.periods_since
