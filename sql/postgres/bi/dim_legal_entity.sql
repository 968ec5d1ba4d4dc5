-- Legal-entity clients with their current tariff and the CRM company matched by УНП.
create schema if not exists bi;

create table if not exists bi.dim_legal_entity (
  client_id integer primary key,
  unp text not null,
  name text not null,
  industry text not null,
  size_category text not null,
  region text not null,
  city text not null,
  registered_at date not null,
  status text not null,
  is_key_account boolean not null,
  tariff_code text,
  tariff_name text,
  contract_signed_on date,
  crm_company_id integer,
  lat double precision,
  lon double precision
);
create index if not exists dim_legal_entity_tariff_idx on bi.dim_legal_entity (tariff_code);

create or replace procedure bi.fill_dim_legal_entity()
language plpgsql as $$
begin
  lock table bi.dim_legal_entity in exclusive mode;
  delete from bi.dim_legal_entity;
  insert into bi.dim_legal_entity
  select e.client_id, e.unp, e.name, e.industry, e.size_category, e.region, e.city, e.registered_at,
    e.status, e.is_key_account, e.tariff_code, e.tariff_name, e.contract_signed_on, e.crm_company_id,
    e.lat, e.lon
  from dimension.legal_entities e;
end $$;
