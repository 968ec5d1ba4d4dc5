import { registry } from '@vitrina/sample-company/contracts';
import { bigint, date, decimal, int, text, timestamp } from './columns.ts';
import { sourceTable } from './sourceContract.ts';
import type { DatabaseTableSpec } from './table.ts';

/** The clients registry's Oracle schema REGISTRY (read from its PostgreSQL stand-in here). */
export const registryTables: DatabaseTableSpec[] = [
  {
    name: 'legal_clients',
    description:
      'Legal-entity clients (REGISTRY.LEGAL_CLIENTS): УНП, industry, size, region, key-account flag.',
    ...sourceTable(registry.legalClients, {
      CLIENT_ID: int(),
      UNP: text({ pattern: /^\d{9}$/ }),
      NAME: text(),
      INDUSTRY: text(),
      SIZE_CATEGORY: text({ values: ['micro', 'small', 'medium', 'large'] }),
      REGION: text(),
      CITY: text(),
      ADDRESS: text(),
      REGISTERED_AT: date(),
      STATUS: text(),
      KEY_ACCOUNT: text({ values: ['Y', 'N'] }),
      UPDATED_AT: timestamp(),
    }),
    mode: { kind: 'upsert', key: ['CLIENT_ID'], cursor: 'UPDATED_AT' },
  },
  {
    name: 'tariffs',
    description: 'Tariffs and service packages for legal entities (REGISTRY.TARIFFS).',
    ...sourceTable(registry.tariffs, {
      TARIFF_ID: int(),
      CODE: text(),
      NAME: text(),
      MONTHLY_FEE: decimal(12, 2),
      COMMISSION_PCT: decimal(5, 2),
    }),
    mode: { kind: 'full' },
  },
  {
    name: 'contracts',
    description: 'Contracts of legal entities (REGISTRY.CONTRACTS): tariff, dates, status, value.',
    ...sourceTable(registry.contracts, {
      CONTRACT_ID: int(),
      CONTRACT_NO: text(),
      CLIENT_ID: int(),
      TARIFF_ID: int(),
      SIGNED_ON: date(),
      STARTS_ON: date(),
      ENDS_ON: date({ nullable: true }),
      STATUS: text(),
      AMOUNT: decimal(14, 2),
      UPDATED_AT: timestamp(),
    }),
    mode: { kind: 'upsert', key: ['CONTRACT_ID'], cursor: 'UPDATED_AT' },
  },
  {
    name: 'user_profiles',
    description:
      'App users (REGISTRY.USER_PROFILES): registration, acquisition channel, region and city, device; phones and e-mails as typed.',
    ...sourceTable(registry.userProfiles, {
      USER_ID: bigint(),
      PHONE: text({ nullable: true }),
      EMAIL: text({ nullable: true }),
      FIRST_NAME: text({ nullable: true }),
      LAST_NAME: text({ nullable: true }),
      BIRTH_DATE: date({ nullable: true }),
      GENDER: text({ nullable: true }),
      REGION: text(),
      CITY: text(),
      ADDRESS: text({ nullable: true }),
      REGISTERED_AT: timestamp(),
      ACQ_CHANNEL: text(),
      DEVICE_OS: text(),
      DEVICE_ID: text(),
      STATUS: text(),
      UPDATED_AT: timestamp(),
    }),
    mode: { kind: 'upsert', key: ['USER_ID'], cursor: 'UPDATED_AT' },
  },
  {
    name: 'user_settings',
    description: "Users' app settings (REGISTRY.USER_SETTINGS); no change date, so loaded in full.",
    ...sourceTable(registry.userSettings, {
      USER_ID: bigint(),
      SETTING_KEY: text(),
      SETTING_VALUE: text({ nullable: true }),
    }),
    mode: { kind: 'full' },
  },
  {
    name: 'app_sessions',
    description: 'App sessions (REGISTRY.APP_SESSIONS) by day of STARTED_AT.',
    ...sourceTable(registry.appSessions, {
      SESSION_ID: text(),
      USER_ID: bigint(),
      STARTED_AT: timestamp(),
      ENDED_AT: timestamp({ nullable: true }),
      DEVICE_OS: text(),
      APP_VERSION: text(),
      SCREENS: int(),
    }),
    mode: { kind: 'daily', cursor: 'STARTED_AT', deduplicateBy: ['SESSION_ID'] },
  },
];
