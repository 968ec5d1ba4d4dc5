import { addDays, type Raw } from '../warehouse/generatorRows.ts';
import { cardWithin3Days, churnCohort, type Success } from './insightsFromGenerator.ts';

/**
 * What the planted behaviours make each conclusion expect, from the generator's parameters as
 * packages/sample-company/README.md ("Ground truth") states them (restated here: the analysis code
 * never reads them), applied to what the raw rows say about who was there when (registration days,
 * card delays, ages). Used by the test for the bands the conclusions' figures must fall in.
 */

/** README "Acquisition by channel": registration, card linked, payment intensity. */
export const CHANNELS: Record<string, { registration: number; card: number; intensity: number }> = {
  organic: { registration: 0.68, card: 0.72, intensity: 1.0 },
  google_ads: { registration: 0.6, card: 0.62, intensity: 1.0 },
  yandex_direct: { registration: 0.62, card: 0.64, intensity: 0.95 },
  meta_ads: { registration: 0.5, card: 0.48, intensity: 0.8 },
  tiktok_ads: { registration: 0.42, card: 0.36, intensity: 0.6 },
  referral: { registration: 0.78, card: 0.78, intensity: 1.15 },
  partner: { registration: 0.7, card: 0.66, intensity: 0.9 },
};

/** README "Churn": daily hazard by when the card was linked (packages/sample-company/src/users.ts CHURN_HAZARD). */
export const CHURN_HAZARD = { cardInThreeDays: 0.0025, cardLater: 0.02, noCard: 0.05 } as const;

/** README "Payment mix": weekday weight and weekend multiplier of each kind of payment. */
const KIND_WEIGHTS: Record<string, [number, number]> = {
  grocery: [40, 1.4],
  cafe: [11, 1.3],
  pharmacy: [7, 0.9],
  transport: [10, 0.6],
  utilities: [7, 0.5],
  telecom: [7, 0.8],
  auto: [4, 1.1],
  other: [8, 1],
  p2p: [6, 0.9],
};
/** README "Tyre seasons": auto demand ×2.5 from 15 October to 30 November (×2 from 15 March to 30 April). */
export const TYRE_MULTIPLIER = 2.5;
/** README "Cashback campaigns, vertical": one every 30 days from start + 15, cycling; ×1.3 on its vertical. */
const VERTICAL_CAMPAIGNS = [
  { vertical: 'auto', days: 21 },
  { vertical: 'cafe', days: 14 },
  { vertical: 'grocery', days: 21 },
  { vertical: 'pharmacy', days: 14 },
];
const CAMPAIGN_LIFT = 1.3;

const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
const isWeekend = (day: string) => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
const seconds = (timestamp: string) => Date.parse(`${timestamp.replace(' ', 'T')}Z`) / 1000;
/** The season of the tyre_season query (and of the generator: autoSeason). */
export const inTyreSeason = (day: string) => {
  const md = Number(day.slice(5, 7)) * 100 + Number(day.slice(8, 10));
  return (md >= 1015 && md <= 1130) || (md >= 315 && md <= 430);
};

/**
 * README "Card linking delay": of users who link, 55% within 6 hours, 25% after 1–3 days, 20% after
 * 4–21 days (uniform). The share of linkers who have linked `age` days after registering.
 */
export function linkedBy(age: number): number {
  return 0.8 + 0.2 * Math.min(1, Math.max(0, (age - 4) / 17));
}

/**
 * card_bottleneck: each channel's expected card rate among the registrations it compares (those
 * registered from `first` to `cutoff`, seen on `newest`): the planted rate times the share of linkers
 * done by each one's age; with its binomial standard error.
 */
export function expectedCardRates(raw: Raw, first: string, cutoff: string, newest: string) {
  const sums = new Map<string, { n: number; expected: number }>();
  for (const user of raw.users.values()) {
    if (user.registrationDay < first || user.registrationDay > cutoff) continue;
    const planted = CHANNELS[user.channel]!.card;
    const cell = sums.get(user.channel) ?? { n: 0, expected: 0 };
    cell.n++;
    cell.expected += planted * linkedBy(daysBetween(user.registrationDay, newest));
    sums.set(user.channel, cell);
  }
  return new Map(
    [...sums].map(([channel, { n, expected }]) => {
      const rate = expected / n;
      return [channel, { rate, se: Math.sqrt((rate * (1 - rate)) / n), n }];
    }),
  );
}

/** card_bottleneck: the registration rate expected of the installs from `first` to `cutoff`, with its standard error. */
export function expectedRegistrationRate(raw: Raw, first: string, cutoff: string) {
  let n = 0;
  let expected = 0;
  for (const install of raw.installs.values()) {
    if (install.day < first || install.day > cutoff) continue;
    n++;
    expected += CHANNELS[install.channel]!.registration;
  }
  const rate = expected / n;
  return { rate, se: Math.sqrt((rate * (1 - rate)) / n) };
}

/** The pooled card rate expected of every registration card_bottleneck counts (expectedCardRates). */
export function pooledCardRate(rates: ReturnType<typeof expectedCardRates>) {
  const all = [...rates.values()];
  const n = all.reduce((sum, e) => sum + e.n, 0);
  const rate = all.reduce((sum, e) => sum + e.rate * e.n, 0) / n;
  return { rate, se: Math.sqrt((rate * (1 - rate)) / n) };
}

