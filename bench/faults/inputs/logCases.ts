import { garbage, joinLines, linesOf } from './bytes.ts';
import type { Harness } from './harness.ts';
import { type CaseSpec, inboxCase, literally } from './spec.ts';

// The app backend's daily log (stage.app_events): `[event]` lines of key=value pairs among `[http]` noise.

const ASSET = 'stage.app_events';
/** The index (from 0) of the first line loaded as a good event, of a given name if asked. */
async function goodEvent(h: Harness, name?: string): Promise<number> {
  const { rows } = await h.warehouse.query<{ line: number }>(
    `select min(line)::int as line from stage.app_events where day = $1 ${name ? 'and name = $2' : ''}`,
    name ? [h.day, name] : [h.day],
  );
  return rows[0]!.line - 1;
}

/**
 * The good log with one good event line changed. The log is handled as latin1 text, one
 * character per byte, so any byte can be put in and every other byte stays as it was.
 */
const withEvent =
  (change: (line: string) => string, name?: string) =>
  async (good: Buffer, h: Harness): Promise<Buffer> => {
    const lines = good.toString('latin1').split('\n');
    const index = await goodEvent(h, name);
    const changed = change(lines[index]!);
    if (changed === lines[index]) throw new Error(`the change left line ${index + 1} as it was`);
    lines[index] = changed;
    return Buffer.from(lines.join('\n'), 'latin1');
  };

export function appEventCases(day: string): CaseSpec[] {
  const name = `logs/app_events_${day}.log`;
  const file = new RegExp(literally(name));
  const log = (
    label: string,
    what: string,
    spec: Omit<Parameters<typeof inboxCase>[0], 'name' | 'source' | 'asset' | 'file'>,
  ) =>
    inboxCase({
      name: `app log ${label}`,
      source: `${name}: ${what}`,
      asset: ASSET,
      file: () => name,
      ...spec,
    });
  return [
    log('NUL in an event line', 'a NUL byte inside the device id of one [event] line', {
      expected: 'quarantined',
      reason: /device_id/,
      content: withEvent((line) => line.replace(/device=(\S{4})/, 'device=$1\u0000')),
    }),
    log('invalid UTF-8', 'a lone byte 0xC5 inside the device id of one [event] line', {
      expected: 'quarantined',
      reason: /0xC5/,
      content: withEvent((line) => line.replace(/device=(\S{4})/, 'device=$1\u00c5')),
    }),
    log('JSON garbage in an event line', 'one [event] line whose pairs are a cut JSON object', {
      expected: 'quarantined',
      reason: /^name: /,
      content: withEvent((line) => line.replace(/\[event\] .*$/, '[event] {"name":"screen_view","user":127')),
    }),
    log('unknown event name', 'name=screen_vue on one line', {
      expected: 'quarantined',
      reason: /^name: /,
      content: withEvent((line) => line.replace(/name=\w+/, 'name=screen_vue')),
    }),
    log('oversized amount', 'amount=123456789012345.67 on a payment_success line', {
      expected: 'quarantined',
      reason: /^amount: /,
      content: withEvent(
        (line) => line.replace(/amount=\S+/, 'amount=123456789012345.67'),
        'payment_success',
      ),
    }),
    log('hour 25', 'an event at 25:00', {
      expected: 'quarantined',
      reason: /^event_time: /,
      content: withEvent((line) => line.replace(/T\d\d:/, 'T25:')),
    }),
    log('truncated', 'cut after half of its bytes (an interrupted upload)', {
      expected: 'error',
      names: file,
      content: (good) => good.subarray(0, Math.floor(good.length / 2)),
    }),
    log('empty', 'zero bytes', { expected: 'error', names: file, content: () => '' }),
    log('only noise', 'the [http] lines only, no [event] line', {
      expected: 'error',
      names: file,
      content: (good) => joinLines(linesOf(good).filter((line) => !line.includes(' [event] '))),
    }),
    log('JSON instead of the log format', 'every line a JSON object (another logger’s format)', {
      expected: 'error',
      names: file,
      content: (good) =>
        joinLines(
          linesOf(good).map((line) => {
            const [at, level, ...rest] = line.split(' ');
            return JSON.stringify({ at, level, message: rest.join(' ') });
          }),
        ),
    }),
    log('binary garbage', '64 KB of random bytes under the log name', {
      expected: 'error',
      names: file,
      content: () => garbage(65_536, 11),
    }),
  ];
}
