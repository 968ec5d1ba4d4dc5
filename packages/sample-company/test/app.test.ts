import { describe, expect, it } from 'vitest';
import { APP_MODEL, releases, screens } from '../src/app.ts';
import { dayKey } from '../src/calendar.ts';
import { generateDay, rowsOf, world } from './helpers.ts';

/** The app as a product (README "The app"), computed from the raw APP_SESSIONS rows and log lines. */
const company = world({ badRowRate: 0 });
const crashy = releases(company, 'android').find((release) => release.crashy)!;
const field = (line: string, key: string) => new RegExp(`(?:^| )${key}=(\\S+)`).exec(line)?.[1] ?? null;

interface AppDay {
  sessions: Array<{ id: string; user: number; os: string; version: string; screens: number }>;
  /** session id → its screen_view screens in log order. */
  views: Map<string, string[]>;
  crashes: Array<{ session: string; os: string; version: string; screen: string }>;
}

function appDay(offset: number): AppDay {
  const increment = generateDay(company, dayKey(crashy.day + offset));
  const sessions = rowsOf(increment, 'REGISTRY.APP_SESSIONS').map(({ row }) => ({
    id: String(row.SESSION_ID),
    user: Number(row.USER_ID),
    os: String(row.DEVICE_OS),
    version: String(row.APP_VERSION),
    screens: Number(row.SCREENS),
  }));
  const views = new Map<string, string[]>();
  const crashes: AppDay['crashes'] = [];
  const log = increment.files.find((file) => file.kind === 'log')!;
  if (log.kind !== 'log') throw new Error('no log');
  for (const { row } of log.lines()) {
    const name = field(row, 'name');
    const session = field(row, 'session')!;
    if (name === 'screen_view') views.set(session, [...(views.get(session) ?? []), field(row, 'screen')!]);
    if (name === 'app_crash')
      crashes.push({
        session,
        os: field(row, 'os')!,
        version: field(row, 'app')!,
        screen: field(row, 'screen')!,
      });
  }
  return { sessions, views, crashes };
}

const crashWeek = Array.from({ length: 10 }, (_, offset) => appDay(offset));
const sessions = crashWeek.flatMap((d) => d.sessions);
const crashes = crashWeek.flatMap((d) => d.crashes);
const crashRate = (os: string, version: string) =>
  crashes.filter((c) => c.os === os && c.version === version).length /
  sessions.filter((s) => s.os === os && s.version === version).length;

describe('the app as a product', () => {
  it("logs exactly a session's SCREENS screen views, opening on home, all of the app's screens", () => {
    for (const day of crashWeek)
      for (const session of day.sessions) {
        const views = day.views.get(session.id) ?? [];
        expect(views.length, session.id).toBe(session.screens);
        expect(views[0]).toBe('home');
      }
    const seen = new Set(crashWeek.flatMap((d) => [...d.views.values()].flat()));
    expect([...seen].sort()).toEqual([...screens].sort());
  });

  it('browsing follows its weights: history, then cashback, payments, profile … support', () => {
    const counts = new Map<string, number>();
    for (const view of crashWeek.flatMap((d) => [...d.views.values()].flat()))
      counts.set(view, (counts.get(view) ?? 0) + 1);
    const of = (screen: string) => counts.get(screen) ?? 0;
    expect(of('home')).toBe(sessions.length);
    expect(of('history')).toBeGreaterThan(of('profile'));
    expect(of('profile')).toBeGreaterThan(of('support'));
    expect(of('receipt') + of('payment_error')).toBe(of('confirm'));
  });

  it('runs one version a user a day, and a release reaches most users within two weeks while older ones linger', () => {
    for (const day of crashWeek) {
      const versions = new Map<number, string>();
      for (const s of day.sessions) {
        expect(versions.get(s.user) ?? s.version, s.id).toBe(s.version);
        versions.set(s.user, s.version);
      }
    }
    const ios = releases(company, 'ios').find((r) => r.version === crashy.version)!;
    const shareOn = (day: AppDay, version: string) => {
      const users = new Map(day.sessions.filter((s) => s.os === 'ios').map((s) => [s.user, s.version]));
      return [...users.values()].filter((v) => v === version).length / users.size;
    };
    const twoWeeksOn = appDay(ios.day - crashy.day + 14);
    expect(shareOn(crashWeek[ios.day - crashy.day - 1]!, ios.version)).toBe(0);
    expect(shareOn(crashWeek[ios.day - crashy.day]!, ios.version)).toBeLessThan(0.3);
    expect(shareOn(twoWeeksOn, ios.version)).toBeGreaterThan(0.7);
    expect(shareOn(twoWeeksOn, ios.version)).toBeLessThan(0.95);
    expect(
      new Set(twoWeeksOn.sessions.filter((s) => s.os === 'ios').map((s) => s.version)).size,
    ).toBeGreaterThanOrEqual(3);
  });

  it('crashes far more on the crashy Android release, mostly on qr_scan, until its hotfix', () => {
    const hotfix = crashy.version.replace(/\.0$/, '.1');
    expect(releases(company, 'android').find((r) => r.version === hotfix)!.day).toBe(
      crashy.day + APP_MODEL.hotfixAfterDays,
    );
    expect(crashRate('android', crashy.version)).toBeGreaterThan(0.02);
    expect(crashRate('android', crashy.version)).toBeGreaterThan(3 * crashRate('android', hotfix));
    expect(crashRate('android', crashy.version)).toBeGreaterThan(3 * crashRate('ios', crashy.version));
    expect(crashRate('android', hotfix)).toBeLessThan(0.012);
    const onCrashy = crashes.filter((c) => c.version === crashy.version && c.os === 'android');
    expect(onCrashy.filter((c) => c.screen === 'qr_scan').length / onCrashy.length).toBeGreaterThan(0.5);
    // A crash belongs to a session of the day, on a screen that session showed.
    const views = new Map(crashWeek.flatMap((d) => [...d.views]));
    for (const crash of crashes) expect(views.get(crash.session)).toContain(crash.screen);
  });
});
