-- The calendar from 2020 to 2035: enough for the app's history before start and years ahead.
create schema if not exists bi;

create table if not exists bi.dim_date (
  date_key date primary key,
  year smallint not null,
  quarter smallint not null,
  month smallint not null,
  month_start date not null,
  iso_week smallint not null,
  week_start date not null,
  day_of_week smallint not null,
  is_weekend boolean not null
);

create or replace procedure bi.fill_dim_date()
language plpgsql as $$
begin
  lock table bi.dim_date in exclusive mode;
  delete from bi.dim_date;
  insert into bi.dim_date
  select d::date, date_part('year', d), date_part('quarter', d), date_part('month', d),
    date_trunc('month', d)::date, date_part('week', d), date_trunc('week', d)::date,
    date_part('isodow', d), date_part('isodow', d) >= 6
  from generate_series(date '2020-01-01', date '2035-12-31', interval '1 day') d;
end $$;
