-- CRM deals as they stand, with the registry client of their company (by УНП) and the app user of
-- their contact (dimension.identity_links); amounts in BYN at the rate of the day the deal was
-- created (the earliest rate known for deals older than the warehouse).
create schema if not exists bi;

create table if not exists bi.fact_crm_deals (
  deal_id integer primary key,
  title text not null,
  created_on date not null,
  closed_on date,
  stage_id text not null,
  stage_semantic text not null,
  is_won boolean not null,
  amount numeric(18,2),
  currency text,
  amount_byn numeric(18,2),
  source_id text,
  manager_id integer,
  company_id integer,
  legal_client_id integer,
  contact_id integer,
  user_id bigint,
  lead_id integer
);
create index if not exists fact_crm_deals_created_idx on bi.fact_crm_deals (created_on);

create or replace procedure bi.fill_fact_crm_deals()
language plpgsql as $$
begin
  lock table bi.fact_crm_deals in exclusive mode;
  delete from bi.fact_crm_deals;
  insert into bi.fact_crm_deals
  select d.id, coalesce(dimension.clean_text(d.title), ''), d.date_create::date,
    case when d.closed = 'Y' then coalesce(d.closedate, d.date_modify::date) end,
    upper(dimension.clean_text(d.stage_id)), coalesce(d.stage_semantic_id, 'P'), d.stage_semantic_id = 'S',
    d.opportunity, coalesce(d.currency_id, 'BYN'),
    case when d.opportunity is not null then round(d.opportunity * rate.rate_per_unit, 2) end,
    upper(dimension.clean_text(d.source_id)), d.assigned_by_id, d.company_id, client.client_id,
    d.contact_id, link.user_id, d.lead_id
  from stage.crm_deals d
  left join lateral (
    select r.rate_per_unit from dimension.currency_rates r
    where r.currency = coalesce(d.currency_id, 'BYN')
    order by r.day <= d.date_create::date desc, case when r.day <= d.date_create::date then r.day end desc, r.day
    limit 1
  ) rate on true
  left join lateral (
    select min(e.client_id) as client_id from dimension.legal_entities e where e.crm_company_id = d.company_id
  ) client on true
  left join dimension.identity_links link on link.system = 'crm_contact' and link.external_id = d.contact_id::text;
end $$;
