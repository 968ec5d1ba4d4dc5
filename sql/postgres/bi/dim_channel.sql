-- Acquisition channels: every channel users came through or the agency reports spend for.
-- Upserted, never deleted: bi.dim_user references it.
create schema if not exists bi;

create table if not exists bi.dim_channel (
  channel text primary key,
  channel_type text not null,
  is_paid boolean not null
);

create or replace procedure bi.fill_dim_channel()
language plpgsql as $$
begin
  insert into bi.dim_channel (channel, channel_type, is_paid)
  select channel,
    case when channel in ('organic', 'referral', 'partner') then channel else 'paid' end,
    channel <> 'organic'
  from (
    select u.acq_channel as channel from dimension.users u
    union
    select dimension.identifier(a.channel) from stage.agency_spend a where a.channel is not null
  ) channels
  on conflict (channel) do update set channel_type = excluded.channel_type, is_paid = excluded.is_paid;
end $$;
