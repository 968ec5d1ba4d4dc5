import { createWorld, generateDay } from '@vitrina/sample-company';
import { goodRows, logField } from '../warehouse/generatorRows.ts';

/** A day × OS × version of the app as the registry's sessions and the app's log hold it. */
export interface AppDay {
  day: string;
  device_os: string;
  app_version: string;
  sessions: number;
  screen_views: number;
  crashes: number;
}

/**
 * mart.app_daily's counts straight from the generator: the good APP_SESSIONS rows of each day, and
 * the good `app_crash` lines of its log counted under their session's OS and version.
 */
export function appDaysFromGenerator(
  options: { seed: number; scale: number; start: string },
  days: readonly string[],
): AppDay[] {
  const world = createWorld(options);
  const result = new Map<string, AppDay>();
  for (const day of days) {
    const increment = generateDay(world, day);
    const sessionKey = new Map<string, string>();
    for (const table of increment.tables) {
      if (table.table !== 'REGISTRY.APP_SESSIONS') continue;
      for (const row of goodRows(table)) {
        const key = `${day}|${row.DEVICE_OS}|${row.APP_VERSION}`;
        sessionKey.set(String(row.SESSION_ID), key);
        const entry = result.get(key) ?? {
          day,
          device_os: String(row.DEVICE_OS),
          app_version: String(row.APP_VERSION),
          sessions: 0,
          screen_views: 0,
          crashes: 0,
        };
        entry.sessions++;
        entry.screen_views += Number(row.SCREENS);
        result.set(key, entry);
      }
    }
    for (const file of increment.files) {
      if (file.kind !== 'log') continue;
      for (const { row, bad } of file.lines()) {
        if (bad || logField(row, 'name') !== 'app_crash') continue;
        const key = sessionKey.get(logField(row, 'session') ?? '');
        if (key) result.get(key)!.crashes++;
      }
    }
  }
  // In ClickHouse's ORDER BY day, device_os, app_version: byte order.
  const order = (row: AppDay) => `${row.day}|${row.device_os}|${row.app_version}`;
  return [...result.values()].sort((a, b) => (order(a) < order(b) ? -1 : 1));
}
