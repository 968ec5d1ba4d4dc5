/*
model:
  kind: table
  description: Every loan ever, by genre — rebuilt whole.
  owner: library-data
  freshness: { cron: "0 6 * * *", maximum_lag_minutes: 1440 }
  columns:
    genre: { checks: [unique, not_null] }
*/
select genre, count(*)::int as loans, count(distinct member_id)::int as readers
from staging.loans
group by genre
