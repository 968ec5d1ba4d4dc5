-- Legal entities' payment activity of a day, two ways (docs/metrics.md):
-- * as merchants (acquiring): clients whose merchants took a successful payment, key accounts among
--   them, that turnover, commission and transactions per active client;
-- * as payers (own_*): clients (legal entities and entrepreneurs) whose business accounts made a
--   successful payment themselves (bi.fact_payments.payer_legal_client_id), with the same measures.
create schema if not exists bi;

create table if not exists bi.kpi_legal_entities (
  day date primary key,
  clients integer not null,
  active_clients integer not null,
  active_key_accounts integer not null,
  transactions integer not null,
  turnover_byn numeric(18,2) not null,
  revenue_byn numeric(18,2) not null,
  transactions_per_active_client numeric(12,2),
  own_active_clients integer not null default 0,
  own_active_key_accounts integer not null default 0,
  own_transactions integer not null default 0,
  own_turnover_byn numeric(18,2) not null default 0,
  own_revenue_byn numeric(18,2) not null default 0,
  own_transactions_per_active_client numeric(12,2)
);
alter table bi.kpi_legal_entities add column if not exists own_active_clients integer not null default 0;
alter table bi.kpi_legal_entities add column if not exists own_active_key_accounts integer not null default 0;
alter table bi.kpi_legal_entities add column if not exists own_transactions integer not null default 0;
alter table bi.kpi_legal_entities add column if not exists own_turnover_byn numeric(18,2) not null default 0;
alter table bi.kpi_legal_entities add column if not exists own_revenue_byn numeric(18,2) not null default 0;
alter table bi.kpi_legal_entities add column if not exists own_transactions_per_active_client numeric(12,2);

create or replace procedure bi.fill_kpi_legal_entities(p_day date)
language plpgsql as $$
begin
  delete from bi.kpi_legal_entities where day = p_day;
  insert into bi.kpi_legal_entities (day, clients, active_clients, active_key_accounts, transactions,
    turnover_byn, revenue_byn, transactions_per_active_client, own_active_clients, own_active_key_accounts,
    own_transactions, own_turnover_byn, own_revenue_byn, own_transactions_per_active_client)
  with activity as (
    select side, client_id, count(*) as transactions, sum(amount_byn) as turnover, sum(commission_byn) as revenue
    from bi.fact_payments p
    cross join lateral (values ('merchant', p.legal_client_id), ('payer', p.payer_legal_client_id)) as s (side, client_id)
    where p.day = p_day and p.is_success and s.client_id is not null
    group by side, client_id
  ), sides as (
    select a.side, count(*) as active, count(*) filter (where e.is_key_account) as key_accounts,
      sum(a.transactions) as transactions, sum(a.turnover) as turnover, sum(a.revenue) as revenue
    from activity a left join bi.dim_legal_entity e on e.client_id = a.client_id
    group by a.side
  ), merchant as (
    select * from sides where side = 'merchant'
  ), payer as (
    select * from sides where side = 'payer'
  )
  select p_day, (select count(*) from bi.dim_legal_entity e where e.registered_at <= p_day),
    coalesce(m.active, 0), coalesce(m.key_accounts, 0), coalesce(m.transactions, 0),
    coalesce(m.turnover, 0), coalesce(m.revenue, 0),
    case when m.active > 0 then round(m.transactions::numeric / m.active, 2) end,
    coalesce(o.active, 0), coalesce(o.key_accounts, 0), coalesce(o.transactions, 0),
    coalesce(o.turnover, 0), coalesce(o.revenue, 0),
    case when o.active > 0 then round(o.transactions::numeric / o.active, 2) end
  from (select 1) one
  left join merchant m on true
  left join payer o on true;
end $$;
