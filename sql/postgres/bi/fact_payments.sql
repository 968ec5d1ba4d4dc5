-- Payments of a day in BYN, as the marts read them. legal_client_id is the merchant's (the payee's)
-- legal client; payer_type and payer_legal_client_id say who pays: an individual, or a business
-- account ('entrepreneur', 'legal') paying for that registry client. Direction: B2C = 'individual'.
create schema if not exists bi;

create table if not exists bi.fact_payments (
  day date not null,
  transaction_id bigint not null,
  trans_date timestamp not null,
  hour smallint not null,
  user_id bigint not null,
  merchant_id integer not null,
  product_id integer,
  legal_client_id integer,
  method text not null,
  operation_type text not null,
  status text not null,
  is_success boolean not null,
  currency text not null,
  amount numeric(14,2) not null,
  amount_byn numeric(16,2) not null,
  commission_byn numeric(14,2) not null,
  cashback_campaign_id integer,
  cashback_byn numeric(14,2) not null default 0,
  card_id bigint,
  payer_type text not null default 'individual',
  payer_legal_client_id integer,
  primary key (day, transaction_id)
);
alter table bi.fact_payments add column if not exists payer_type text not null default 'individual';
alter table bi.fact_payments add column if not exists payer_legal_client_id integer;
create index if not exists fact_payments_payer_idx on bi.fact_payments (payer_legal_client_id, day)
  where payer_legal_client_id is not null;
create index if not exists fact_payments_user_idx on bi.fact_payments (user_id, day);
create index if not exists fact_payments_merchant_idx on bi.fact_payments (merchant_id, day);
create index if not exists fact_payments_legal_client_idx on bi.fact_payments (legal_client_id, day);

create or replace procedure bi.fill_fact_payments(p_day date)
language plpgsql as $$
begin
  delete from bi.fact_payments where day = p_day;
  insert into bi.fact_payments (day, transaction_id, trans_date, hour, user_id, merchant_id, product_id,
    legal_client_id, method, operation_type, status, is_success, currency, amount, amount_byn, commission_byn,
    cashback_campaign_id, cashback_byn, card_id, payer_type, payer_legal_client_id)
  select p.day, p.transaction_id, p.trans_date, date_part('hour', p.trans_date), p.user_id, p.merchant_id,
    p.product_id, p.legal_client_id, p.method, p.operation_type, p.status, p.status = 'success',
    p.currency, p.amount, p.amount_byn, p.commission_byn, p.cashback_campaign_id, p.cashback_byn, p.card_id,
    p.payer_type, p.payer_legal_client_id
  from dimension.payments p
  where p.day = p_day;
end $$;
