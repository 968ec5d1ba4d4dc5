import type { Harness, StepRun } from './harness.ts';
import { type CaseSpec, crmCase, pgRowCase, tableScope } from './spec.ts';

// Rows of the source databases: the payments core and the registry's stand-in (PostgreSQL), the
// CRM (MariaDB). Each case breaks one row of the day loaded (or adds one), and puts it back.

/** A successful BYN payment of the day loaded as good. */
const goodPayment = (day: string) =>
  `select min(transaction_id) from stage.payments where day = '${day}' and status = 'success' and currency = 'BYN' and amount > 1`;

const payment = (
  name: string,
  source: string,
  spec: Omit<
    Parameters<typeof pgRowCase>[0],
    'name' | 'source' | 'system' | 'table' | 'key' | 'pick' | 'asset'
  >,
) =>
  pgRowCase({
    name: `payments ${name}`,
    source: `core.transactions: ${source}`,
    asset: 'stage.payments',
    system: 'payments',
    table: 'core.transactions',
    key: 'transaction_id',
    pick: goodPayment,
    ...spec,
  });

/** The stage value of a column of the payment the case changed: exactly what the source holds. */
const storedExactly =
  (column: string, expected: string) =>
  async (h: Harness, _run: StepRun): Promise<string | null> => {
    const { rows } = await h.warehouse.query<{ value: string }>(
      `select ${column}::text as value from stage.payments where day = $1 and ${column}::text = $2`,
      [h.day, expected],
    );
    return rows.length === 1 ? null : `stage.payments holds ${rows.length} rows with ${column} = ${expected}`;
  };

