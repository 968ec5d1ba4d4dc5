-- Marketing spend per day, channel and campaign from the agency's weekly reports (paid channels
-- per install; referral and partner fixed fees on the 1st of the month). A report covers the week
-- before its delivery, so a day's spend is known days later: the table is rebuilt whole from every
-- report loaded; a day reported again in a later file takes the later file's figures.
create schema if not exists bi;

create table if not exists bi.fact_marketing_spend (
  day date not null,
  channel text not null,
  campaign text not null,
  spend_byn numeric(14,2) not null,
  impressions bigint not null,
  clicks bigint not null,
  installs bigint not null,
  primary key (day, channel, campaign)
);

create or replace procedure bi.fill_fact_marketing_spend()
language plpgsql as $$
begin
  lock table bi.fact_marketing_spend in exclusive mode;
  delete from bi.fact_marketing_spend;
  insert into bi.fact_marketing_spend
  select distinct on (a.day, dimension.identifier(a.channel), dimension.identifier(a.campaign))
    a.day, dimension.identifier(a.channel), dimension.identifier(a.campaign), coalesce(a.spend_byn, 0),
    coalesce(a.impressions, 0), coalesce(a.clicks, 0), coalesce(a.installs, 0)
  from stage.agency_spend a
  where a.day is not null and a.channel is not null and a.campaign is not null
  order by a.day, dimension.identifier(a.channel), dimension.identifier(a.campaign), a.file_name desc, a.line;
end $$;
