import { dayKey, localTimestamp, SECONDS_PER_DAY } from './calendar.ts';
import { type LeadPlan, legalClientOfLead, wonOn } from './crm.ts';
import { type CardRow, cardRow, userDays } from './payments.ts';
import { profileRow, type UserProfileRow } from './people.ts';
import { randomFor, Stream } from './random.ts';
import { products, type Tariff, tariffs } from './reference.ts';
import { type Generated, type SqlValue, type TableIncrement, tableIncrement } from './rows.ts';
import type { LegalClient, User, World } from './world.ts';

export interface ContractRow {
  CONTRACT_ID: number;
  CONTRACT_NO: string;
  CLIENT_ID: number;
  TARIFF_ID: number;
  SIGNED_ON: string;
  STARTS_ON: string;
  ENDS_ON: string | null;
  STATUS: string;
  AMOUNT: number;
  UPDATED_AT: string;
}

type LegalClientRow = Omit<LegalClient, 'tariffId' | 'contractAmount'>;

const legalClientColumns = [
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
] as const;
const contractColumns = [
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
] as const;
const profileColumns = [
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
] as const;

export function contractNumber(id: number, signedOn: string): string {
  return `Д-${signedOn.slice(0, 4)}/${String(id).padStart(5, '0')}`;
}

/** The contract of a legal client, signed on `signed` (a day number). */
export function contractOf(client: LegalClient, signed: number, updatedAt: string): ContractRow {
  const signedOn = dayKey(signed);
  return {
    CONTRACT_ID: client.CLIENT_ID,
    CONTRACT_NO: contractNumber(client.CLIENT_ID, signedOn),
    CLIENT_ID: client.CLIENT_ID,
    TARIFF_ID: client.tariffId,
    SIGNED_ON: signedOn,
    STARTS_ON: dayKey(signed + 1),
    ENDS_ON: client.SIZE_CATEGORY === 'large' ? null : dayKey(signed + 365),
    STATUS: 'active',
    AMOUNT: client.contractAmount,
    UPDATED_AT: updatedAt,
  };
}

/** The initial clients' contracts, signed a month after they registered. */
export function baseContract(client: LegalClient): ContractRow {
  const signed = Date.parse(`${client.REGISTERED_AT}T00:00:00Z`) / 86_400_000 + 30;
  return contractOf(client, signed, client.UPDATED_AT);
}

export function wonContract(world: World, plan: LeadPlan): { client: LegalClient; contract: ContractRow } {
  const client = legalClientOfLead(world, plan);
  return { client, contract: contractOf(client, wonOn(plan)!.day, client.UPDATED_AT) };
}

const legalClientRow = ({
  tariffId: _tariff,
  contractAmount: _amount,
  ...row
}: LegalClient): LegalClientRow => row;

const settingsOf = (world: World, user: User): Array<[string, string]> => {
  const random = randomFor(world.options.seed, Stream.profile, user.id, 2);
  return [
    ['language', random.pick(['ru', 'ru', 'ru', 'be', 'en'])],
    ['push_enabled', random.chance(0.7) ? 'true' : 'false'],
    ['biometric_login', random.chance(0.55) ? 'true' : 'false'],
    ['theme', random.pick(['system', 'light', 'dark'])],
  ];
};

function registryTable<Row>(
  table: string,
  columns: readonly (keyof Row & string)[],
  mode: TableIncrement['mode'],
  rows: () => Iterable<Generated<Row>>,
): TableIncrement {
  return tableIncrement<Row>({ system: 'registry', table: `REGISTRY.${table}`, columns, mode, rows });
}

const cardLinkDay = (user: User) =>
  user.cardLinkedAt === null ? null : Math.floor(user.cardLinkedAt / SECONDS_PER_DAY);

export function registryDayTables(world: World, day: number, won: readonly LeadPlan[]): TableIncrement[] {
  const upsert = (...key: string[]) => ({ kind: 'upsert' as const, key });
  return [
    registryTable<LegalClientRow>('LEGAL_CLIENTS', legalClientColumns, upsert('CLIENT_ID'), () =>
      won.map((plan) => ({
        row: legalClientRow(wonContract(world, plan).client),
        change: 'insert' as const,
      })),
    ),
    registryTable<ContractRow>('CONTRACTS', contractColumns, upsert('CONTRACT_ID'), () =>
      won.map((plan) => ({ row: wonContract(world, plan).contract, change: 'insert' as const })),
    ),
    registryTable<UserProfileRow>('USER_PROFILES', profileColumns, upsert('USER_ID'), function* () {
      for (const user of world.usersThrough(day)) {
        if (user.registrationDay > day) break;
        if (user.registrationDay === day) yield { row: profileRow(world, user, day), change: 'insert' };
        else if (user.profileUpdateDays.includes(day) || user.deletedDay === day)
          yield { row: profileRow(world, user, day), change: 'update' };
      }
    }),
    registryTable<Record<string, SqlValue>>(
      'USER_SETTINGS',
      ['USER_ID', 'SETTING_KEY', 'SETTING_VALUE'],
      upsert('USER_ID', 'SETTING_KEY'),
      function* () {
        for (const user of world.usersThrough(day)) {
          if (user.registrationDay > day) break;
          if (user.registrationDay === day) {
            for (const [key, value] of settingsOf(world, user))
              yield { row: { USER_ID: user.id, SETTING_KEY: key, SETTING_VALUE: value }, change: 'insert' };
          }
          if (cardLinkDay(user) === day)
            yield {
              row: { USER_ID: user.id, SETTING_KEY: 'default_card', SETTING_VALUE: String(user.cardId) },
              change: 'insert',
            };
        }
      },
    ),
    registryTable<Record<string, SqlValue>>(
      'APP_SESSIONS',
      ['SESSION_ID', 'USER_ID', 'STARTED_AT', 'ENDED_AT', 'DEVICE_OS', 'APP_VERSION', 'SCREENS'],
      {
        kind: 'append',
        replace: { column: 'STARTED_AT', from: `${dayKey(day)} 00:00:00`, to: `${dayKey(day + 1)} 00:00:00` },
      },
      function* () {
        for (const { activity } of userDays(world, day)) {
          for (const session of activity.sessions) {
            yield {
              row: {
                SESSION_ID: session.SESSION_ID,
                USER_ID: session.USER_ID,
                STARTED_AT: localTimestamp(session.startedAt),
                ENDED_AT: localTimestamp(session.endedAt),
                DEVICE_OS: session.DEVICE_OS,
                APP_VERSION: session.APP_VERSION,
                SCREENS: session.SCREENS,
              },
              change: 'insert',
            };
          }
        }
      },
    ),
  ];
}