export function databaseCases(_day: string): CaseSpec[] {
  // A critical rule fails its check after the load committed: the step fails naming the rows and
  // what to fix, and everything downstream waits.
  const critical = (rule: string) => new RegExp(`${rule}.*payments core`);
  return [
    payment('amount zero', 'amount 0 on a successful payment', {
      expected: 'quarantined',
      reason: /^amount: /,
      mutate: 'update core.transactions set amount = 0 where transaction_id = $1',
    }),
    payment('amount NULL', 'amount NULL', {
      expected: 'quarantined',
      reason: /^amount: /,
      mutate: 'update core.transactions set amount = null where transaction_id = $1',
    }),
    payment('currency NULL', 'currency NULL', {
      expected: 'quarantined',
      reason: /^currency: /,
      mutate: 'update core.transactions set currency = null where transaction_id = $1',
    }),
    payment('merchant NULL', 'merchant_id NULL on a purchase', {
      expected: 'quarantined',
      reason: /^merchant_id: /,
      mutate: 'update core.transactions set merchant_id = null where transaction_id = $1',
    }),
    payment('unknown status', "status 'pending'", {
      expected: 'quarantined',
      reason: /^status: /,
      mutate: "update core.transactions set status = 'pending' where transaction_id = $1",
    }),
    payment('negative user id', 'user_id -42', {
      expected: 'quarantined',
      reason: /^user_id: /,
      mutate: 'update core.transactions set user_id = -42 where transaction_id = $1',
    }),
    payment('largest user id', 'user_id 9223372036854775807 (the largest bigint, past 2^53)', {
      expected: 'accepted',
      why: 'a bigint fits stage bigint; read as text, it is stored to the last digit',
      mutate: 'update core.transactions set user_id = 9223372036854775807 where transaction_id = $1',
      verify: storedExactly('user_id', '9223372036854775807'),
    }),
    payment('largest amount', 'amount 999999999999.99 (the largest numeric(14,2))', {
      expected: 'accepted',
      why: 'the largest value numeric(14,2) holds fits the stage column exactly',
      mutate: 'update core.transactions set amount = 999999999999.99 where transaction_id = $1',
      verify: storedExactly('amount', '999999999999.99'),
    }),
    payment('merchant id beyond int4', 'merchant_id 3000000000 after the core widened the column to bigint', {
      expected: 'quarantined',
      reason: /^merchant_id: /,
      mutate: [
        'alter table core.transactions alter column merchant_id type bigint',
        'update core.transactions set merchant_id = 3000000000 where transaction_id = $1',
      ],
      undo: ['alter table core.transactions alter column merchant_id type integer'],
    }),
    payment('row delivered twice', 'the same row twice with every value equal', {
      expected: 'quarantined',
      reason: /transaction_id/,
      mutate: 'insert into core.transactions select * from core.transactions where transaction_id = $1',
    }),
    payment('conflicting duplicate', 'a second row with the same transaction_id and another amount', {
      expected: 'error',
      keepsPrevious: false,
      names: critical('transaction_id \\d+ appears 2 times'),
      mutate: `insert into core.transactions
        select transaction_id, trans_date, user_id, merchant_id, product_id, card_id, amount + 1, currency, method,
          operation_type, status, commission, cashback_campaign_id, cashback_amount, created_at, updated_at
        from core.transactions where transaction_id = $1`,
    }),
    payment('commission above amount', 'a successful payment whose commission is its amount + 100', {
      expected: 'error',
      keepsPrevious: false,
      names: critical('commission [\\d.]+ > amount'),
      mutate: 'update core.transactions set commission = amount + 100 where transaction_id = $1',
    }),
    payment('currency without a rate', "currency 'KZT', which NBRB rates are not loaded for", {
      expected: 'error',
      keepsPrevious: false,
      names: critical('currency KZT'),
      mutate: "update core.transactions set currency = 'KZT' where transaction_id = $1",
    }),
    pgRowCase({
      name: 'payment operations unknown type',
      source: "core.operations: op_type 'chargeback'",
      asset: 'stage.payment_operations',
      system: 'payments',
      table: 'core.operations',
      key: 'operation_id',
      pick: (day) => `select min(operation_id) from stage.payment_operations where day = '${day}'`,
      expected: 'quarantined',
      reason: /^op_type: /,
      mutate: "update core.operations set op_type = 'chargeback' where operation_id = $1",
    }),
    pgRowCase({
      name: 'registry session ending before it starts',
      source: 'REGISTRY.APP_SESSIONS: ENDED_AT an hour before STARTED_AT',
      asset: 'stage.app_sessions',
      system: 'registry',
      table: '"REGISTRY"."APP_SESSIONS"',
      key: 'SESSION_ID',
      pick: (day) =>
        `select min(session_id) from stage.app_sessions where day = '${day}' and ended_at is not null`,
      expected: 'quarantined',
      reason: /^ENDED_AT: /,
      mutate: `update "REGISTRY"."APP_SESSIONS" set "ENDED_AT" = "STARTED_AT" - interval '1 hour' where "SESSION_ID" = $1`,
    }),
    pgRowCase({
      name: 'registry negative screens',
      source: 'REGISTRY.APP_SESSIONS: SCREENS -3',
      asset: 'stage.app_sessions',
      system: 'registry',
      table: '"REGISTRY"."APP_SESSIONS"',
      key: 'SESSION_ID',
      pick: (day) => `select min(session_id) from stage.app_sessions where day = '${day}'`,
      expected: 'quarantined',
      reason: /^SCREENS: /,
      mutate: 'update "REGISTRY"."APP_SESSIONS" set "SCREENS" = -3 where "SESSION_ID" = $1',
    }),
    pgRowCase({
      name: 'registry blank region',
      source: 'REGISTRY.USER_PROFILES: REGION of three spaces on a profile changed that day',
      asset: 'stage.user_profiles',
      scope: tableScope('stage.user_profiles'),
      system: 'registry',
      table: '"REGISTRY"."USER_PROFILES"',
      key: 'USER_ID',
      pick: (day) => `select min(user_id) from stage.user_profiles where updated_at::date = '${day}'`,
      expected: 'quarantined',
      reason: /^REGION: /,
      mutate: `update "REGISTRY"."USER_PROFILES" set "REGION" = '   ' where "USER_ID" = $1`,
    }),
    pgRowCase({
      name: 'registry registration before 1970',
      source: 'REGISTRY.USER_PROFILES: REGISTERED_AT 1969-12-31 (before the marts’ first Date)',
      asset: 'stage.user_profiles',
      scope: tableScope('stage.user_profiles'),
      system: 'registry',
      table: '"REGISTRY"."USER_PROFILES"',
      key: 'USER_ID',
      pick: (day) => `select min(user_id) from stage.user_profiles where updated_at::date = '${day}'`,
      expected: 'quarantined',
      reason: /^REGISTERED_AT: /,
      mutate: `update "REGISTRY"."USER_PROFILES" set "REGISTERED_AT" = '1969-12-31 10:00' where "USER_ID" = $1`,
    }),
    ...crmCases(),
  ];
}

