-- mart.quarantine for day $1 (the quarantined row's own partition).
select $1::date as day, source, asset, left(reason, 500) as reason, count(*) as rows
from quarantine.rows
where partition = to_char($1::date, 'YYYY-MM-DD')
group by source, asset, left(reason, 500)
