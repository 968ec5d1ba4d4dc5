import { installVersion, sessionTrace } from './app.ts';
import { BadRowInjector } from './badRows.ts';
import { logTimestamp, SECONDS_PER_DAY } from './calendar.ts';
import { userDays } from './payments.ts';
import { randomFor, Stream } from './random.ts';
import type { Generated } from './rows.ts';
import { installsWithUsers } from './users.ts';
import type { World } from './world.ts';

/** Event key=value pairs; values with spaces are double-quoted. */
function eventLine(seconds: number, pairs: Record<string, string | number>): string {
  const body = Object.entries(pairs)
    .map(([key, value]) => `${key}=${/\s/.test(String(value)) ? `"${value}"` : value}`)
    .join(' ');
  return `${logTimestamp(seconds)} INFO [event] ${body}`;
}

const httpNoise = [
  'GET /api/v2/balance 200 12ms',
  'GET /api/v2/merchants?near=1 200 48ms',
  'POST /api/v2/auth/refresh 200 7ms',
  'GET /api/v2/history 200 35ms',
  'GET /health 200 1ms',
];

/**
 * The app backend's log of a day: installs, registrations, cards linked, payments, screens,
 * clicks and crashes, with the server's own [http] lines between them, in time order.
 */
export function appLogLines(world: World, day: number): Generated<string>[] {
  const events: Array<{ at: number; line: string }> = [];
  const event = (at: number, pairs: Record<string, string | number>) =>
    events.push({ at, line: eventLine(at, pairs) });
  for (const install of installsWithUsers(world, day)) {
    const session = `s-${install.deviceId.slice(2)}`;
    const tail = { os: install.os, app: installVersion(world, install.os, day) };
    event(install.seconds, {
      device: install.deviceId,
      user: '-',
      session,
      name: 'app_install',
      channel: install.channel,
      campaign: install.campaign,
      ...tail,
    });
    if (install.registeredAt !== null)
      event(install.registeredAt, {
        device: install.deviceId,
        user: install.userId!,
        session,
        name: 'registration_complete',
        ...tail,
      });
  }
  const random = randomFor(world.options.seed, Stream.activity, day, -1);
  const campaignRunning = world.campaigns.some((c) => c.startDay <= day && day <= c.endDay);
  for (const { user, activity } of userDays(world, day)) {
    const common = { device: user.install.deviceId, user: user.id };
    const first = activity.sessions[0]!;
    const tail = { os: first.DEVICE_OS, app: first.APP_VERSION };
    if (user.cardLinkedAt !== null && Math.floor(user.cardLinkedAt / SECONDS_PER_DAY) === day)
      event(user.cardLinkedAt, { ...common, session: first.SESSION_ID, name: 'card_linked', ...tail });
    for (const [index, session] of activity.sessions.entries()) {
      const inSession = activity.payments.filter((p) => p.sessionId === session.SESSION_ID);
      const trace = sessionTrace(world, user.id, index, session, inSession, campaignRunning);
      const ids = { ...common, session: session.SESSION_ID };
      for (const view of trace.views)
        event(view.at, { ...ids, name: 'screen_view', screen: view.screen, ...tail });
      if (trace.crash)
        event(trace.crash.at, { ...ids, name: 'app_crash', screen: trace.crash.screen, ...tail });
      if (random.chance(0.3))
        event(session.startedAt + random.int(5, 60), {
          ...ids,
          name: 'click',
          screen: 'home',
          element: random.pick(['pay_button', 'history', 'cashback_banner', 'qr_scan']),
          ...tail,
        });
    }
    for (const payment of activity.payments) {
      if (payment.status !== 'success') continue;
      event(payment.transSeconds, {
        ...common,
        session: payment.sessionId,
        name: 'payment_success',
        amount: payment.amount.toFixed(2),
        currency: payment.currency,
        merchant: payment.merchant.merchant_id,
        ...tail,
      });
    }
  }
  events.sort((a, b) => a.at - b.at);
  const bad = new BadRowInjector(world, day, 'app_events');
  const lines: Generated<string>[] = [];
  for (const event of events) {
    if (random.chance(0.15)) {
      lines.push({ row: `${logTimestamp(event.at)} INFO [http] ${random.pick(httpNoise)}`, change: 'noise' });
    }
    const kind = bad.next(['broken_event_line'] as const);
    if (kind) {
      // Truncated mid-line, or a line that lost its name=.
      const broken = bad.randomness.chance(0.5)
        ? event.line.slice(0, event.line.indexOf(' name='))
        : event.line.replace(/ name=\S+/, '');
      lines.push({ row: broken, change: 'insert', bad: kind });
    } else lines.push({ row: event.line, change: 'insert' });
  }
  return lines;
}
