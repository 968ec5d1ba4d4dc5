/**
 * How many days the Superset tests seed, ending yesterday (Europe/Minsk, as realMarts.ts): from the
 * first day of the last complete calendar month, so that monthly charts, which show complete
 * months only, have one — 28 to 61 days (yesterday the last of its month: that month; otherwise
 * the month before it too). VITRINA_SUPERSET_TEST_DAYS overrides it.
 */
export function testDays(env: Record<string, string | undefined> = process.env, now = new Date()): number {
  if (env.VITRINA_SUPERSET_TEST_DAYS) return Number(env.VITRINA_SUPERSET_TEST_DAYS);
  const today = Date.parse(`${now.toLocaleDateString('sv-SE', { timeZone: 'Europe/Minsk' })}T00:00:00Z`);
  const yesterday = new Date(today - 86_400_000);
  const monthEnds = new Date(today).getUTCDate() === 1;
  const first = Date.UTC(yesterday.getUTCFullYear(), yesterday.getUTCMonth() - (monthEnds ? 0 : 1), 1);
  return Math.round((yesterday.getTime() - first) / 86_400_000) + 1;
}
