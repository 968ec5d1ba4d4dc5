-- BYN per one unit of every currency on every day: the NBRB rate of that day, or the nearest
-- earlier one on a day without a rate (weekends, holidays); official_rate is per Cur_Scale units.
create schema if not exists dimension;

create table if not exists dimension.currency_rates (
  day date not null,
  currency text not null,
  rate_per_unit numeric not null,
  official_rate numeric(18,6) not null,
  scale integer not null,
  rate_day date not null,
  primary key (day, currency)
);

create or replace procedure dimension.fill_currency_rates(p_day date)
language plpgsql as $$
begin
  delete from dimension.currency_rates where day = p_day;
  insert into dimension.currency_rates (day, currency, rate_per_unit, official_rate, scale, rate_day)
  select p_day, 'BYN', 1, 1, 1, p_day
  union all
  (select distinct on (r.currency) p_day, r.currency, r.official_rate / r.scale, r.official_rate, r.scale, r.day
   from stage.nbrb_rates r
   where r.day <= p_day and r.currency <> 'BYN'
   order by r.currency, r.day desc);
end $$;
