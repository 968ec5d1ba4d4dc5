import type { CheckDefinition } from '@vitrina/core';
import type { SqlChecks } from '@vitrina/models/checks';
import type { WarehouseResources } from '../resources.ts';

type Check = CheckDefinition<WarehouseResources>;

/** The checks of one procedure's table, given the generic checks of that table (scoped to the step's day for a daily one). */
export type TableChecks = (table: SqlChecks<WarehouseResources>) => Check[];

/**
 * What the checks of the warehouse's PostgreSQL tables are for. Their primary keys are declared in
 * the DDL, so PostgreSQL itself refuses a duplicate or null key; the checks catch what no
 * constraint can: rows lost between a layer and the next (an inner join finding no rate, a filter
 * too strict), amounts that changed on the way, a day left empty.
 */
export interface Arrival {
  name: string;
  /** The upstream table, schema-qualified. */
  from: string;
  /** The columns (or expressions over the upstream rows) that must all be found in this table's `columns`. */
  select: string;
  /** This table's columns matching `select`; the same by default. */
  columns?: string;
  /** Which upstream rows are expected here (a condition over them), when the procedure skips some. */
  where?: string;
  description: string;
}

/**
 * A check that every expected row of the upstream day arrived: upstream rows of the step's day whose
 * `select` is not among this day's rows are the failing rows. Daily tables only: a day of the
 * layer below stays as it was once built, while a state table's upstream moves on during a
 * backfill (the next day's load can land between a fill and its check), so comparing a state table
 * with it at check time cannot tell a lost row from a newer one.
 */
export function arrival(table: SqlChecks<WarehouseResources>, spec: Arrival): Check {
  const scope = ' where {{ scope }}';
  const upstream = `(select * from ${spec.from}${scope}) as upstream`;
  const where = spec.where ? ` where ${spec.where}` : '';
  return table.sql(
    spec.name,
    `select ${spec.select} from ${upstream}${where}
     except select ${spec.columns ?? spec.select} from {{ this }}${scope}`,
    { description: spec.description },
  );
}

/** A day's table (or the whole of a state table) is not empty. */
export const notEmpty = (table: SqlChecks<WarehouseResources>, what: string): Check =>
  table.rowCount({ min: 1 }, { name: `has_${what}` });

/** The checks of the dimension layer's tables, by asset key. */
export const dimensionChecks: Record<string, TableChecks> = {
  'dimension.currency_rates': (table) => [
    notEmpty(table, 'rates'),
    table.sql(
      'rates_positive',
      'select day, currency, rate_per_unit from (select * from {{ this }} where {{ scope }}) as rates where rate_per_unit <= 0',
      { description: 'every rate is above zero' },
    ),
  ],
  'dimension.merchants': (table) => [notEmpty(table, 'merchants')],
  'dimension.legal_entities': (table) => [notEmpty(table, 'legal_clients')],
  'dimension.users': (table) => [notEmpty(table, 'users')],
  'dimension.identity_links': (table) => [
    table.relationships('user_id', 'dimension.users', 'user_id', { severity: 'warn' }),
  ],
  'dimension.payments': (table) => [
    arrival(table, {
      name: 'every_staged_payment',
      from: 'stage.payments',
      select: 'transaction_id, currency, amount',
      description:
        "every payment of the day in stage.payments is here with its amount (none lost for want of its currency's rate)",
    }),
    table.relationships('merchant_id', 'dimension.merchants', 'merchant_id', { severity: 'warn' }),
  ],
};
