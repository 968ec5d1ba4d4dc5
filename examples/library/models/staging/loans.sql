/*
model:
  kind: daily
  time_column: day
  description: Loans that really happened (a positive duration), with the book's genre and the branch's district.
  owner: library-data
  columns:
    loan_id:
      description: The loan's number in the library system.
      checks: [unique, not_null]
    day: { description: The day the book was taken out., checks: [not_null] }
    branch_id:
      description: Where it was taken out.
      checks: [not_null, { relationships: { to: seeds.branches, field: branch_id } }]
    genre:
      checks: [{ accepted_values: [fiction, history, hobby, geography, nature] }]
    minutes: { description: "How long the reader kept the book, in minutes." }
*/
select l.day, l.loan_id, l.member_id, l.branch_id, b.district, l.book_id, k.genre, l.minutes
from raw.loans l
join seeds.branches b using (branch_id)
join seeds.books k using (book_id)
where l.minutes > 0
  and l.day between {{ start }} and {{ end }}
