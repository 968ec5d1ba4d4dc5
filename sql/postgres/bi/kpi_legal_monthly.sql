-- Legal entities by month and current tariff: the tariff mix (clients on each tariff), active
-- clients, turnover, frequency, and key-account retention (key accounts active in the month
-- before that are active again this month) — as merchants (payments their merchants took); and their
-- own payments through their business accounts (own_*: payer_legal_client_id; docs/metrics.md).
create schema if not exists bi;

create table if not exists bi.kpi_legal_monthly (
  month date not null,
  tariff_code text not null,             -- 'none' for clients without an active contract
  clients integer not null,
  active_clients integer not null,
  transactions integer not null,
  turnover_byn numeric(18,2) not null,
  revenue_byn numeric(18,2) not null,
  key_accounts integer not null,
  key_accounts_active integer not null,
  key_accounts_active_before integer not null,
  key_accounts_retained integer not null,
  own_active_clients integer not null default 0,
  own_transactions integer not null default 0,
  own_turnover_byn numeric(18,2) not null default 0,
  own_revenue_byn numeric(18,2) not null default 0,
  primary key (month, tariff_code)
);
alter table bi.kpi_legal_monthly add column if not exists own_active_clients integer not null default 0;
alter table bi.kpi_legal_monthly add column if not exists own_transactions integer not null default 0;
alter table bi.kpi_legal_monthly add column if not exists own_turnover_byn numeric(18,2) not null default 0;
alter table bi.kpi_legal_monthly add column if not exists own_revenue_byn numeric(18,2) not null default 0;

create or replace procedure bi.fill_kpi_legal_monthly()
language plpgsql as $$
begin
  lock table bi.kpi_legal_monthly in exclusive mode;
  delete from bi.kpi_legal_monthly;
  insert into bi.kpi_legal_monthly (month, tariff_code, clients, active_clients, transactions, turnover_byn,
    revenue_byn, key_accounts, key_accounts_active, key_accounts_active_before, key_accounts_retained,
    own_active_clients, own_transactions, own_turnover_byn, own_revenue_byn)
  with months as (
    select distinct date_trunc('month', p.day)::date as month from bi.fact_payments p
  ), clients as (
    select e.client_id, coalesce(e.tariff_code, 'none') as tariff_code, e.is_key_account, e.registered_at
    from bi.dim_legal_entity e
  ), activity as (
    select p.legal_client_id as client_id, date_trunc('month', p.day)::date as month, count(*) as transactions,
      sum(p.amount_byn) as turnover, sum(p.commission_byn) as revenue
    from bi.fact_payments p where p.is_success and p.legal_client_id is not null
    group by 1, 2
  ), own as (
    select p.payer_legal_client_id as client_id, date_trunc('month', p.day)::date as month,
      count(*) as transactions, sum(p.amount_byn) as turnover, sum(p.commission_byn) as revenue
    from bi.fact_payments p where p.is_success and p.payer_legal_client_id is not null
    group by 1, 2
  )
  select m.month, c.tariff_code, count(*), count(a.client_id), coalesce(sum(a.transactions), 0),
    coalesce(sum(a.turnover), 0), coalesce(sum(a.revenue), 0),
    count(*) filter (where c.is_key_account),
    count(a.client_id) filter (where c.is_key_account),
    count(before.client_id) filter (where c.is_key_account),
    count(*) filter (where c.is_key_account and a.client_id is not null and before.client_id is not null),
    count(o.client_id), coalesce(sum(o.transactions), 0), coalesce(sum(o.turnover), 0), coalesce(sum(o.revenue), 0)
  from months m
  join clients c on c.registered_at < (m.month + interval '1 month')::date
  left join activity a on a.client_id = c.client_id and a.month = m.month
  left join activity before on before.client_id = c.client_id and before.month = (m.month - interval '1 month')::date
  left join own o on o.client_id = c.client_id and o.month = m.month
  group by m.month, c.tariff_code;
end $$;
