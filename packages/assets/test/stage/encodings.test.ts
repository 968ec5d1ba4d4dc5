import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, csvHeader, DAYS, type Fixture, writeInbox } from './fixture.ts';

/**
 * How partners' files arrive: in Windows-1251 (many Belarusian exports), with a byte order mark,
 * with Windows and Unix line endings mixed. A declared encoding is read right; bytes invalid in it
 * are quarantined with the reason, never stored as replacement characters.
 */
let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
}, 120_000);
afterAll(async () => f?.dispose());

/** Windows-1251 as its code page defines it, for the letters these files use. */
function windows1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((char) => {
      const code = char.codePointAt(0)!;
      if (code < 0x80) return code;
      if (code >= 0x410 && code <= 0x44f) return 0xc0 + (code - 0x410);
      if (code === 0x401) return 0xa8;
      if (code === 0x451) return 0xb8;
      throw new Error(`${char} is not in this table`);
    }),
  );
}

const day = DAYS[1];
const file = `partner_sales/partner_sales_${day}.csv`;
const line = (store: string, name: string, city: string) =>
  `${day};EVROOPT;${store};${name};${city};1200;30000,00;150;3000,50`;

const stored = async () =>
  (
    await f.warehouse.query<{
      store_code: string;
      store_name: string;
      city: string;
      turnover_app_byn: string;
    }>(
      'select store_code, store_name, city, turnover_app_byn::text from stage.partner_sales where day = $1 order by line',
      [day],
    )
  ).rows;

const quarantined = async () =>
  (
    await f.warehouse.query<{ reason: string; raw: Record<string, unknown> }>(
      "select reason, raw from quarantine.rows where asset = 'stage.partner_sales' and partition = $1 order by (raw->>'line')::int",
      [day],
    )
  ).rows;

const materialize = async (resources?: Parameters<Fixture['materialize']>[2]) => {
  const outcome = await f.materialize('stage.partner_sales', { from: day, to: day, force: true }, resources);
  return outcome.steps[0]!;
};

const latestCounts = async () =>
  (await f.runs.storage.materializations('stage.partner_sales')).find((m) => m.partition === day)?.metadata;

