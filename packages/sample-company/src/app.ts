import { SECONDS_PER_DAY } from './calendar.ts';
import { randomFor, Stream } from './random.ts';
import type { User, World } from './world.ts';

/*
 * The app as a product: the releases of each OS over time, the version a user runs on a day, the
 * screens a session shows and the crashes it logs. Ground truth (README "The app"); everything is
 * drawn from (seed, stream `app`, …) so sessions, payments and the other streams are untouched.
 */

export type Os = 'android' | 'ios';

/** The screens of the app; a session opens on `home`. */
export const screens = [
  'home',
  'payments',
  'qr_scan',
  'transfers',
  'confirm',
  'receipt',
  'payment_error',
  'history',
  'cashback',
  'profile',
  'cards',
  'support',
] as const;
export type Screen = (typeof screens)[number];

/** Ground truth of releases, adoption and crashes. */
export const APP_MODEL = {
  major: 3,
  /** The minor current when the app launched (HISTORY_DAYS before start), released 10 days earlier. */
  firstMinor: 8,
  /** A new minor every 21–28 days on Android; iOS gets the same minor 1–3 days later (store review). */
  minorEveryDays: [21, 28],
  iosReviewDays: [1, 3],
  /**
   * Update lag after a release, in days, exponential: 70% of users auto-update (mean 4 days: a
   * staged rollout), 30% update by hand (mean 20 days), so about 80% run a release two weeks after
   * it is out and older ones linger. A new install gets the newest release of its day.
   */
  autoUpdateShare: 0.7,
  autoLagMeanDays: 4,
  manualLagMeanDays: 20,
  /** Crash probability per screen view by OS; `qr_scan` (the camera) crashes 3× as often. */
  crashPerView: { android: 0.0008, ios: 0.0005 },
  qrScanCrashFactor: 3,
  /**
   * The crashy release: the first Android minor released 10 or more days after start crashes on
   * `qr_scan` with probability 0.06 per view and 2× as often elsewhere; its hotfix x.y.1 follows
   * 4 days later (Android only) and crashes like any other release.
   */
  crashyAfterStartDays: 10,
  crashyQrScanCrash: 0.06,
  crashyOtherFactor: 2,
  hotfixAfterDays: 4,
  /** Screens browsed besides paying (relative weights); `cashback` ×1.6 while a campaign runs. */
  browseWeights: {
    history: 30,
    cashback: 20,
    payments: 14,
    profile: 12,
    cards: 8,
    transfers: 6,
    qr_scan: 6,
    support: 4,
  } satisfies Partial<Record<Screen, number>>,
  campaignCashbackLift: 1.6,
} as const;

export interface Release {
  os: Os;
  version: string;
  day: number;
  /** Distinct per OS and version: seeds the users' update lags for this release. */
  key: number;
  crashy: boolean;
}

/** Each OS's releases in day order, from before the launch to ten years after start (a memo). */
export function releases(world: World, os: Os): readonly Release[] {
  const memoKey = `releases:${os}`;
  const known = world.memo.get(memoKey) as Release[] | undefined;
  if (known) return known;
  const random = randomFor(world.options.seed, Stream.app, -1);
  const model = APP_MODEL;
  const byOs: Record<Os, Release[]> = { android: [], ios: [] };
  const release = (target: Os, minor: number, patch: number, day: number, crashy = false) =>
    byOs[target].push({
      os: target,
      version: `${model.major}.${minor}.${patch}`,
      day,
      key: (target === 'ios' ? 1_000_000 : 0) + minor * 100 + patch,
      crashy,
    });
  let crashyDone = false;
  let day = world.originDay - 10;
  for (let minor = model.firstMinor; day <= world.startDay + 3650; minor++) {
    const crashy = !crashyDone && day >= world.startDay + model.crashyAfterStartDays;
    release('android', minor, 0, day, crashy);
    if (crashy) {
      crashyDone = true;
      release('android', minor, 1, day + model.hotfixAfterDays);
    }
    release('ios', minor, 0, day + random.int(model.iosReviewDays[0], model.iosReviewDays[1]));
    day += random.int(model.minorEveryDays[0], model.minorEveryDays[1]);
  }
  world.memo.set('releases:android', byOs.android);
  world.memo.set('releases:ios', byOs.ios);
  return byOs[os];
}

