-- The daily run's first step (the brief's "clean up temporary data"): drops working tables left
-- behind by interrupted work and prunes the stage day that has just left the retention. Each run's own
-- partitions need no clean-up: every asset replaces its day (or table) atomically.
create schema if not exists maintenance;

create table if not exists maintenance.cleanup (
  day date not null,                     -- the run's day (the partition)
  action text not null,                  -- dropped_table, pruned_partitions
  target text not null,                  -- the table
  rows bigint not null,                  -- rows deleted (0 for a dropped table)
  done_at timestamptz not null default now()
);
create index if not exists cleanup_day_idx on maintenance.cleanup (day);

-- Working tables are named tmp_* (or *_tmp) in the stage, dimension and bi schemas by convention;
-- PostgreSQL's own temporary tables vanish with their session and are never touched here.
create or replace procedure maintenance.fill_cleanup(p_day date, retention_days integer)
language plpgsql as $$
declare
  leftover record;
  pruned bigint;
begin
  if retention_days < 1 then
    raise exception 'retention_days must be positive, got %', retention_days;
  end if;
  delete from maintenance.cleanup where day = p_day;
  for leftover in
    select n.nspname as schema_name, c.relname as table_name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p', 'u') and n.nspname in ('stage', 'dimension', 'bi')
      and (c.relname like 'tmp\_%' or c.relname like '%\_tmp')
  loop
    execute format('drop table %I.%I', leftover.schema_name, leftover.table_name);
    insert into maintenance.cleanup (day, action, target, rows)
    values (p_day, 'dropped_table', leftover.schema_name || '.' || leftover.table_name, 0);
  end loop;
  -- Every stage table with a day column is partitioned by it: the days before the retention go.
  for leftover in
    select c.table_name
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'stage' and c.column_name = 'day' and c.data_type = 'date'
      and t.table_type = 'BASE TABLE'
      and c.table_name not in ('agency_spend')  -- its day is the report's, not a load partition
    order by c.table_name
  loop
    -- One day per partition, the one the asset waited for (its readers are done with it): a day
    -- older than that was pruned by its own partition's clean-up, and one may still be being read
    -- in a backfill, which runs partitions in any order.
    execute format('delete from stage.%I where day = $1', leftover.table_name) using p_day - retention_days - 1;
    get diagnostics pruned = row_count;
    insert into maintenance.cleanup (day, action, target, rows)
    values (p_day, 'pruned_partitions', 'stage.' || leftover.table_name, pruned);
  end loop;
end $$;
