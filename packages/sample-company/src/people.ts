import { localTimestamp, SECONDS_PER_DAY } from './calendar.ts';
import { type Random, randomFor, Stream } from './random.ts';
import {
  cities,
  emailDomains,
  femaleNames,
  maleNames,
  mobileCodes,
  surnameFor,
  surnames,
} from './reference.ts';
import { addressIn, type User, type World } from './world.ts';

const translit: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'sch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};
const latin = (text: string) => [...text.toLowerCase()].map((char) => translit[char] ?? char).join('');

/** The ways people type a Belarusian mobile number: '+375 29 123-45-67', '80291234567', '375291234567'… */
export function formatPhone(national: string, style: number): string {
  const code = national.slice(0, 2);
  const rest = national.slice(2);
  switch (style % 5) {
    case 0:
      return `+375 ${code} ${rest.slice(0, 3)}-${rest.slice(3, 5)}-${rest.slice(5)}`;
    case 1:
      return `80${national}`;
    case 2:
      return `375${national}`;
    case 3:
      return `+375${national}`;
    default:
      return `8 (0${code}) ${rest.slice(0, 3)}-${rest.slice(3, 5)}-${rest.slice(5)}`;
  }
}

/** The ways an e-mail gets typed: as is, capitalised, upper-case domain, stray spaces. */
export function formatEmail(email: string, style: number): string {
  switch (style % 4) {
    case 0:
      return email;
    case 1:
      return email.charAt(0).toUpperCase() + email.slice(1);
    case 2: {
      const [local, domain] = email.split('@') as [string, string];
      return `${local}@${domain.toUpperCase()}`;
    }
    default:
      return ` ${email} `;
  }
}

export interface Person {
  gender: 'M' | 'F';
  firstName: string;
  lastName: string;
  birthDate: string;
  /** Nine digits after +375: operator code and number; the stable identity behind every format. */
  phone: string;
  /** Lower-case canonical e-mail. */
  email: string;
  address: string | null;
}

/** Who a user is: drawn from (seed, user id), never changes. */
export function personOf(world: World, user: User): Person {
  const random = randomFor(world.options.seed, Stream.profile, user.id);
  return personFrom(random, cities[user.cityIndex]!.name, user.id);
}

export function personFrom(random: Random, city: string, id: number): Person {
  const gender = random.chance(0.52) ? 'F' : 'M';
  const firstName = random.pick(gender === 'F' ? femaleNames : maleNames);
  const lastName = surnameFor(random.pick(surnames), gender);
  const birthYear = 2008 - Math.floor(random.logNormal(14, 0.5));
  return {
    gender,
    firstName,
    lastName,
    birthDate: `${Math.max(1940, birthYear)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
    phone: `${random.pick(mobileCodes)}${random.digits(7)}`,
    email: `${latin(firstName)}.${latin(lastName)}${id % 1000}@${random.pick(emailDomains)}`,
    address: random.chance(0.35) ? addressIn(random, city) : null,
  };
}

export interface UserProfileRow {
  USER_ID: number;
  PHONE: string | null;
  EMAIL: string | null;
  FIRST_NAME: string | null;
  LAST_NAME: string | null;
  BIRTH_DATE: string | null;
  GENDER: string | null;
  REGION: string;
  CITY: string;
  ADDRESS: string | null;
  REGISTERED_AT: string;
  ACQ_CHANNEL: string;
  DEVICE_OS: string;
  DEVICE_ID: string;
  STATUS: string;
  UPDATED_AT: string;
}

interface ProfileState {
  phoneStyle: number;
  emailStyle: number;
  address: string | null;
  updatedAt: number;
  /** Every address the profile has held. */
  addresses: string[];
}

/** The profile's mutable fields at the end of `day`: each update re-draws them, the latest wins. */
function profileState(world: World, user: User, person: Person, day: number): ProfileState {
  const base = randomFor(world.options.seed, Stream.profile, user.id, 1);
  const state: ProfileState = {
    phoneStyle: base.int(0, 4),
    emailStyle: base.int(0, 3),
    address: person.address,
    updatedAt: user.registeredAt,
    addresses: person.address ? [person.address] : [],
  };
  for (const update of user.profileUpdateDays) {
    if (update > day) break;
    const random = randomFor(world.options.seed, Stream.profileUpdate, user.id, update);
    state.phoneStyle = random.int(0, 4);
    state.emailStyle = random.int(0, 3);
    if (random.chance(0.5)) {
      state.address = addressIn(random, cities[user.cityIndex]!.name);
      state.addresses.push(state.address);
    }
    state.updatedAt = update * SECONDS_PER_DAY + random.int(8 * 3600, 22 * 3600);
  }
  if (user.deletedDay !== null && user.deletedDay <= day)
    state.updatedAt = Math.max(state.updatedAt, user.deletedDay * SECONDS_PER_DAY + 10 * 3600);
  return state;
}

/** The registry's profile row as it stands at the end of `day`. */
export function profileRow(world: World, user: User, day: number): UserProfileRow {
  const person = personOf(world, user);
  const state = profileState(world, user, person, day);
  const city = cities[user.cityIndex]!;
  return {
    USER_ID: user.id,
    PHONE: formatPhone(person.phone, state.phoneStyle),
    EMAIL: formatEmail(person.email, state.emailStyle),
    FIRST_NAME: person.firstName,
    LAST_NAME: person.lastName,
    BIRTH_DATE: person.birthDate,
    GENDER: person.gender,
    REGION: city.region,
    CITY: city.name,
    ADDRESS: state.address,
    REGISTERED_AT: localTimestamp(user.registeredAt),
    ACQ_CHANNEL: user.install.channel,
    DEVICE_OS: user.install.os,
    DEVICE_ID: user.install.deviceId,
    STATUS: user.deletedDay !== null && user.deletedDay <= day ? 'deleted' : 'active',
    UPDATED_AT: localTimestamp(state.updatedAt),
  };
}

/** Every address a user profile has held up to `day` (for the geocoder fixtures). */
export function profileAddresses(world: World, user: User, day: number): string[] {
  return profileState(world, user, personOf(world, user), day).addresses;
}
