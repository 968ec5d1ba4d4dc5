/**
 * The source systems' tables as they exist: per table its columns in the order the source has them,
 * and its primary key where it has one. The generator writes these columns and the warehouse's stage
 * layer reads them; `test/contracts.test.ts` holds them to the DDL in schema/*.sql. Imports
 * nothing, so the warehouse can read it without loading the generator
 * (`@vitrina/sample-company/contracts`).
 */
export type System = 'crm' | 'payments' | 'registry';

export interface SourceTable<Column extends string = string> {
  system: System;
  /** Schema-qualified as the writers and readers address it: 'b_crm_deal', 'core.transactions', 'REGISTRY.USER_PROFILES'. */
  table: string;
  columns: readonly Column[];
  /** The primary key, which the generator upserts by; absent when the table has none. */
  key?: readonly Column[];
}

/** Some of a table's columns, in the table's order: what a reader or an update deliberately limits itself to. */
export interface ColumnSelection<Column extends string = string> {
  from: SourceTable;
  columns: readonly Column[];
}

export type TableColumns<Column extends string = string> = SourceTable<Column> | ColumnSelection<Column>;

export type ColumnOf<Table extends TableColumns> = Table['columns'][number];

export const tableOf = (columns: TableColumns): SourceTable => ('from' in columns ? columns.from : columns);

/** Selects `columns` of `table`, returned in the table's order; a name the table lacks is an error. */
export function select<Column extends string, const Selected extends Column>(
  table: SourceTable<Column>,
  columns: readonly Selected[],
): ColumnSelection<Selected> {
  const unknown = columns.filter((column) => !table.columns.includes(column));
  if (unknown.length > 0) throw new Error(`${table.table} has no column ${unknown.join(', ')}`);
  const wanted = new Set<string>(columns);
  return {
    from: table,
    columns: table.columns.filter((column): column is Selected => wanted.has(column)),
  };
}

export const payments = {
  merchants: {
    system: 'payments',
    table: 'core.merchants',
    columns: [
      'merchant_id',
      'name',
      'legal_client_id',
      'vertical',
      'subtype',
      'chain',
      'brand',
      'region',
      'city',
      'address',
      'mcc',
      'commission_pct',
      'created_at',
      'updated_at',
    ],
    key: ['merchant_id'],
  },
  products: {
    system: 'payments',
    table: 'core.products',
    columns: ['product_id', 'code', 'name', 'category', 'description', 'commission_pct', 'active'],
    key: ['product_id'],
  },
  cashbackCampaigns: {
    system: 'payments',
    table: 'core.cashback_campaigns',
    columns: ['campaign_id', 'name', 'vertical', 'chain', 'cashback_pct', 'starts_on', 'ends_on'],
    key: ['campaign_id'],
  },
  cards: {
    system: 'payments',
    table: 'core.cards',
    columns: ['card_id', 'user_id', 'pan_masked', 'card_brand', 'bank', 'linked_at', 'status', 'updated_at'],
    key: ['card_id'],
  },
  // No primary key on purpose: the core delivers duplicated ids now and then.
  transactions: {
    system: 'payments',
    table: 'core.transactions',
    columns: [
      'transaction_id',
      'trans_date',
      'user_id',
      'merchant_id',
      'product_id',
      'card_id',
      'amount',
      'currency',
      'method',
      'operation_type',
      'status',
      'commission',
      'cashback_campaign_id',
      'cashback_amount',
      'created_at',
      'updated_at',
      // Who pays (added later, hence last): 'individual' for a person's own payment, 'entrepreneur' or
      // 'legal' for a business account's, with the registry's LEGAL_CLIENTS.CLIENT_ID it pays for.
      'payer_type',
      'payer_legal_client_id',
    ],
  },
  operations: {
    system: 'payments',
    table: 'core.operations',
    columns: ['operation_id', 'transaction_id', 'op_date', 'op_type', 'status', 'amount', 'currency'],
    key: ['operation_id'],
  },
} as const satisfies Record<string, SourceTable>;

