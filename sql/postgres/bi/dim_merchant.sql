-- Merchants with vertical, chain, brand and where they are (geocoded).
create schema if not exists bi;

create table if not exists bi.dim_merchant (
  merchant_id integer primary key,
  name text not null,
  vertical text not null,
  subtype text not null,
  chain text,
  brand text,
  region text not null,
  city text not null,
  address text not null,
  lat double precision,
  lon double precision,
  legal_client_id integer,
  commission_pct numeric(5,2) not null,
  mcc text not null
);
create index if not exists dim_merchant_vertical_idx on bi.dim_merchant (vertical, chain);

create or replace procedure bi.fill_dim_merchant()
language plpgsql as $$
begin
  lock table bi.dim_merchant in exclusive mode;
  delete from bi.dim_merchant;
  insert into bi.dim_merchant
  select m.merchant_id, m.name, m.vertical, m.subtype, m.chain, m.brand, m.region, m.city, m.address,
    m.lat, m.lon, m.legal_client_id, m.commission_pct, m.mcc
  from dimension.merchants m;
end $$;