/**
 * channel_value: a channel's expected commission per registered user is proportional to its card
 * rate times the payments of an active day, 1 + λ with λ's mean 2.5 × intensity (README "Activity");
 * the commission per payment and the activity and churn of a paying user do not depend on the channel.
 */
export const valueIndex = (channel: string) =>
  CHANNELS[channel]!.card * (1 + 2.5 * CHANNELS[channel]!.intensity);

/**
 * early_card_churn: each compared user's probability of counting as churned under the planted
 * hazards. churnDay = registration day + G, G geometric (≥ 1 day) with the user's hazard; a user pays
 * only from the card's day d, so one who paid has G > d; churned (no own payment in the last 30 days
 * before as_of, age A) when G ≤ A − 29: P = 1 − (1 − h)^(A − 29 − d) (d = 0 for a card within 3 days).
 * Days without a payment before churning are neglected (a paying user is active 40–80% of days).
 */
export function expectedChurn(raw: Raw, successes: readonly Success[]) {
  const { cohort, asOf } = churnCohort(raw, successes);
  const groups = { early: { n: 0, expected: 0 }, late: { n: 0, expected: 0 } };
  for (const user of cohort) {
    const profile = raw.users.get(user.userId)!;
    const age = daysBetween(user.registrationDay, asOf);
    const early = cardWithin3Days(raw, user.userId);
    const linked = raw.cardLinkedAt.get(user.userId);
    const delay =
      early || linked === undefined
        ? 0
        : Math.floor(seconds(linked) / 86_400) - Math.floor(seconds(profile.registeredAt) / 86_400);
    const hazard = early ? CHURN_HAZARD.cardInThreeDays : CHURN_HAZARD.cardLater;
    const exposed = Math.max(0, age - 29 - delay);
    const group = early ? groups.early : groups.late;
    group.n++;
    group.expected += 1 - (1 - hazard) ** exposed;
  }
  const rate = (group: { n: number; expected: number }) => {
    const p = group.expected / group.n;
    return { rate: p, se: Math.sqrt((p * (1 - p)) / group.n), n: group.n };
  };
  return { early: rate(groups.early), late: rate(groups.late) };
}

/**
 * tyre_season normalised for the mix: the auto share of payments expected in the season over that
 * off it, from the kinds' weights of each day (weekend multipliers, auto ×2.5 in the season, ×1.3
 * while a vertical campaign of the kind runs) — what the planted ×2.5 becomes once the other kinds
 * share the day.
 */
export function expectedAutoShareRatio(start: string, days: readonly string[]): number {
  const share = (day: string) => {
    const index = Math.floor((daysBetween(start, day) - 15) / 30);
    const campaign = index >= 0 ? VERTICAL_CAMPAIGNS[index % VERTICAL_CAMPAIGNS.length]! : null;
    const running = campaign && daysBetween(start, day) - 15 - index * 30 < campaign.days ? campaign : null;
    let total = 0;
    let auto = 0;
    for (const [kind, [weekday, weekend]] of Object.entries(KIND_WEIGHTS)) {
      let weight = weekday * (isWeekend(day) ? weekend : 1);
      if (kind === 'auto' && inTyreSeason(day)) weight *= TYRE_MULTIPLIER;
      if (running?.vertical === kind) weight *= CAMPAIGN_LIFT;
      total += weight;
      if (kind === 'auto') auto = weight;
    }
    return auto / total;
  };
  const mean = (list: readonly string[]) => list.reduce((sum, day) => sum + share(day), 0) / list.length;
  return mean(days.filter(inTyreSeason)) / mean(days.filter((day) => !inTyreSeason(day)));
}

/** All successful B2C payments a day, season over off-season: what divides tyre_season's ratio to normalise it. */
export function b2cSeasonRatio(successes: readonly Success[], days: readonly string[]): number {
  const perDay = new Map(days.map((day) => [day, 0]));
  for (const s of successes) if (s.b2c) perDay.set(s.payment.day, (perDay.get(s.payment.day) ?? 0) + 1);
  const mean = (keep: (day: string) => boolean) => {
    const list = [...perDay].filter(([day]) => keep(day));
    return list.reduce((sum, [, n]) => sum + n, 0) / list.length;
  };
  return mean(inTyreSeason) / mean((day) => !inTyreSeason(day));
}

/**
 * release_crashes: the crashy release, README "Crashes": the first Android minor released 10 or more
 * days after start (its x.y.0; a release is out from the first day a session runs it), with its
 * hotfix x.y.1 four days later. Null when the loaded days hold none.
 */
export function crashyRelease(raw: Raw, start: string) {
  const firstSeen = new Map<string, string>();
  for (const session of raw.sessions.values()) {
    if (session.os !== 'android' || !raw.loaded.has(session.day)) continue;
    const known = firstSeen.get(session.version);
    if (!known || session.day < known) firstSeen.set(session.version, session.day);
  }
  const minors = [...firstSeen]
    .filter(([version]) => version.endsWith('.0'))
    .sort(([, a], [, b]) => (a < b ? -1 : 1));
  const crashy = minors.find(([, day]) => day >= addDays(start, 10));
  if (!crashy) return null;
  const hotfix = crashy[0].replace(/\.0$/, '.1');
  return { version: crashy[0], released: crashy[1], hotfix, hotfixReleased: firstSeen.get(hotfix) ?? null };
}