export const registry = {
  tariffs: {
    system: 'registry',
    table: 'REGISTRY.TARIFFS',
    columns: ['TARIFF_ID', 'CODE', 'NAME', 'MONTHLY_FEE', 'COMMISSION_PCT'],
    key: ['TARIFF_ID'],
  },
  legalClients: {
    system: 'registry',
    table: 'REGISTRY.LEGAL_CLIENTS',
    columns: [
      'CLIENT_ID',
      'UNP',
      'NAME',
      'INDUSTRY',
      'SIZE_CATEGORY',
      'REGION',
      'CITY',
      'ADDRESS',
      'REGISTERED_AT',
      'STATUS',
      'KEY_ACCOUNT',
      'UPDATED_AT',
    ],
    key: ['CLIENT_ID'],
  },
  contracts: {
    system: 'registry',
    table: 'REGISTRY.CONTRACTS',
    columns: [
      'CONTRACT_ID',
      'CONTRACT_NO',
      'CLIENT_ID',
      'TARIFF_ID',
      'SIGNED_ON',
      'STARTS_ON',
      'ENDS_ON',
      'STATUS',
      'AMOUNT',
      'UPDATED_AT',
    ],
    key: ['CONTRACT_ID'],
  },
  userProfiles: {
    system: 'registry',
    table: 'REGISTRY.USER_PROFILES',
    columns: [
      'USER_ID',
      'PHONE',
      'EMAIL',
      'FIRST_NAME',
      'LAST_NAME',
      'BIRTH_DATE',
      'GENDER',
      'REGION',
      'CITY',
      'ADDRESS',
      'REGISTERED_AT',
      'ACQ_CHANNEL',
      'DEVICE_OS',
      'DEVICE_ID',
      'STATUS',
      'UPDATED_AT',
    ],
    key: ['USER_ID'],
  },
  userSettings: {
    system: 'registry',
    table: 'REGISTRY.USER_SETTINGS',
    columns: ['USER_ID', 'SETTING_KEY', 'SETTING_VALUE'],
    key: ['USER_ID', 'SETTING_KEY'],
  },
  appSessions: {
    system: 'registry',
    table: 'REGISTRY.APP_SESSIONS',
    columns: ['SESSION_ID', 'USER_ID', 'STARTED_AT', 'ENDED_AT', 'DEVICE_OS', 'APP_VERSION', 'SCREENS'],
    key: ['SESSION_ID'],
  },
} as const satisfies Record<string, SourceTable>;

/** Bitrix24's own tables, with the columns the sample company writes of them. */
export const crm = {
  users: {
    system: 'crm',
    table: 'b_user',
    columns: [
      'ID',
      'ACTIVE',
      'LOGIN',
      'NAME',
      'LAST_NAME',
      'EMAIL',
      'PERSONAL_PHONE',
      'WORK_POSITION',
      'DATE_REGISTER',
      'TIMESTAMP_X',
    ],
    key: ['ID'],
  },
  statuses: {
    system: 'crm',
    table: 'b_crm_status',
    columns: ['ID', 'ENTITY_ID', 'STATUS_ID', 'NAME', 'SORT', 'SEMANTICS', 'CATEGORY_ID'],
    key: ['ID'],
  },
  companies: {
    system: 'crm',
    table: 'b_crm_company',
    columns: [
      'ID',
      'TITLE',
      'COMPANY_TYPE',
      'INDUSTRY',
      'EMPLOYEES',
      'REVENUE',
      'CURRENCY_ID',
      'ASSIGNED_BY_ID',
      'DATE_CREATE',
      'DATE_MODIFY',
    ],
    key: ['ID'],
  },
  requisites: {
    system: 'crm',
    table: 'b_crm_requisite',
    columns: ['ID', 'ENTITY_TYPE_ID', 'ENTITY_ID', 'NAME', 'RQ_INN', 'DATE_CREATE', 'DATE_MODIFY'],
    key: ['ID'],
  },
  contacts: {
    system: 'crm',
    table: 'b_crm_contact',
    columns: [
      'ID',
      'NAME',
      'LAST_NAME',
      'SECOND_NAME',
      'BIRTHDATE',
      'TYPE_ID',
      'SOURCE_ID',
      'ASSIGNED_BY_ID',
      'COMPANY_ID',
      'DATE_CREATE',
      'DATE_MODIFY',
    ],
    key: ['ID'],
  },
  leads: {
    system: 'crm',
    table: 'b_crm_lead',
    columns: [
      'ID',
      'TITLE',
      'NAME',
      'LAST_NAME',
      'STATUS_ID',
      'SOURCE_ID',
      'ASSIGNED_BY_ID',
      'OPPORTUNITY',
      'CURRENCY_ID',
      'CONTACT_ID',
      'COMPANY_ID',
      'DATE_CREATE',
      'DATE_MODIFY',
      'DATE_CLOSED',
    ],
    key: ['ID'],
  },
  deals: {
    system: 'crm',
    table: 'b_crm_deal',
    columns: [
      'ID',
      'TITLE',
      'CATEGORY_ID',
      'STAGE_ID',
      'STAGE_SEMANTIC_ID',
      'OPPORTUNITY',
      'CURRENCY_ID',
      'SOURCE_ID',
      'ASSIGNED_BY_ID',
      'CONTACT_ID',
      'COMPANY_ID',
      'LEAD_ID',
      'CLOSED',
      'CLOSEDATE',
      'DATE_CREATE',
      'DATE_MODIFY',
    ],
    key: ['ID'],
  },
  utm: {
    system: 'crm',
    table: 'b_crm_utm',
    columns: ['ENTITY_TYPE_ID', 'ENTITY_ID', 'CODE', 'VALUE'],
    key: ['ENTITY_TYPE_ID', 'ENTITY_ID', 'CODE'],
  },
  fieldMulti: {
    system: 'crm',
    table: 'b_crm_field_multi',
    columns: ['ID', 'ENTITY_ID', 'ELEMENT_ID', 'TYPE_ID', 'VALUE_TYPE', 'VALUE'],
    key: ['ID'],
  },
} as const satisfies Record<string, SourceTable>;

export const sourceSystems = { crm, payments, registry } as const satisfies Record<
  System,
  Record<string, SourceTable>
>;
