import { dayNumber } from './calendar.ts';
import { crmDayTables, crmSnapshotTables, dealsWonOn } from './crm.ts';
import { dayFiles } from './files.ts';
import { nbrbFixture, yandexFixture } from './fixtures.ts';
import { paymentTables } from './payments.ts';
import { profileAddresses } from './people.ts';
import { registryDayTables, snapshotTables, wonContract } from './registry.ts';
import type { DayIncrement, Fixture } from './rows.ts';
import type { World } from './world.ts';

/**
 * Everything the company's systems receive on `day`: new rows, late rows for the days before,
 * updates of older rows, the day's files and the API answers. Pure: the same world options and day
 * give the same increment, whichever days were generated before. Tables and files are re-iterable
 * generators, so a large day streams instead of landing in memory.
 */
export function generateDay(world: World, day: string): DayIncrement {
  const number = dayNumber(day);
  if (number < world.startDay) throw new Error(`${day} is before the company's start ${world.options.start}`);
  const won = dealsWonOn(world, number);
  return {
    day,
    tables: [
      ...crmDayTables(world, number),
      ...paymentTables(world, number),
      ...registryDayTables(world, number, won),
    ],
    files: dayFiles(world, number, won),
    fixtures: function* (): Generator<Fixture> {
      yield nbrbFixture(world, number);
      const addresses = new Set<string>(won.map((plan) => wonContract(world, plan).client.ADDRESS));
      for (const user of world.usersThrough(number)) {
        if (user.registrationDay > number) break;
        if (user.registrationDay === number || user.profileUpdateDays.includes(number)) {
          for (const address of profileAddresses(world, user, number)) addresses.add(address);
        }
      }
      for (const address of addresses) yield yandexFixture(address);
    },
  };
}

/**
 * The company as it stands at the end of `asOf` (the day before the first seeded day) for what
 * existed before `start`: catalogues, merchants, the initial clients, users and cards, CRM
 * reference lists and companies, and the geocoder's answers for their addresses.
 */
export function generateSnapshot(world: World, asOf: string): DayIncrement {
  return {
    day: 'snapshot',
    tables: [...crmSnapshotTables(world), ...snapshotTables(world, dayNumber(asOf))],
    files: [],
    fixtures: function* (): Generator<Fixture> {
      const addresses = new Set<string>();
      for (const merchant of world.merchants) addresses.add(merchant.address);
      for (const client of world.legalClients) addresses.add(client.ADDRESS);
      for (const user of world.usersThrough(world.startDay - 1)) {
        if (user.registrationDay >= world.startDay) break;
        for (const address of profileAddresses(world, user, dayNumber(asOf))) addresses.add(address);
      }
      for (const address of addresses) yield yandexFixture(address);
    },
  };
}
