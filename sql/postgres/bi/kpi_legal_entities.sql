-- Legal entities' payment activity of a day: clients whose merchants took a successful payment,
-- key accounts among them, their turnover, commission and transactions per active client.
create schema if not exists bi;

create table if not exists bi.kpi_legal_entities (
  day date primary key,
  clients integer not null,
  active_clients integer not null,
  active_key_accounts integer not null,
  transactions integer not null,
  turnover_byn numeric(18,2) not null,
  revenue_byn numeric(18,2) not null,
  transactions_per_active_client numeric(12,2)
);

create or replace procedure bi.fill_kpi_legal_entities(p_day date)
language plpgsql as $$
begin
  delete from bi.kpi_legal_entities where day = p_day;
  insert into bi.kpi_legal_entities
  with paid as (
    select p.legal_client_id, count(*) as transactions, sum(p.amount_byn) as turnover, sum(p.commission_byn) as revenue
    from bi.fact_payments p
    where p.day = p_day and p.is_success and p.legal_client_id is not null
    group by p.legal_client_id
  )
  select p_day, (select count(*) from bi.dim_legal_entity e where e.registered_at <= p_day),
    count(paid.legal_client_id), count(*) filter (where e.is_key_account),
    coalesce(sum(paid.transactions), 0), coalesce(sum(paid.turnover), 0), coalesce(sum(paid.revenue), 0),
    case when count(paid.legal_client_id) > 0 then round(sum(paid.transactions)::numeric / count(paid.legal_client_id), 2) end
  from paid
  left join bi.dim_legal_entity e on e.client_id = paid.legal_client_id;
end $$;
