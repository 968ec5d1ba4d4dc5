import { isWeekend, monthAndDate, SECONDS_PER_DAY } from './calendar.ts';
import { type Random, randomFor, Stream } from './random.ts';
import { channelModel, channels, cities, groceryChains } from './reference.ts';
import type { Install, User, World } from './world.ts';

/*
 * The app's users: each day's installs by channel, the users they register (ids in registration
 * order) and each user's whole life, drawn once from (seed, user id).
 */

/** Install volume grows 0.2% a day (≈ 6% a month); weekends bring 15% more installs. */
export function growth(world: World, day: number): number {
  return Math.exp(0.002 * (day - world.startDay)) * (isWeekend(day) ? 1.15 : 1);
}

/** A day's installs, in time order; registering installs carry their user id. */
export function installsOn(world: World, day: number, firstUserId: number): Install[] {
  const random = randomFor(world.options.seed, Stream.installs, day);
  const installs: Install[] = [];
  const { month } = monthAndDate(day);
  const monthName = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'][
    month - 1
  ]!;
  for (const channel of channels) {
    const model = channelModel[channel];
    const count = random.poisson(model.installsPerDay * world.options.scale * growth(world, day));
    for (let i = 0; i < count; i++) {
      const campaign = random.pick(model.campaigns);
      installs.push({
        day,
        seconds: day * SECONDS_PER_DAY + Math.floor(sampleHour(random, installHours) * 3600),
        deviceId: `d-${random.hex(10)}`,
        os: random.chance(0.68) ? 'android' : 'ios',
        channel,
        campaign: campaign === '-' ? '-' : `${campaign}_${monthName}`,
        userId: null,
        registeredAt: random.chance(model.registration) ? 1 : null,
      });
    }
  }
  installs.sort((a, b) => a.seconds - b.seconds || a.deviceId.localeCompare(b.deviceId));
  let next = firstUserId;
  for (const install of installs) {
    if (install.registeredAt === null) continue;
    install.userId = next++;
    install.registeredAt = Math.min(
      install.seconds + 60 + Math.floor(random.next() * 1800),
      (day + 1) * SECONDS_PER_DAY - 1,
    );
  }
  return installs;
}

/** A day's installs with the ids of the users they registered. */
export function installsWithUsers(world: World, day: number): Install[] {
  world.usersThrough(day);
  return installsOn(world, day, world.memo.get(`firstUserId:${day}`) as number);
}

const installHours = [
  1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 3.5, 4, 4, 4.5, 4.5, 4.5, 4.5, 5, 5.5, 6.5, 7.5, 8, 7, 5, 2.5,
];

/** An hour (fractional) drawn from 24 weights. */
export function sampleHour(random: Random, weights: readonly number[]): number {
  return random.weighted(weights) + random.next();
}

export const FIRST_USER_ID = 10_001;

/**
 * The user base as a memo extended day by day from the app's launch: user ids are sequential in
 * registration order, so extending it in order keeps every user's id (and everything derived from
 * it) the same whichever day is generated first.
 */
export function userPopulation(world: World): (day: number) => readonly User[] {
  const users: User[] = [];
  let through = world.originDay - 1;
  return (day: number) => {
    while (through < day) {
      through++;
      const firstId = FIRST_USER_ID + users.length;
      for (const install of installsOn(world, through, firstId)) {
        if (install.userId !== null) users.push(lifecycle(world, install));
      }
      world.memo.set(`firstUserId:${through}`, firstId);
    }
    return users;
  };
}

/**
 * A user's whole life, drawn once from (seed, user id): card linking, churn, activity, profile
 * updates. The ground-truth parameters live here and in the README.
 */
function lifecycle(world: World, install: Install): User {
  const id = install.userId!;
  const random = randomFor(world.options.seed, Stream.user, id);
  const registeredAt = install.registeredAt!;
  const registrationDay = install.day;
  const model = channelModel[install.channel];
  let cardLinkedAt: number | null = null;
  if (random.chance(model.cardLinked)) {
    const bucket = random.weighted([55, 25, 20]);
    const delaySeconds =
      bucket === 0
        ? 120 + random.next() * 6 * 3600
        : bucket === 1
          ? (1 + random.next() * 2) * SECONDS_PER_DAY
          : (4 + random.next() * 17) * SECONDS_PER_DAY;
    cardLinkedAt = Math.floor(registeredAt + delaySeconds);
  }
  const earlyCard = cardLinkedAt !== null && cardLinkedAt - registeredAt <= 3 * SECONDS_PER_DAY;
  const hazard = earlyCard
    ? CHURN_HAZARD.cardInThreeDays
    : cardLinkedAt !== null
      ? CHURN_HAZARD.cardLater
      : CHURN_HAZARD.noCard;
  const churnDay = registrationDay + random.geometric(hazard);
  const updates = random.poisson(0.8);
  const profileUpdateDays: number[] = [];
  for (let i = 0; i < updates; i++) profileUpdateDays.push(registrationDay + random.int(1, 150));
  profileUpdateDays.sort((a, b) => a - b);
  const chainWeights = [...groceryWeights];
  return {
    id,
    install,
    registeredAt,
    registrationDay,
    cityIndex: random.weighted(cityWeights),
    cardLinkedAt,
    cardId: id * 10 + 1,
    churnDay,
    activeProbability: 0.4 + random.next() * 0.4,
    intensity: random.logNormal(2.5 * model.intensity, 0.5),
    favouriteChain: random.weighted(chainWeights),
    profileUpdateDays: [...new Set(profileUpdateDays)],
    deletedDay: random.chance(0.25) ? churnDay + random.int(20, 60) : null,
    crmContactDay: random.chance(0.08) ? registrationDay + random.int(0, 30) : null,
  };
}

const cityWeights = cities.map((city) => city.weight);
/** The favourite grocery chain's weights, single stores last. */
export const groceryWeights = [...groceryChains.map((chain) => chain.weight), 22];

/** Daily churn hazards: users who link a card within 3 days of registering stay far longer. */
export const CHURN_HAZARD = { cardInThreeDays: 0.0025, cardLater: 0.02, noCard: 0.05 } as const;