/**
 * The company before its first daily increment, as it stands at the end of `asOf`: catalogues,
 * merchants, campaigns, tariffs, the initial legal clients and contracts, and the users who
 * registered before start (with their cards and settings).
 */
export function snapshotTables(world: World, asOf: number): TableIncrement[] {
  const baseUsers = function* () {
    for (const user of world.usersThrough(world.startDay - 1)) {
      if (user.registrationDay >= world.startDay) break;
      yield user;
    }
  };
  const upsert = (...key: string[]) => ({ kind: 'upsert' as const, key });
  const insert =
    <Row>(rows: readonly Row[]) =>
    () =>
      rows.map((row) => ({ row, change: 'insert' as const }));
  const updated = localTimestamp((world.startDay - 30) * SECONDS_PER_DAY + 9 * 3600);
  return [
    tableIncrement<Record<string, SqlValue>>({
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
      mode: upsert('merchant_id'),
      rows: insert(
        world.merchants.map((m) => ({
          merchant_id: m.merchant_id,
          name: m.name,
          legal_client_id: m.legal_client_id,
          vertical: m.vertical,
          subtype: m.subtype,
          chain: m.chain,
          brand: m.brand,
          region: m.region,
          city: m.city,
          address: m.address,
          mcc: m.mcc,
          commission_pct: m.commission_pct,
          created_at: localTimestamp(
            (world.startDay - 60 - (m.merchant_id % 300)) * SECONDS_PER_DAY + 10 * 3600,
          ),
          updated_at: updated,
        })),
      ),
    }),
    tableIncrement<(typeof products)[number]>({
      system: 'payments',
      table: 'core.products',
      columns: ['product_id', 'code', 'name', 'category', 'description', 'commission_pct', 'active'],
      mode: upsert('product_id'),
      rows: insert(products),
    }),
    tableIncrement<Record<string, SqlValue>>({
      system: 'payments',
      table: 'core.cashback_campaigns',
      columns: ['campaign_id', 'name', 'vertical', 'chain', 'cashback_pct', 'starts_on', 'ends_on'],
      mode: upsert('campaign_id'),
      rows: insert(world.campaigns.map(({ startDay: _s, endDay: _e, ...campaign }) => campaign)),
    }),
    tableIncrement<CardRow>({
      system: 'payments',
      table: 'core.cards',
      columns: [
        'card_id',
        'user_id',
        'pan_masked',
        'card_brand',
        'bank',
        'linked_at',
        'status',
        'updated_at',
      ],
      mode: upsert('card_id'),
      rows: function* () {
        for (const user of baseUsers()) {
          if (user.cardLinkedAt !== null && cardLinkDay(user)! < world.startDay)
            yield { row: cardRow(world, user, asOf), change: 'insert' };
        }
      },
    }),
    registryTable<Tariff>(
      'TARIFFS',
      ['TARIFF_ID', 'CODE', 'NAME', 'MONTHLY_FEE', 'COMMISSION_PCT'],
      upsert('TARIFF_ID'),
      insert(tariffs),
    ),
    registryTable<LegalClientRow>(
      'LEGAL_CLIENTS',
      legalClientColumns,
      upsert('CLIENT_ID'),
      insert(world.legalClients.map(legalClientRow)),
    ),
    registryTable<ContractRow>(
      'CONTRACTS',
      contractColumns,
      upsert('CONTRACT_ID'),
      insert(world.legalClients.map(baseContract)),
    ),
    registryTable<UserProfileRow>('USER_PROFILES', profileColumns, upsert('USER_ID'), function* () {
      for (const user of baseUsers()) yield { row: profileRow(world, user, asOf), change: 'insert' };
    }),
    registryTable<Record<string, SqlValue>>(
      'USER_SETTINGS',
      ['USER_ID', 'SETTING_KEY', 'SETTING_VALUE'],
      upsert('USER_ID', 'SETTING_KEY'),
      function* () {
        for (const user of baseUsers()) {
          for (const [key, value] of settingsOf(world, user))
            yield { row: { USER_ID: user.id, SETTING_KEY: key, SETTING_VALUE: value }, change: 'insert' };
          if (user.cardLinkedAt !== null && cardLinkDay(user)! < world.startDay)
            yield {
              row: { USER_ID: user.id, SETTING_KEY: 'default_card', SETTING_VALUE: String(user.cardId) },
              change: 'insert',
            };
        }
      },
    ),
  ];
}
