-- Legal-entity clients cleaned and enriched: the address geocoded, the current contract (the
-- latest signed active one) and its tariff, and the CRM company whose requisites carry the same
-- УНП (b_crm_requisite.RQ_INN, companies are ENTITY_TYPE_ID 4; the lowest id when several do).
create schema if not exists dimension;

create table if not exists dimension.legal_entities (
  client_id integer primary key,
  unp text not null,
  name text not null,
  industry text not null,
  size_category text not null,
  region text not null,
  city text not null,
  address text,
  lat double precision,
  lon double precision,
  registered_at date not null,
  status text not null,
  is_key_account boolean not null,
  contract_id integer,
  tariff_code text,
  tariff_name text,
  contract_signed_on date,
  crm_company_id integer,
  crm_companies_with_unp integer not null
);
create index if not exists legal_entities_unp_idx on dimension.legal_entities (unp);

create or replace procedure dimension.fill_legal_entities()
language plpgsql as $$
begin
  lock table dimension.legal_entities in exclusive mode;
  delete from dimension.legal_entities;
  insert into dimension.legal_entities
  select c.client_id, regexp_replace(c.unp, '[^0-9]', '', 'g'), dimension.clean_text(c.name),
    dimension.identifier(c.industry), dimension.identifier(c.size_category),
    coalesce(dimension.clean_text(g.province), dimension.clean_text(c.region)),
    coalesce(dimension.clean_text(g.locality), dimension.clean_text(c.city)),
    dimension.clean_text(c.address), g.lat, g.lon, c.registered_at, dimension.identifier(c.status),
    c.key_account = 'Y', current_contract.contract_id, dimension.clean_text(t.code), dimension.clean_text(t.name),
    current_contract.signed_on, crm.company_id, coalesce(crm.companies, 0)
  from stage.legal_clients c
  left join stage.geocodes g on g.address = c.address
  left join lateral (
    select k.contract_id, k.tariff_id, k.signed_on
    from stage.contracts k
    where k.client_id = c.client_id and k.status = 'active'
    order by k.signed_on desc, k.contract_id desc
    limit 1
  ) current_contract on true
  left join stage.tariffs t on t.tariff_id = current_contract.tariff_id
  left join lateral (
    select min(r.entity_id) as company_id, count(distinct r.entity_id)::integer as companies
    from stage.crm_requisites r
    where r.entity_type_id = 4 and regexp_replace(r.rq_inn, '[^0-9]', '', 'g') = regexp_replace(c.unp, '[^0-9]', '', 'g')
  ) crm on true;
end $$;