/** The index of the newest release out by `day` (the first one when none is). */
function newestBy(list: readonly Release[], day: number): number {
  let low = 0;
  let high = list.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (list[middle]!.day <= day) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** What the store installs on `day`: its newest release for the OS. */
export function installVersion(world: World, os: Os, day: number): string {
  const list = releases(world, os);
  return list[newestBy(list, day)]!.version;
}

/**
 * The version a user runs on `day`: the newest release whose update lag (drawn per user and
 * release) has passed, never older than what the user installed. One version a day, so every
 * session and log line of a user's day carries the same.
 */
export function appVersion(world: World, user: User, day: number): string {
  const list = releases(world, user.install.os);
  const seed = world.options.seed;
  const manual = !randomFor(seed, Stream.app, user.id, -1).chance(APP_MODEL.autoUpdateShare);
  const mean = manual ? APP_MODEL.manualLagMeanDays : APP_MODEL.autoLagMeanDays;
  for (let index = newestBy(list, day); index >= 0; index--) {
    const release = list[index]!;
    if (release.day <= user.install.day) return release.version;
    const lag = -mean * Math.log(1 - randomFor(seed, Stream.app, user.id, release.key).next());
    if (release.day + Math.floor(lag) <= day) return release.version;
  }
  return list[0]!.version;
}

function releaseOf(world: World, os: Os, version: string): Release | undefined {
  const memoKey = `releaseByVersion:${os}`;
  let byVersion = world.memo.get(memoKey) as Map<string, Release> | undefined;
  if (!byVersion) {
    byVersion = new Map(releases(world, os).map((release) => [release.version, release]));
    world.memo.set(memoKey, byVersion);
  }
  return byVersion.get(version);
}

/** What a session needs to be traced: its timing and the payments made in it. */
export interface TracedSession {
  startedAt: number;
  endedAt: number;
  DEVICE_OS: Os;
  APP_VERSION: string;
  /** Screen views: `home`, the browsed screens, and three per payment. */
  SCREENS: number;
}
export interface SessionPayment {
  transSeconds: number;
  method: string;
  operationType: string;
  status: string;
}
export interface ScreenView {
  at: number;
  screen: Screen;
}
export interface SessionTrace {
  /** In time order; exactly `SCREENS` of them. */
  views: ScreenView[];
  /** The session's crash (at most one; the app restarts into the same session), on the screen it happened. */
  crash: ScreenView | null;
}

/** The screen a payment starts from. */
const entryScreen = (payment: SessionPayment): Screen =>
  payment.method === 'qr' ? 'qr_scan' : payment.operationType === 'p2p_transfer' ? 'transfers' : 'payments';

const browseScreens = Object.keys(APP_MODEL.browseWeights) as Screen[];

/**
 * A session's screen views and crash, from (seed, day, user, session index): `home` when it opens,
 * each payment's entry screen (`qr_scan`, `transfers` or `payments`), `confirm` and `receipt` (or
 * `payment_error` when it failed), and SCREENS − 1 − 3 × payments browsed screens.
 */
export function sessionTrace(
  world: World,
  userId: number,
  index: number,
  session: TracedSession,
  payments: readonly SessionPayment[],
  campaignRunning: boolean,
): SessionTrace {
  const day = Math.floor(session.startedAt / SECONDS_PER_DAY);
  const random = randomFor(world.options.seed, Stream.app, day, userId, index);
  const views: ScreenView[] = [{ at: session.startedAt, screen: 'home' }];
  for (const payment of payments) {
    const confirm = Math.max(session.startedAt + 2, payment.transSeconds - random.int(2, 8));
    const entry = Math.max(session.startedAt + 1, confirm - random.int(8, 80));
    views.push({ at: entry, screen: entryScreen(payment) });
    views.push({ at: confirm, screen: 'confirm' });
    views.push({
      at: payment.transSeconds + random.int(1, 3),
      screen: payment.status === 'failed' ? 'payment_error' : 'receipt',
    });
  }
  const weights = browseScreens.map(
    (screen) =>
      APP_MODEL.browseWeights[screen as keyof typeof APP_MODEL.browseWeights] *
      (screen === 'cashback' && campaignRunning ? APP_MODEL.campaignCashbackLift : 1),
  );
  const span = Math.max(1, session.endedAt - session.startedAt);
  for (let i = views.length; i < session.SCREENS; i++)
    views.push({
      at: session.startedAt + random.int(1, span),
      screen: browseScreens[random.weighted(weights)]!,
    });
  views.sort((a, b) => a.at - b.at);
  const release = releaseOf(world, session.DEVICE_OS, session.APP_VERSION);
  const base = APP_MODEL.crashPerView[session.DEVICE_OS];
  let crash: ScreenView | null = null;
  for (const view of views) {
    const qr = view.screen === 'qr_scan';
    const probability = release?.crashy
      ? qr
        ? APP_MODEL.crashyQrScanCrash
        : base * APP_MODEL.crashyOtherFactor
      : base * (qr ? APP_MODEL.qrScanCrashFactor : 1);
    if (random.chance(probability)) {
      crash = { at: Math.min(view.at + random.int(1, 15), session.endedAt), screen: view.screen };
      break;
    }
  }
  return { views, crash };
}
