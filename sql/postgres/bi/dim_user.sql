-- One row per person: the registry's profile, cleaned; the cohort of the registration; the first
-- card and the first successful payment; the CRM contact linked by dimension.identity_links.
create schema if not exists bi;

create table if not exists bi.dim_user (
  user_id bigint primary key,
  registered_at timestamp not null,
  registration_date date not null,
  cohort_week date not null,
  cohort_month date not null,
  acq_channel text not null references bi.dim_channel,
  region text not null,
  city text not null,
  device_os text not null,
  device_id text not null,
  gender char(1),
  birth_date date,
  status text not null,
  phone text,
  email text,
  first_card_linked_at timestamp,
  card_linked_within_3d boolean not null,
  first_payment_at timestamp,
  crm_contact_id integer,
  crm_contacts integer not null default 0
);
create index if not exists dim_user_cohort_week_idx on bi.dim_user (cohort_week);
create index if not exists dim_user_cohort_month_idx on bi.dim_user (cohort_month);
create index if not exists dim_user_channel_idx on bi.dim_user (acq_channel);
create index if not exists dim_user_device_idx on bi.dim_user (device_id);

create or replace procedure bi.fill_dim_user()
language plpgsql as $$
begin
  lock table bi.dim_user in exclusive mode;
  delete from bi.dim_user;
  insert into bi.dim_user
  select u.user_id, u.registered_at, u.registered_at::date,
    date_trunc('week', u.registered_at)::date, date_trunc('month', u.registered_at)::date,
    u.acq_channel, u.region, u.city, u.device_os, u.device_id, u.gender, u.birth_date, u.status,
    u.phone, u.email, u.first_card_linked_at,
    coalesce(u.first_card_linked_at <= u.registered_at + interval '72 hours', false),
    paid.first_payment_at, crm.contact_id, coalesce(crm.contacts, 0)
  from dimension.users u
  left join (
    select p.user_id, min(p.trans_date) as first_payment_at
    from dimension.payments p where p.status = 'success' group by p.user_id
  ) paid on paid.user_id = u.user_id
  left join (
    select l.user_id, min(l.external_id::integer) as contact_id, count(*)::integer as contacts
    from dimension.identity_links l
    where l.system = 'crm_contact' and l.user_id is not null
    group by l.user_id
  ) crm on crm.user_id = u.user_id;
end $$;
