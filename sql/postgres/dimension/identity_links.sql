-- One person across the systems. The anchor is the registry's USER_ID, which is also the payments
-- user_id and the log's user=. Every other identifier is linked to it by the rules in
-- sql/postgres/README.md ("One person"), one row per (system, external id), with the method that
-- matched and whether the match was ambiguous (then user_id is left null unless the candidates agree).
create schema if not exists dimension;

create table if not exists dimension.identity_links (
  system text not null,                 -- registry, crm_contact, device
  external_id text not null,            -- USER_ID, b_crm_contact.ID, DEVICE_ID / the log's device=
  user_id bigint,                       -- null when unmatched or ambiguous
  method text not null,                 -- user_id, phone, email, registry_device, log_user, unmatched
  ambiguous boolean not null,
  candidates integer not null,          -- distinct users the rule found
  primary key (system, external_id)
);
create index if not exists identity_links_user_idx on dimension.identity_links (user_id);

create or replace procedure dimension.fill_identity_links()
language plpgsql as $$
begin
  lock table dimension.identity_links in exclusive mode;
  delete from dimension.identity_links;

  insert into dimension.identity_links
  select 'registry', u.user_id::text, u.user_id, 'user_id', false, 1 from dimension.users u;

  -- CRM contacts: a phone match wins over an e-mail match; several users behind the winning
  -- method, or a phone and an e-mail pointing at different people, make the link ambiguous.
  insert into dimension.identity_links
  with contact_values as (
    select f.element_id as contact_id, f.type_id,
      case f.type_id when 'PHONE' then dimension.normalize_phone(f.value) else dimension.normalize_email(f.value) end as value
    from stage.crm_field_multi f
    where f.entity_id = 'CONTACT'
  ), candidates as (
    select v.contact_id, v.type_id, u.user_id
    from contact_values v
    join dimension.users u on (v.type_id = 'PHONE' and u.phone = v.value) or (v.type_id = 'EMAIL' and u.email = v.value)
  ), per_contact as (
    select c.id as contact_id,
      array_agg(distinct k.user_id) filter (where k.type_id = 'PHONE') as by_phone,
      array_agg(distinct k.user_id) filter (where k.type_id = 'EMAIL') as by_email
    from stage.crm_contacts c
    left join candidates k on k.contact_id = c.id
    group by c.id
  ), decided as (
    select contact_id,
      case when by_phone is not null then 'phone' when by_email is not null then 'email' else 'unmatched' end as method,
      coalesce(by_phone, by_email, '{}') as chosen,
      (by_phone is not null and by_email is not null and not (by_phone @> by_email and by_email @> by_phone)) as conflict
    from per_contact
  )
  select 'crm_contact', contact_id::text,
    case when cardinality(chosen) = 1 and not conflict then chosen[1] end,
    method, cardinality(chosen) > 1 or conflict, cardinality(chosen)
  from decided;

  -- Devices: the registry's DEVICE_ID and every user= the log shows beside a device=.
  insert into dimension.identity_links
  with seen as (
    select u.device_id, u.user_id, 'registry_device' as method from dimension.users u
    union
    select dimension.identifier(e.device_id), e.user_id, 'log_user'
    from stage.app_events e
    where e.user_id is not null and e.device_id is not null
  )
  select 'device', s.device_id,
    case when count(distinct s.user_id) = 1 then min(s.user_id) end,
    case when bool_or(s.method = 'registry_device') then 'registry_device' else 'log_user' end,
    count(distinct s.user_id) > 1, count(distinct s.user_id)::integer
  from seen s
  group by s.device_id;
end $$;
