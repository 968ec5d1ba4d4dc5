-- mart.quarantine for day $1 (the quarantined row's own partition): rows per source, asset and
-- reason, with the kind of the reason (what a reader filters by; labelled in superset/labels.yaml)
-- and the field it names, both read from the reason's wording (packages/io's validation messages).
select $1::date as day, source, asset, left(reason, 500) as reason,
  case
    when reason like 'duplicate row%' then 'duplicate'
    when reason ~ '^[a-z_][a-z0-9_]*: required' then 'required'
    when reason like '%expected one of%' then 'not_allowed'
    when reason like '%expected a date%' or reason like '%expected a timestamp%'
      or reason like '%ISO time%' then 'date'
    when reason like '%expected a whole number%' or reason like '%expected a decimal%'
      or reason like '%expected an amount%' or reason ~ 'beyond (integer|bigint)' then 'number'
    when reason like '%must be positive%' then 'range'
    when reason like '%expected text matching%' then 'format'
    when reason like '%byte 0x%' or reason like '%U+FFFD%' or reason like '%NUL%' then 'encoding'
    when reason like '%fields where%' then 'fields'
    else 'other'
  end as reason_kind,
  coalesce(substring(reason from '^([a-z_][a-z0-9_]*):'), '') as field,
  count(*) as rows
from quarantine.rows
where partition = to_char($1::date, 'YYYY-MM-DD')
group by source, asset, left(reason, 500), reason_kind, field
