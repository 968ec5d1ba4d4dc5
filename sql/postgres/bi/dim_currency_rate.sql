-- BYN per unit of each currency on each day (BYN at 1), as the facts convert with it.
create schema if not exists bi;

create table if not exists bi.dim_currency_rate (
  day date not null,
  currency text not null,
  rate_per_unit numeric not null,
  rate_day date not null,
  official_rate numeric(18,6) not null,
  scale integer not null,
  primary key (day, currency)
);

create or replace procedure bi.fill_dim_currency_rate(p_day date)
language plpgsql as $$
begin
  delete from bi.dim_currency_rate where day = p_day;
  insert into bi.dim_currency_rate (day, currency, rate_per_unit, rate_day, official_rate, scale)
  select r.day, r.currency, r.rate_per_unit, r.rate_day, r.official_rate, r.scale
  from dimension.currency_rates r
  where r.day = p_day;
end $$;
