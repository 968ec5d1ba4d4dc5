import { tablesReadBy } from '@vitrina/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { martSpecs } from '../../src/marts/index.ts';
import { martSource } from '../../src/sql.ts';
import { type MartFixture, openMartFixture } from './fixture.ts';
import { type AppEvent, appEvents, DAYS, type Session, sessions, sum } from './world.ts';

/** The app marts (the product dashboard) over the synthetic world's sessions and app events. */
let f: MartFixture;

beforeAll(async () => {
  f = await openMartFixture();
  const outcome = await f.materialize('mart.app_*');
  expect(outcome.run.status).toBe('success');
}, 120_000);
afterAll(async () => {
  await f?.dispose();
});

const key = (...parts: Array<string | number>) => parts.join('|');
const groupBy = <T>(items: readonly T[], by: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(by(item), [...(groups.get(by(item)) ?? []), item]);
  return groups;
};
const crashesOf = (session: Session, events: readonly AppEvent[]) =>
  events.filter((e) => e.session_id === session.session_id && e.name === 'app_crash').length;

describe('mart.app_daily', () => {
  it("holds each day's sessions, time, screens and crashes per OS and version", async () => {
    const rows = await f.query(
      `SELECT toString(day) AS day, device_os, app_version, toString(version_rank) AS rank,
         toString(sessions) AS sessions, toString(session_seconds) AS seconds, toString(screen_views) AS screens,
         toString(crashes) AS crashes, toString(crashed_sessions) AS crashed, toString(crash_free_sessions) AS crash_free
       FROM app_daily ORDER BY day, device_os, version_rank`,
    );
    const expected = [...groupBy(sessions, (s) => key(s.day, s.device_os, s.app_version))]
      .map(([, group]) => {
        const [first] = group as [Session];
        const crashes = group.map((s) => crashesOf(s, appEvents));
        const [major, minor, patch] = first.app_version.split('.').map(Number) as [number, number, number];
        return {
          day: first.day,
          device_os: first.device_os,
          app_version: first.app_version,
          rank: String(major * 1_000_000 + minor * 1000 + patch),
          sessions: String(group.length),
          seconds: String(sum(group.map((s) => s.duration_s))),
          screens: String(sum(group.map((s) => s.screens))),
          crashes: String(sum(crashes)),
          crashed: String(crashes.filter((n) => n > 0).length),
          crash_free: String(crashes.filter((n) => n === 0).length),
        };
      })
      .sort((a, b) =>
        key(a.day, a.device_os, a.rank.padStart(10)).localeCompare(
          key(b.day, b.device_os, b.rank.padStart(10)),
        ),
      );
    expect(rows).toEqual(expected);
    // Numeric order: 3.9.0 before 3.10.0; crashes outside the day's sessions are left out.
    expect(
      rows.filter((r) => r.day === DAYS[2] && r.device_os === 'android').map((r) => r.app_version),
    ).toEqual(['3.9.0', '3.10.0']);
  });

  it("counts each user once a day under their last session's version: adoption sums to the day's users", async () => {
    const rows = await f.query(
      'SELECT toString(day) AS day, device_os, app_version, toString(active_users) AS users FROM app_daily',
    );
    for (const day of DAYS) {
      const ofDay = sessions.filter((s) => s.day === day);
      const last = new Map<number, Session>();
      for (const s of [...ofDay].sort((a, b) => a.started_at.localeCompare(b.started_at)))
        last.set(s.user_id, s);
      const byVersion = groupBy([...last.values()], (s) => key(s.device_os, s.app_version));
      const got = rows.filter((r) => r.day === day);
      expect(Object.fromEntries(got.map((r) => [key(r.device_os!, r.app_version!), r.users]))).toEqual(
        Object.fromEntries(
          [...groupBy(ofDay, (s) => key(s.device_os, s.app_version)).keys()].map((k) => [
            k,
            String(byVersion.get(k)?.length ?? 0),
          ]),
        ),
      );
      expect(sum(got.map((r) => Number(r.users)))).toBe(new Set(ofDay.map((s) => s.user_id)).size);
    }
    // User 2 updated during the first day: counted under 3.10.0 only, though 3.9.0 has their session.
    const [updated] = await f.query(
      `SELECT toString(active_users) AS users, toString(sessions) AS sessions FROM app_daily WHERE day = '${DAYS[0]}' AND app_version = '3.10.0'`,
    );
    expect(updated).toEqual({ users: '1', sessions: '1' });
  });
});

describe('mart.app_screens_daily', () => {
  it('holds screen views, the sessions and users showing each screen, and crashes per screen', async () => {
    const rows = await f.query(
      `SELECT toString(day) AS day, device_os, app_version, screen, toString(screen_views) AS views,
         toString(sessions) AS sessions, toString(users) AS users, toString(crashes) AS crashes
       FROM app_screens_daily ORDER BY day, device_os, app_version, screen`,
    );
    const expected = [...groupBy(appEvents, (e) => key(e.day, e.os, e.app_version, e.screen))]
      .map(([, group]) => {
        const [first] = group as [AppEvent];
        const views = group.filter((e) => e.name === 'screen_view');
        return {
          day: first.day,
          device_os: first.os,
          app_version: first.app_version,
          screen: first.screen,
          views: String(views.length),
          sessions: String(new Set(views.map((e) => e.session_id)).size),
          users: String(new Set(views.map((e) => e.user_id)).size),
          crashes: String(group.filter((e) => e.name === 'app_crash').length),
        };
      })
      .sort((a, b) =>
        key(a.day, a.device_os, a.app_version, a.screen).localeCompare(
          key(b.day, b.device_os, b.app_version, b.screen),
        ),
      );
    expect(rows).toEqual(expected);
  });

  it("agrees with mart.app_daily: a day's screen views and crashes are the same in both", async () => {
    const daily = await f.query(
      'SELECT toString(day) AS day, toString(sum(screen_views)) AS views, toString(sum(crashes)) AS crashes FROM app_daily GROUP BY day ORDER BY day',
    );
    const screens = await f.query(
      'SELECT toString(day) AS day, toString(sum(screen_views)) AS views, toString(sum(crashes)) AS crashes FROM app_screens_daily GROUP BY day ORDER BY day',
    );
    expect(screens).toEqual(daily);
  });
});

describe('the marts’ lineage', () => {
  it('declares exactly the bi tables its source query reads', () => {
    const bi = (tables: readonly string[]) => [...new Set(tables.filter((t) => t.startsWith('bi.')))].sort();
    for (const spec of martSpecs(DAYS[0]))
      expect(bi(spec.reads), spec.name).toEqual(bi(tablesReadBy(martSource(spec.name))));
  });
});
