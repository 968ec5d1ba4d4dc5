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
create index if not exists users_phone_idx on dimension.users (phone);
create index if not exists users_email_idx on dimension.users (email);
create index if not exists users_device_idx on dimension.users (device_id);

create or replace procedure dimension.fill_users()
language plpgsql as $$
begin
  lock table dimension.users in exclusive mode;
  delete from dimension.users;
  insert into dimension.users
  select u.user_id, dimension.normalize_phone(u.phone), dimension.normalize_email(u.email),
    dimension.clean_text(u.first_name), dimension.clean_text(u.last_name), u.birth_date,
    upper(dimension.clean_text(u.gender))::char(1),
    dimension.clean_text(u.region), dimension.clean_text(u.city), dimension.clean_text(u.address),
    u.registered_at, dimension.identifier(u.acq_channel), dimension.identifier(u.device_os),
    dimension.identifier(u.device_id), dimension.identifier(u.status), cards.first_linked_at
  from stage.user_profiles u
  left join (
    select c.user_id, min(c.linked_at) as first_linked_at from stage.cards c group by c.user_id
  ) cards on cards.user_id = u.user_id;
end $$;
