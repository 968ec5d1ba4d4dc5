import { garbage } from './bytes.ts';
import { type FaultServer, type Misbehaviour, misbehavingApi } from './faultServers.ts';
import type { Harness, Settings } from './harness.ts';
import { type CaseSpec, inboxCase } from './spec.ts';

// The APIs: NBRB's rates (stage.nbrb_rates) through the replay server's fixtures or a server
// answering badly in their place, and the Yandex Geocoder (stage.geocodes) through such a server.

/** A case against an API answering every request as `behaviour` (started and stopped with the case). */
function apiCase(
  spec: Omit<CaseSpec, 'inject' | 'restore'> & {
    behaviour: Misbehaviour;
    settings: (url: string) => Settings;
    before?: (h: Harness) => Promise<void>;
  },
): CaseSpec {
  const { behaviour, settings, before, ...rest } = spec;
  let server: FaultServer | null = null;
  return {
    ...rest,
    inject: async (h) => {
      await before?.(h);
      server = await misbehavingApi(behaviour);
      return settings(server.url);
    },
    restore: async () => {
      await server?.close();
    },
  };
}

const NBRB = 'stage.nbrb_rates';

export function nbrbCases(day: string): CaseSpec[] {
  const fixture = `nbrb/rates-${day}.json`;
  const endpoint = new RegExp(`exrates/rates\\?periodicity=0&ondate=${day}`);
  const answer = (
    label: string,
    what: string,
    spec: Omit<Parameters<typeof inboxCase>[0], 'name' | 'source' | 'asset' | 'file'>,
  ) =>
    inboxCase({
      name: `NBRB ${label}`,
      source: `NBRB rates on ${day}: ${what}`,
      asset: NBRB,
      file: () => fixture,
      folder: 'replay',
      lane: 'nbrb',
      ...spec,
    });
  const server = (label: string, what: string, behaviour: Misbehaviour, names: RegExp) =>
    apiCase({
      name: `NBRB ${label}`,
      source: `NBRB rates on ${day}: ${what}`,
      asset: NBRB,
      lane: 'nbrb',
      expected: 'error',
      names,
      behaviour,
      settings: (url) => ({ VITRINA_NBRB_URL: url }),
    });
  /** The day's rates with the first one changed. */
  const firstRate = (change: Record<string, unknown>) => (good: Buffer) => {
    const rates = JSON.parse(good.toString('utf8')) as Array<Record<string, unknown>>;
    rates[0] = { ...rates[0], ...change };
    return JSON.stringify(rates);
  };
  return [
    // First: it waits longest, while the other lanes go on.
    server(
      'never answering',
      'the API accepts every request and never answers',
      { kind: 'hang' },
      new RegExp(`${endpoint.source}.*timed out`),
    ),
    server(
      'HTTP 500',
      'every request answered 500',
      { kind: 'status', status: 500, body: '{"Message":"An error has occurred."}' },
      new RegExp(`${endpoint.source}.*HTTP 500`),
    ),
    server(
      'empty body',
      'HTTP 200 with no body',
      { kind: 'body', body: '' },
      new RegExp(`${endpoint.source}.*not JSON`),
    ),
    answer('empty list', '[] (no rates published)', {
      expected: 'error',
      names: new RegExp(`NBRB rates on ${day}: `),
      content: () => '[]',
    }),
    answer('HTML', 'an HTML error page with status 200', {
      expected: 'error',
      names: new RegExp(`${endpoint.source}: the response is not JSON`),
      content: () => '<html><body><h1>Service Unavailable</h1></body></html>',
    }),
    answer('binary garbage', '4 KB of random bytes', {
      expected: 'error',
      names: new RegExp(`${endpoint.source}.*not JSON`),
      content: () => garbage(4096, 5),
    }),
    answer('object instead of list', '{"Message":"An error has occurred."}', {
      expected: 'error',
      names: new RegExp(`${endpoint.source}.*expected array`),
      content: () => '{"Message":"An error has occurred."}',
    }),
    answer('not published', 'no answer for the day (HTTP 404)', {
      expected: 'error',
      names: new RegExp(`${endpoint.source}.*HTTP 404`),
      content: () => null,
    }),
    answer('negative rate', 'the first currency with Cur_OfficialRate -2.98', {
      expected: 'quarantined',
      reason: /Cur_OfficialRate/,
      content: firstRate({ Cur_OfficialRate: -2.98 }),
    }),
    answer('rate of another day', 'the first currency dated ten days earlier', {
      expected: 'quarantined',
      reason: /^Date: /,
      content: firstRate({ Date: '2026-09-20T00:00:00' }),
    }),
  ];
}

