-- The payments core (PostgreSQL, database `payments_core`, schema `core`). Timestamps are
-- `timestamp` in Europe/Minsk local time. `transactions` has no primary key on purpose: the core
-- is known to deliver duplicated ids now and then, and the warehouse must catch them.

create schema if not exists core;

create table if not exists core.merchants (
  merchant_id integer primary key,
  name text not null,
  legal_client_id integer,          -- the registry's LEGAL_CLIENTS.CLIENT_ID of the merchant's company
  vertical text not null,           -- 'auto', 'grocery', 'utilities', 'telecom', 'transport', 'pharmacy', 'cafe', 'other'
  subtype text not null,            -- auto: 'dealer', 'service', 'parts'; grocery: 'chain_store', 'single_store'; others: the vertical
  chain text,                       -- the retail chain or dealer group, when there is one
  brand text,                       -- car brand for auto centres
  region text not null,             -- 'Минск', 'Брестская область', … as the core stores it
  city text not null,
  address text not null,            -- free text, to be geocoded
  mcc char(4) not null,
  commission_pct numeric(5,2) not null,
  created_at timestamp not null,
  updated_at timestamp not null
);

create table if not exists core.products (
  product_id integer primary key,
  code text not null unique,
  name text not null,
  category text not null,           -- 'payment', 'bill_payment', 'transfer', 'top_up'
  description text not null,
  commission_pct numeric(5,2) not null,
  active boolean not null
);

create table if not exists core.cashback_campaigns (
  campaign_id integer primary key,
  name text not null,
  vertical text,                    -- the vertical it rewards, or null for all
  chain text,                       -- the chain it rewards, or null for all of the vertical
  cashback_pct numeric(5,2) not null,
  starts_on date not null,
  ends_on date not null
);

create table if not exists core.cards (
  card_id bigint primary key,
  user_id bigint not null,
  pan_masked text not null,         -- '4255 19** **** 1234'
  card_brand text not null,         -- 'visa', 'mastercard', 'belkart', 'mir'
  bank text not null,
  linked_at timestamp not null,
  status text not null,             -- 'active', 'blocked', 'expired'
  updated_at timestamp not null
);
create index if not exists cards_updated_at on core.cards (updated_at);

create table if not exists core.transactions (
  transaction_id bigint not null,
  trans_date timestamp not null,    -- when the payment happened
  user_id bigint,
  merchant_id integer,
  product_id integer,
  card_id bigint,
  amount numeric(14,2),
  currency text,                    -- 'BYN', 'USD', 'EUR', 'RUB'
  method text,                      -- 'card', 'wallet', 'qr', 'erip'
  operation_type text,              -- 'purchase', 'bill_payment', 'p2p_transfer', 'top_up'
  status text,                      -- 'success', 'failed', 'refunded'
  commission numeric(12,2),         -- our income, in the payment's currency
  cashback_campaign_id integer,
  cashback_amount numeric(12,2),
  created_at timestamp not null,    -- when the row reached the core (later than trans_date for late rows)
  updated_at timestamp not null,    -- last change (a refund changes status days later)
  payer_type text not null default 'individual',  -- 'individual' (a person's own), 'entrepreneur', 'legal' (a business account's)
  payer_legal_client_id integer     -- the registry's LEGAL_CLIENTS.CLIENT_ID a business account pays for; null for 'individual'
);
-- Cores created before business accounts existed get the payer columns (nothing else changes).
alter table core.transactions add column if not exists payer_type text not null default 'individual';
alter table core.transactions add column if not exists payer_legal_client_id integer;
create index if not exists transactions_trans_date on core.transactions (trans_date);

create table if not exists core.operations (
  operation_id bigint primary key,
  transaction_id bigint not null,
  op_date timestamp not null,
  op_type text not null,            -- 'authorize', 'capture', 'decline', 'refund'
  status text not null,             -- the transaction's status after this operation
  amount numeric(14,2) not null,
  currency text not null
);
create index if not exists operations_op_date on core.operations (op_date);