describe('file encodings and line endings', () => {
  it('reads a Windows-1251 file right when its encoding is declared', async () => {
    writeInbox(
      f.inbox,
      file,
      windows1251(
        [
          csvHeader,
          line('EVROOPT-0001', 'Евроопт Притыцкого', 'Минск'),
          line('EVROOPT-0002', 'Евроопт Ёлочка', 'Брест'),
        ].join('\r\n'),
      ),
    );
    const step = await f.withSettings(
      { VITRINA_FILE_ENCODINGS: 'stage.partner_sales=windows-1251' },
      materialize,
    );
    expect(step.status, step.error ?? '').toBe('success');
    expect((await stored()).map((row) => [row.store_name, row.city])).toEqual([
      ['Евроопт Притыцкого', 'Минск'],
      ['Евроопт Ёлочка', 'Брест'],
    ]);
    expect(await latestCounts()).toMatchObject({ read: 2, loaded: 2, quarantined: 0 });
  });

  it('fails the step on an undeclared Windows-1251 file, keeping the day as it was, and stores no replacement characters', async () => {
    const before = await stored();
    const step = await materialize();
    expect(step.status).toBe('failed');
    expect(step.error).toMatch(/read 2 rows, loaded 0, quarantined 2/);
    expect(await stored()).toEqual(before);
  });

  it('quarantines the lines of an undeclared Windows-1251 file that are not valid UTF-8, naming their fields', async () => {
    writeInbox(
      f.inbox,
      file,
      windows1251(
        [
          csvHeader,
          line('EVROOPT-0001', 'Evroopt Pritytskogo', 'Minsk'),
          line('EVROOPT-0002', 'Евроопт Ёлочка', 'Брест'),
          line('EVROOPT-0003', 'Evroopt Nemiga', 'Minsk'),
        ].join('\n'),
      ),
    );
    const step = await materialize();
    expect(step.status, step.error ?? '').toBe('success');
    expect((await stored()).map((row) => row.store_code)).toEqual(['EVROOPT-0001', 'EVROOPT-0003']);
    expect(await latestCounts()).toMatchObject({ read: 3, loaded: 2, quarantined: 1 });
    const [bad] = await quarantined();
    expect(bad?.raw).toMatchObject({ line: 3, file_name: file });
    expect(bad?.reason).toMatch(/^store_name, city: .*0xC5.*not valid UTF-8/);
    // The raw line keeps the bytes shown as \xC5, not as U+FFFD.
    expect(String(bad?.raw.raw)).toContain('\\xC5');
    const replaced = await f.warehouse.query(
      "select count(*)::int as n from stage.partner_sales where store_name like '%\uFFFD%'",
    );
    expect(replaced.rows[0].n).toBe(0);
  });

  it('reads a UTF-8 file with a byte order mark: the first column is found', async () => {
    writeInbox(
      f.inbox,
      file,
      `\uFEFF${[csvHeader, line('EVROOPT-0001', 'Евроопт Притыцкого', 'Минск'), line('EVROOPT-0004', 'Евроопт Сурганова', 'Минск')].join('\n')}`,
    );
    const step = await materialize();
    expect(step.status, step.error ?? '').toBe('success');
    expect((await stored()).map((row) => row.store_name).sort()).toEqual([
      'Евроопт Притыцкого',
      'Евроопт Сурганова',
    ]);
    expect(await latestCounts()).toMatchObject({ read: 2, loaded: 2, quarantined: 0 });
  });

  it('reads every row of a file mixing CRLF and LF line endings', async () => {
    const rows = ['EVROOPT-0001', 'EVROOPT-0002', 'EVROOPT-0003', 'EVROOPT-0004'].map((store) =>
      line(store, `Евроопт ${store.slice(-1)}`, 'Минск'),
    );
    writeInbox(f.inbox, file, `${csvHeader}\r\n${rows[0]}\n${rows[1]}\r\n${rows[2]}\n${rows[3]}\r\n`);
    const step = await materialize();
    expect(step.status, step.error ?? '').toBe('success');
    expect((await stored()).map((row) => [row.store_code, row.turnover_app_byn])).toEqual([
      ['EVROOPT-0001', '3000.50'],
      ['EVROOPT-0002', '3000.50'],
      ['EVROOPT-0003', '3000.50'],
      ['EVROOPT-0004', '3000.50'],
    ]);
    expect(await latestCounts()).toMatchObject({ read: 4, loaded: 4, quarantined: 0 });
  });

  it('reads a log with a byte order mark and CRLF, and quarantines an event line of invalid UTF-8', async () => {
    const at = (time: string) => `${day}T${time}.000+03:00 INFO [event]`;
    const log = Buffer.concat([
      Buffer.from(
        `\uFEFF${at('08:00:01')} device=d-100 user=100 session=s-1 name=screen_view screen=home os=android app=3.14.0\r\n`,
      ),
      Buffer.from(`${at('08:00:02')} device=d-100 user=100 session=s-1 name=click screen=`),
      windows1251('главная'),
      Buffer.from(' element=pay os=android app=3.14.0\r\n'),
      Buffer.from(
        `${at('08:00:03')} device=d-100 user=100 session=s-1 name=card_linked os=android app=3.14.0\r\n`,
      ),
    ]);
    writeInbox(f.inbox, `logs/app_events_${day}.log`, log);
    const outcome = await f.materialize('stage.app_events', { from: day, to: day, force: true });
    expect(outcome.steps[0]?.status, outcome.steps[0]?.error ?? '').toBe('success');
    const events = await f.warehouse.query(
      'select line, name, event_time from stage.app_events where day = $1 order by line',
      [day],
    );
    expect(events.rows.map((row) => [row.line, row.name])).toEqual([
      [1, 'screen_view'],
      [3, 'card_linked'],
    ]);
    const bad = await f.warehouse.query<{ reason: string; raw: Record<string, unknown> }>(
      "select reason, raw from quarantine.rows where asset = 'stage.app_events' and partition = $1",
      [day],
    );
    expect(bad.rows.map((row) => row.raw.line)).toEqual([2]);
    expect(bad.rows[0]?.reason).toMatch(/^screen: .*not valid UTF-8/);
  });
});
