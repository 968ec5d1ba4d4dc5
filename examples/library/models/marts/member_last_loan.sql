/*
model:
  kind: incremental
  unique_key: member_id
  newest_by: last_loan_id
  description: Each reader's latest loan; each day's loans replace the readers' older ones.
  owner: library-data
  columns:
    member_id: { checks: [unique, not_null] }
*/
select distinct on (member_id) member_id, day as last_day, loan_id as last_loan_id, book_id as last_book_id
from staging.loans
where day between {{ start }} and {{ end }}
order by member_id, day desc, loan_id desc
