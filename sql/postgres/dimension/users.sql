-- App users from the registry, cleaned: phone to E.164, e-mail lower-case, names and address
-- trimmed, channel, OS and device as identifiers; the first card each linked (core.cards).
create schema if not exists dimension;

create table if not exists dimension.users (
  user_id bigint primary key,
  phone text,
  email text,
  first_name text,
  last_name text,
  birth_date date,
  gender char(1),
  region text not null,
  city text not null,
  address text,
  registered_at timestamp not null,
  acq_channel text not null,
  device_os text not null,
  device_id text not null,
  status text not null,
  first_card_linked_at timestamp
);
alter table dimension.users add column if not exists source_hash uuid;
create index if not exists users_phone_idx on dimension.users (phone);
create index if not exists users_email_idx on dimension.users (email);
create index if not exists users_device_idx on dimension.users (device_id);

-- Incremental: a user is cleaned again only when their stage row (its md5 in source_hash) or their
-- first card changed, or left when gone from stage; every user is cleaned again when the cleaning
-- rules changed — the normalisers it calls or this procedure, whose version the table's comment
-- keeps. At the standard scale a day changes a few thousand of 310,000.
create or replace procedure dimension.fill_users()
language plpgsql as $$
declare
  v_rules text;
begin
  lock table dimension.users in exclusive mode;
  select 'cleaning rules ' || md5(string_agg(p.prosrc, '|' order by p.proname, p.oid)) into v_rules
  from pg_proc p
  where p.pronamespace = 'dimension'::regnamespace
    and p.proname in ('clean_text', 'identifier', 'normalize_phone', 'normalize_email', 'fill_users');
  if obj_description('dimension.users'::regclass, 'pg_class') is distinct from v_rules then
    delete from dimension.users;
    execute format('comment on table dimension.users is %L', v_rules);
  end if;
  delete from dimension.users d where not exists (select 1 from stage.user_profiles u where u.user_id = d.user_id);
  insert into dimension.users
  select u.user_id, dimension.normalize_phone(u.phone), dimension.normalize_email(u.email),
    dimension.clean_text(u.first_name), dimension.clean_text(u.last_name), u.birth_date,
    upper(dimension.clean_text(u.gender))::char(1),
    dimension.clean_text(u.region), dimension.clean_text(u.city), dimension.clean_text(u.address),
    u.registered_at, dimension.identifier(u.acq_channel), dimension.identifier(u.device_os),
    dimension.identifier(u.device_id), dimension.identifier(u.status), cards.first_linked_at,
    md5(u::text)::uuid
  from stage.user_profiles u
  left join (
    select c.user_id, min(c.linked_at) as first_linked_at from stage.cards c group by c.user_id
  ) cards on cards.user_id = u.user_id
  left join dimension.users d on d.user_id = u.user_id
  where d.user_id is null or d.source_hash is distinct from md5(u::text)::uuid
    or d.first_card_linked_at is distinct from cards.first_linked_at
  on conflict (user_id) do update set
    phone = excluded.phone, email = excluded.email, first_name = excluded.first_name,
    last_name = excluded.last_name, birth_date = excluded.birth_date, gender = excluded.gender,
    region = excluded.region, city = excluded.city, address = excluded.address,
    registered_at = excluded.registered_at, acq_channel = excluded.acq_channel,
    device_os = excluded.device_os, device_id = excluded.device_id, status = excluded.status,
    first_card_linked_at = excluded.first_card_linked_at, source_hash = excluded.source_hash;
end $$;
