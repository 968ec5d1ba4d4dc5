import { dayKey, localTimestamp, SECONDS_PER_DAY } from './calendar.ts';
import { payments, registry } from './contracts.ts';
import { type LeadPlan, legalClientOfLead, wonOn } from './leads.ts';
import { cardRow, userDays } from './payments.ts';
import { profileRow } from './people.ts';
import { randomFor, Stream } from './random.ts';
import { products, tariffs } from './reference.ts';
import { type RowOf, type TableIncrement, tableIncrement } from './rows.ts';
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

const cardLinkDay = (user: User) =>
  user.cardLinkedAt === null ? null : Math.floor(user.cardLinkedAt / SECONDS_PER_DAY);

export function registryDayTables(world: World, day: number, won: readonly LeadPlan[]): TableIncrement[] {
  return [
    tableIncrement(registry.legalClients, 'upsert', () =>
      won.map((plan) => ({
        row: legalClientRow(wonContract(world, plan).client),
        change: 'insert' as const,
      })),
    ),
    tableIncrement(registry.contracts, 'upsert', () =>
      won.map((plan) => ({ row: wonContract(world, plan).contract, change: 'insert' as const })),
    ),
    tableIncrement(registry.userProfiles, 'upsert', function* () {
      for (const user of world.usersThrough(day)) {
        if (user.registrationDay > day) break;
        if (user.registrationDay === day) yield { row: profileRow(world, user, day), change: 'insert' };
        else if (user.profileUpdateDays.includes(day) || user.deletedDay === day)
          yield { row: profileRow(world, user, day), change: 'update' };
      }
    }),
    tableIncrement(registry.userSettings, 'upsert', function* () {
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
    }),
    tableIncrement(
      registry.appSessions,
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
  const insert =
    <Row>(rows: readonly Row[]) =>
    () =>
      rows.map((row) => ({ row, change: 'insert' as const }));
  const updated = localTimestamp((world.startDay - 30) * SECONDS_PER_DAY + 9 * 3600);
  return [
    tableIncrement(
      payments.merchants,
      'upsert',
      insert(
        world.merchants.map(
          (m): RowOf<typeof payments.merchants> => ({
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
          }),
        ),
      ),
    ),
    tableIncrement(payments.products, 'upsert', insert(products)),
    tableIncrement(
      payments.cashbackCampaigns,
      'upsert',
      insert(world.campaigns.map(({ startDay: _s, endDay: _e, ...campaign }) => campaign)),
    ),
    tableIncrement(payments.cards, 'upsert', function* () {
      for (const user of baseUsers()) {
        if (user.cardLinkedAt !== null && cardLinkDay(user)! < world.startDay)
          yield { row: cardRow(world, user, asOf), change: 'insert' };
      }
    }),
    tableIncrement(registry.tariffs, 'upsert', insert(tariffs)),
    tableIncrement(registry.legalClients, 'upsert', insert(world.legalClients.map(legalClientRow))),
    tableIncrement(registry.contracts, 'upsert', insert(world.legalClients.map(baseContract))),
    tableIncrement(registry.userProfiles, 'upsert', function* () {
      for (const user of baseUsers()) yield { row: profileRow(world, user, asOf), change: 'insert' };
    }),
    tableIncrement(registry.userSettings, 'upsert', function* () {
      for (const user of baseUsers()) {
        for (const [key, value] of settingsOf(world, user))
          yield { row: { USER_ID: user.id, SETTING_KEY: key, SETTING_VALUE: value }, change: 'insert' };
        if (user.cardLinkedAt !== null && cardLinkDay(user)! < world.startDay)
          yield {
            row: { USER_ID: user.id, SETTING_KEY: 'default_card', SETTING_VALUE: String(user.cardId) },
            change: 'insert',
          };
      }
    }),
  ];
}
