import { arrival, notEmpty, type TableChecks } from '../dimension/checks.ts';

/** The checks of the bi layer's tables, by asset key (see `Arrival` for what they are for). */
export const biChecks: Record<string, TableChecks> = {
  'bi.dim_date': (table) => [notEmpty(table, 'days')],
  'bi.dim_currency_rate': (table) => [
    arrival(table, {
      name: 'every_rate',
      from: 'dimension.currency_rates',
      select: 'day, currency, rate_per_unit',
      description: 'every rate of the day in dimension.currency_rates is here, unchanged',
    }),
  ],
  'bi.dim_channel': (table) => [notEmpty(table, 'channels')],
  'bi.dim_user': (table) => [notEmpty(table, 'users')],
  'bi.dim_merchant': (table) => [notEmpty(table, 'merchants')],
  'bi.dim_legal_entity': (table) => [notEmpty(table, 'legal_clients')],
  'bi.fact_payments': (table) => [
    arrival(table, {
      name: 'every_payment',
      from: 'dimension.payments',
      select: 'transaction_id, amount_byn, commission_byn, cashback_byn',
      description: 'every payment of the day in dimension.payments is here with the same amounts in BYN',
    }),
  ],
  'bi.fact_app_events': (table) => [
    table.sql(
      'every_event',
      `select staged.events as staged, loaded.events as loaded
       from (select count(*) as events from (select * from stage.app_events where {{ scope }}) as upstream
             where event_time is not null and device_id is not null and name is not null) as staged,
            (select count(*) as events from {{ this }} where {{ scope }}) as loaded
       where staged.events <> loaded.events`,
      {
        description: 'as many events of the day as stage.app_events has with a time, a device and a name',
      },
    ),
  ],
  'bi.fact_sessions': (table) => [
    arrival(table, {
      name: 'every_session',
      from: 'stage.app_sessions',
      select: 'session_id',
      where: 'user_id is not null and started_at is not null',
      description: 'every session of the day in stage.app_sessions with a user and a start is here',
    }),
  ],
  // The agency reports a week at a time, days late: no rows yet is no failure.
  'bi.fact_marketing_spend': (table) => [
    table.sql(
      'plausible_spend',
      'select day, channel, campaign, spend_byn, impressions, clicks, installs from {{ this }} where spend_byn < 0 or clicks > impressions or installs < 0',
      { severity: 'warn', description: 'no negative spend or installs, no more clicks than impressions' },
    ),
  ],
  // A young CRM may hold no deal yet.
  'bi.fact_crm_deals': (table) => [
    table.sql(
      'won_is_the_success_stage',
      "select deal_id, stage_semantic, is_won from {{ this }} where is_won <> (stage_semantic = 'S')",
      { description: "a deal is won exactly when its stage's semantic is S (success)" },
    ),
  ],
  'bi.fact_partner_sales': (table) => [
    arrival(table, {
      name: 'every_store',
      from: 'stage.partner_sales',
      select: 'upper(dimension.clean_text(store_code))',
      columns: 'store_code',
      where: 'store_code is not null',
      description: "every store of the day in the partners' files is here",
    }),
  ],
  'bi.kpi_daily': (table) => [
    table.rowCount({ min: 1, max: 1 }, { name: 'one_row_for_the_day' }),
    table.sql(
      'transactions_match_fact_payments',
      `select day, transactions, turnover_byn from {{ this }} where {{ scope }}
       except
       select days.day, count(payments.day)::integer, coalesce(sum(payments.amount_byn), 0)
       from (select day from {{ this }} where {{ scope }}) as days
       left join bi.fact_payments as payments on payments.day = days.day and payments.is_success
       group by days.day`,
      {
        description: "the day's transactions and turnover are those of bi.fact_payments' successful payments",
      },
    ),
  ],
  'bi.kpi_funnel': (table) => [notEmpty(table, 'cohorts')],
  'bi.kpi_retention': (table) => [notEmpty(table, 'cohorts')],
  'bi.kpi_channel': (table) => [notEmpty(table, 'channels')],
  'bi.kpi_legal_entities': (table) => [table.rowCount({ min: 1, max: 1 }, { name: 'one_row_for_the_day' })],
  'bi.kpi_legal_monthly': (table) => [notEmpty(table, 'months')],
};
