/*
model:
  kind: daily
  time_column: day
  description: Loans and reading minutes per branch and day.
  owner: library-data
  columns:
    loans: { description: Loans taken out that day. }
    minutes: { description: "Their minutes, summed." }
  checks:
    - unique: [day, branch_id]
    - row_count: { min: 1 }
*/
select day, branch_id, district, count(*)::int as loans, sum(minutes)::int as minutes
from staging.loans
where day between {{ start }} and {{ end }}
group by day, branch_id, district