/** A CRM contact changed on the day (upserted by DATE_MODIFY), inserted with the given values. */
const contact = (values: { name?: string; birthdate?: string; created?: string }) => (day: string) =>
  `INSERT INTO b_crm_contact (ID, NAME, LAST_NAME, SECOND_NAME, BIRTHDATE, TYPE_ID, SOURCE_ID, ASSIGNED_BY_ID, COMPANY_ID, DATE_CREATE, DATE_MODIFY)
   VALUES (990001, ${values.name ?? "'Ирина'"}, 'Бенчева', NULL, ${values.birthdate ?? 'NULL'}, 'CLIENT', 'WEB', 1, NULL,
     ${values.created ?? `'${day} 09:00:00'`}, '${day} 13:00:00')`;

function crmCases(): CaseSpec[] {
  const contacts = { asset: 'stage.crm_contacts', scope: tableScope('stage.crm_contacts') };
  const undo = 'DELETE FROM b_crm_contact WHERE ID = 990001';
  return [
    crmCase({
      ...contacts,
      name: 'CRM NUL in a name',
      source: 'b_crm_contact: NAME holding a NUL byte (MariaDB VARCHAR stores it)',
      expected: 'quarantined',
      reason: /^NAME: /,
      inject: contact({ name: "CONCAT('Ири', CHAR(0), 'на')" }),
      restore: undo,
    }),
    crmCase({
      ...contacts,
      name: 'CRM zero date',
      source: "b_crm_contact: DATE_CREATE '0000-00-00 00:00:00' (written with sql_mode '')",
      expected: 'quarantined',
      reason: /^DATE_CREATE: /,
      inject: (day) =>
        `SET SESSION sql_mode = ''; ${contact({ created: "'0000-00-00 00:00:00'" })(day)}; SET SESSION sql_mode = DEFAULT`,
      restore: undo,
    }),
    crmCase({
      ...contacts,
      name: 'CRM 30 February',
      source: "b_crm_contact: BIRTHDATE '1990-02-30' (written with sql_mode ALLOW_INVALID_DATES)",
      expected: 'quarantined',
      reason: /^BIRTHDATE: /,
      inject: (day) =>
        `SET SESSION sql_mode = 'ALLOW_INVALID_DATES'; ${contact({ birthdate: "'1990-02-30'" })(day)}; SET SESSION sql_mode = DEFAULT`,
      restore: undo,
    }),
    crmCase({
      name: 'CRM lead amount beyond DECIMAL(18,2)',
      source: 'b_crm_lead: OPPORTUNITY 12345678901234567.5 after the column was widened to DECIMAL(24,4)',
      asset: 'stage.crm_leads',
      scope: tableScope('stage.crm_leads'),
      expected: 'quarantined',
      reason: /^OPPORTUNITY: /,
      inject: (day) =>
        `ALTER TABLE b_crm_lead MODIFY OPPORTUNITY DECIMAL(24,4) NULL;
         INSERT INTO b_crm_lead (ID, TITLE, NAME, LAST_NAME, STATUS_ID, SOURCE_ID, ASSIGNED_BY_ID, OPPORTUNITY, CURRENCY_ID, CONTACT_ID, COMPANY_ID, DATE_CREATE, DATE_MODIFY, DATE_CLOSED)
         VALUES (990001, 'Крупная сделка', NULL, NULL, 'NEW', 'WEB', 1, 12345678901234567.5, 'BYN', NULL, NULL, '${day} 09:00:00', '${day} 13:00:00', NULL)`,
      restore:
        'DELETE FROM b_crm_lead WHERE ID = 990001; ALTER TABLE b_crm_lead MODIFY OPPORTUNITY DECIMAL(18,2) NULL',
    }),
    crmCase({
      name: 'CRM unknown multi-field type',
      source: "b_crm_field_multi (loaded in full): TYPE_ID 'FAX'",
      asset: 'stage.crm_field_multi',
      scope: tableScope('stage.crm_field_multi'),
      expected: 'quarantined',
      reason: /^TYPE_ID: /,
      inject: () =>
        "INSERT INTO b_crm_field_multi (ID, ENTITY_ID, ELEMENT_ID, TYPE_ID, VALUE_TYPE, VALUE) VALUES (990001, 'CONTACT', 1, 'FAX', 'WORK', '+375 17 000-00-00')",
      restore: 'DELETE FROM b_crm_field_multi WHERE ID = 990001',
    }),
  ];
}
