-- Merchants cleaned: names and addresses trimmed and stripped of stray characters, vertical and
-- subtype as identifiers, chain and brand kept; the address joined to its geocode for region,
-- city and coordinates (the source's region and city when the address is not geocoded yet).
create schema if not exists dimension;

create table if not exists dimension.merchants (
  merchant_id integer primary key,
  name text not null,
  legal_client_id integer,
  vertical text not null,
  subtype text not null,
  chain text,
  brand text,
  region text not null,
  city text not null,
  address text not null,
  lat double precision,
  lon double precision,
  geocode_precision text,
  mcc text not null,
  commission_pct numeric(5,2) not null
);
create index if not exists merchants_vertical_idx on dimension.merchants (vertical);

create or replace procedure dimension.fill_merchants()
language plpgsql as $$
begin
  lock table dimension.merchants in exclusive mode;
  delete from dimension.merchants;
  insert into dimension.merchants
  select m.merchant_id, dimension.clean_text(m.name), m.legal_client_id,
    dimension.identifier(m.vertical), dimension.identifier(m.subtype),
    dimension.clean_text(m.chain), dimension.clean_text(m.brand),
    coalesce(dimension.clean_text(g.province), dimension.clean_text(m.region)),
    coalesce(dimension.clean_text(g.locality), dimension.clean_text(m.city)),
    dimension.clean_text(m.address), g.lat, g.lon, g.precision, m.mcc, m.commission_pct
  from stage.merchants m
  left join stage.geocodes g on g.address = m.address;
end $$;