/** A merchant with an address never geocoded, so the geocoder step has one to ask for. */
async function pendingAddress(h: Harness): Promise<void> {
  await h.payments.query(
    `insert into core.merchants values (990001, 'Бенч-маркет', null, 'grocery', 'single_store', null, null, 'Минск', 'Минск',
       'Минск, ул. Бенчмарковая, 1', '5411', 1.00, $1::date + time '12:00', $1::date + time '12:00')
     on conflict (merchant_id) do nothing`,
    [h.day],
  );
  const loaded = await h.run('stage.merchants');
  if (loaded.status !== 'success') throw new Error(`stage.merchants: ${loaded.error}`);
}

/** The geocoder's request as a failure names it: its URL with the key redacted. */
const GEOCODER = String.raw`GET http://127\.0\.0\.1:\d+/1\.x/\?apikey=\*\*\*&geocode=`;

export function yandexCases(): CaseSpec[] {
  const KEY = 'bench-yandex-key-0451';
  const geocoder = (
    label: string,
    what: string,
    behaviour: Misbehaviour,
    rest: Partial<CaseSpec> & Pick<CaseSpec, 'expected'>,
  ) =>
    apiCase({
      name: `Yandex ${label}`,
      source: `Yandex Geocoder: ${what}`,
      asset: 'stage.geocodes',
      scope: () => ({ table: 'stage.geocodes', where: 'true', key: '', quarantine: null }),
      secret: KEY,
      behaviour,
      before: pendingAddress,
      settings: (url) => ({ VITRINA_YANDEX_URL: url, VITRINA_YANDEX_API_KEY: KEY }),
      ...rest,
    });
  return [
    geocoder(
      'key refused',
      'HTTP 403 Invalid key',
      { kind: 'status', status: 403, body: '{"statusCode":403,"error":"Forbidden","message":"Invalid key"}' },
      {
        expected: 'error',
        names: /VITRINA_YANDEX_API_KEY: the Yandex Geocoder refused the key/,
      },
    ),
    geocoder(
      'daily limit',
      'HTTP 429 Limit is exceeded',
      { kind: 'status', status: 429, body: '{"statusCode":429,"error":"Too Many Requests"}' },
      {
        expected: 'accepted',
        why: 'the daily quota: geocoding stops for the day, the step succeeds with a warn check and the address waits for tomorrow',
        verify: async (_h, run) =>
          run.metadata?.pending === 1
            ? null
            : `expected 1 address pending, got ${JSON.stringify(run.metadata)}`,
      },
    ),
    geocoder(
      'HTTP 500',
      'every request answered 500',
      { kind: 'status', status: 500, body: 'Internal Server Error', contentType: 'text/plain' },
      {
        expected: 'error',
        names: new RegExp(`${GEOCODER}.*HTTP 500`),
      },
    ),
    geocoder(
      'garbage',
      'HTTP 200 with a body that is not JSON',
      { kind: 'body', body: garbage(1024, 9) },
      {
        expected: 'error',
        names: new RegExp(`${GEOCODER}.*the response is not JSON`),
      },
    ),
    geocoder(
      'unexpected JSON',
      'HTTP 200 with JSON of another shape',
      { kind: 'body', body: '{"error":"unknown"}' },
      {
        expected: 'error',
        names: new RegExp(`${GEOCODER}.*unexpected response at response`),
      },
    ),
  ];
}
