import { registry } from '@vitrina/sample-company/contracts';
import { bigint, date, decimal, int, MART_DAYS, type RowRule, text, timestamp, UNSIGNED } from './columns.ts';
import { sourceTable } from './sourceContract.ts';
import type { DatabaseTableSpec } from './table.ts';
import { INTEGER_LIMITS } from './values.ts';

const martDay = { range: MART_DAYS } as const;

/**
 * A session ends after it starts and lasts what bi.fact_sessions.duration_s (integer seconds) holds;
 * mart.active_users sums it into an unsigned ClickHouse column.
 */
const sessionDuration: RowRule = {
  column: 'ENDED_AT',
  check: (value) => {
    const [started, ended] = [value('STARTED_AT'), value('ENDED_AT')];
    if (typeof started !== 'string' || typeof ended !== 'string') return null;
    const seconds =
      (Date.parse(`${ended.replace(' ', 'T')}Z`) - Date.parse(`${started.replace(' ', 'T')}Z`)) / 1000;
    if (seconds < 0) return `before STARTED_AT (${started} → ${ended})`;
    return seconds > Number(INTEGER_LIMITS[4].max)
      ? `more than ${INTEGER_LIMITS[4].max} seconds after STARTED_AT`
      : null;
  },
};

/** The clients registry's Oracle schema REGISTRY (read from its PostgreSQL stand-in here). */
export const registryTables: DatabaseTableSpec[] = [
  {
    name: 'legal_clients',
    description:
      'Legal-entity clients (REGISTRY.LEGAL_CLIENTS): УНП, industry, size, region, key-account flag.',
    ...sourceTable(registry.legalClients, {
      CLIENT_ID: int(UNSIGNED),
      UNP: text({ pattern: /^\d{9}$/ }),
      NAME: text(),
      INDUSTRY: text(),
      SIZE_CATEGORY: text({ values: ['micro', 'small', 'medium', 'large'] }),
      REGION: text(),
      CITY: text(),
      ADDRESS: text(),
      REGISTERED_AT: date(martDay),
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
      SIGNED_ON: date(martDay),
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
      USER_ID: bigint(UNSIGNED),
      PHONE: text({ nullable: true }),
      EMAIL: text({ nullable: true }),
      FIRST_NAME: text({ nullable: true }),
      LAST_NAME: text({ nullable: true }),
      BIRTH_DATE: date({ nullable: true }),
      // dimension.users keeps it as char(1).
      GENDER: text({ nullable: true, maxLength: 1 }),
      REGION: text(),
      CITY: text(),
      ADDRESS: text({ nullable: true }),
      REGISTERED_AT: timestamp(martDay),
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
      USER_ID: bigint(UNSIGNED),
      STARTED_AT: timestamp(martDay),
      ENDED_AT: timestamp({ nullable: true }),
      DEVICE_OS: text(),
      APP_VERSION: text(),
      SCREENS: int(UNSIGNED),
    }),
    rules: [sessionDuration],
    mode: { kind: 'daily', cursor: 'STARTED_AT', deduplicateBy: ['SESSION_ID'] },
  },
];
