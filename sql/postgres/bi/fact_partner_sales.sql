-- Partners' sales of a day per store, in total and through the app; the merchant from the store
-- code '<CHAIN>-<merchant_id, 4 digits>'.
create schema if not exists bi;

create table if not exists bi.fact_partner_sales (
  day date not null,
  store_code text not null,
  partner_code text not null,
  merchant_id integer,
  receipts_total integer not null,
  turnover_total_byn numeric(14,2) not null,
  receipts_app integer not null,
  turnover_app_byn numeric(14,2) not null,
  primary key (day, store_code)
);

create or replace procedure bi.fill_fact_partner_sales(p_day date)
language plpgsql as $$
begin
  delete from bi.fact_partner_sales where day = p_day;
  insert into bi.fact_partner_sales
  select distinct on (upper(dimension.clean_text(s.store_code)))
    s.day, upper(dimension.clean_text(s.store_code)), upper(dimension.clean_text(s.partner_code)),
    nullif(substring(s.store_code, '-([0-9]+)$'), '')::integer,
    s.receipts_total, s.turnover_total_byn, s.receipts_app, s.turnover_app_byn
  from stage.partner_sales s
  where s.day = p_day and s.store_code is not null
  order by upper(dimension.clean_text(s.store_code)), s.line desc;
end $$;
