/*
model:
  description: The ten books lent most often, as a view over the loans.
  owner: library-data
*/
select k.book_id, k.title, count(*)::int as loans
from staging.loans l
join seeds.books k using (book_id)
group by k.book_id, k.title
order by loans desc, k.book_id
limit 10
