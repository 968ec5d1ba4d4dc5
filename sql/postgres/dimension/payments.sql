-- Payments of a day converted to BYN: amount × the rate of the payment's day (the nearest earlier
-- NBRB rate on a day without one, per unit of Cur_Scale), rounded to kopecks in numeric; the
-- commission and the cashback likewise; the merchant's legal client attached (the payee's), and who
-- pays: payer_type 'individual', or 'entrepreneur' / 'legal' for a business account's payment with
-- payer_legal_client_id, the registry client it pays for.
create schema if not exists dimension;

create table if not exists dimension.payments (
  day date not null,
  transaction_id bigint not null,
  trans_date timestamp not null,
  user_id bigint not null,
  merchant_id integer not null,
  product_id integer,
  card_id bigint,
  legal_client_id integer,
  method text not null,
  operation_type text not null,
  status text not null,
  currency text not null,
  amount numeric(14,2) not null,
  rate_per_unit numeric not null,
  rate_day date not null,
  amount_byn numeric(16,2) not null,
  commission numeric(12,2) not null,
  commission_byn numeric(14,2) not null,
  cashback_campaign_id integer,
  cashback_byn numeric(14,2) not null,
  payer_type text not null default 'individual',
  payer_legal_client_id integer,
  primary key (day, transaction_id)
);
alter table dimension.payments add column if not exists payer_type text not null default 'individual';
alter table dimension.payments add column if not exists payer_legal_client_id integer;
create index if not exists payments_user_idx on dimension.payments (user_id);

create or replace procedure dimension.fill_payments(p_day date)
language plpgsql as $$
begin
  delete from dimension.payments where day = p_day;
  insert into dimension.payments (day, transaction_id, trans_date, user_id, merchant_id, product_id, card_id,
    legal_client_id, method, operation_type, status, currency, amount, rate_per_unit, rate_day, amount_byn,
    commission, commission_byn, cashback_campaign_id, cashback_byn, payer_type, payer_legal_client_id)
  select p.day, p.transaction_id, p.trans_date, p.user_id, p.merchant_id, p.product_id, p.card_id,
    m.legal_client_id, dimension.identifier(p.method), dimension.identifier(p.operation_type),
    dimension.identifier(p.status), p.currency, p.amount, r.rate_per_unit, r.rate_day,
    round(p.amount * r.rate_per_unit, 2), p.commission, round(p.commission * r.rate_per_unit, 2),
    p.cashback_campaign_id, round(coalesce(p.cashback_amount, 0) * r.rate_per_unit, 2),
    dimension.identifier(p.payer_type), p.payer_legal_client_id
  from stage.payments p
  join dimension.currency_rates r on r.day = p.day and r.currency = p.currency
  left join dimension.merchants m on m.merchant_id = p.merchant_id
  where p.day = p_day;
end $$;
