-- App sessions of a day (by started_at) from the registry.
create schema if not exists bi;

create table if not exists bi.fact_sessions (
  day date not null,
  session_id text primary key,
  user_id bigint not null,
  started_at timestamp not null,
  ended_at timestamp,
  duration_s integer,
  device_os text not null,
  app_version text not null,
  screens integer not null
);
create index if not exists fact_sessions_day_idx on bi.fact_sessions (day, user_id);

create or replace procedure bi.fill_fact_sessions(p_day date)
language plpgsql as $$
begin
  delete from bi.fact_sessions where day = p_day;
  insert into bi.fact_sessions
  select distinct on (s.session_id) s.day, s.session_id, s.user_id, s.started_at, s.ended_at,
    date_part('epoch', s.ended_at - s.started_at)::integer, dimension.identifier(s.device_os),
    dimension.clean_text(s.app_version), s.screens
  from stage.app_sessions s
  where s.day = p_day and s.user_id is not null and s.started_at is not null
  order by s.session_id, s.started_at;
end $$;
