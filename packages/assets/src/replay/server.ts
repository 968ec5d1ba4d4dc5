import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * Replays the external APIs from fixtures in their real formats, for tests and the offline demo:
 *   NBRB   GET /exrates/rates?periodicity=0&ondate=D         ← nbrb/rates-D.json
 *          GET /exrates/rates/dynamics/{id}?startdate&enddate ← the same files, filtered by Cur_ID
 *   Yandex GET /1.x/?apikey&geocode&format=json&lang=ru_RU    ← yandex/<sha1 of the address>.json
 * A request without the expected Yandex key answers 403 and one past `yandexDailyLimit` answers 429,
 * as the real service does.
 */
export async function startReplayServer(
  fixtures: string,
  options: { yandexApiKey?: string; yandexDailyLimit?: number; port?: number } = {},
): Promise<{ url: string; close: () => Promise<void>; requests: string[] }> {
  const requests: string[] = [];
  const yandexRequests = () => requests.filter((path) => path.startsWith('/1.x')).length;
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '');
    try {
      send(response, route(fixtures, options, request, yandexRequests));
    } catch (error) {
      send(response, { status: 500, body: { error: (error as Error).message } });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Reply = { status: number; body: unknown } | { file: string };

function route(
  fixtures: string,
  options: { yandexApiKey?: string; yandexDailyLimit?: number },
  request: IncomingMessage,
  yandexRequests: () => number,
): Reply {
  const url = new URL(request.url ?? '/', 'http://replay');
  if (url.pathname === '/exrates/rates') {
    const day = url.searchParams.get('ondate') ?? '';
    const file = join(fixtures, 'nbrb', `rates-${day}.json`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !existsSync(file))
      return { status: 404, body: { Message: 'not found' } };
    return { file };
  }
  const dynamics = /^\/exrates\/rates\/dynamics\/(\d+)$/.exec(url.pathname);
  if (dynamics) {
    const id = Number(dynamics[1]);
    const from = url.searchParams.get('startdate') ?? '';
    const to = url.searchParams.get('enddate') ?? '';
    const dir = join(fixtures, 'nbrb');
    const rows = readdirSync(dir)
      .filter((name) => name >= `rates-${from}` && name <= `rates-${to}.json`)
      .flatMap(
        (name) =>
          JSON.parse(readFileSync(join(dir, name), 'utf8')) as Array<{
            Cur_ID: number;
            Date: string;
            Cur_OfficialRate: number;
          }>,
      )
      .filter((rate) => rate.Cur_ID === id)
      .map((rate) => ({ Cur_ID: rate.Cur_ID, Date: rate.Date, Cur_OfficialRate: rate.Cur_OfficialRate }));
    return { status: 200, body: rows };
  }
  if (url.pathname === '/1.x/' || url.pathname === '/1.x') {
    if (options.yandexApiKey && url.searchParams.get('apikey') !== options.yandexApiKey) {
      return { status: 403, body: { statusCode: 403, error: 'Forbidden', message: 'Invalid key' } };
    }
    if (options.yandexDailyLimit !== undefined && yandexRequests() > options.yandexDailyLimit) {
      return {
        status: 429,
        body: { statusCode: 429, error: 'Too Many Requests', message: 'Limit is exceeded' },
      };
    }
    const address = url.searchParams.get('geocode') ?? '';
    const file = join(fixtures, 'yandex', `${createHash('sha1').update(address).digest('hex')}.json`);
    if (!existsSync(file))
      return { status: 200, body: { response: { GeoObjectCollection: { featureMember: [] } } } };
    return { file };
  }
  return { status: 404, body: { error: `no replay for ${url.pathname}` } };
}

function send(response: ServerResponse, reply: Reply): void {
  response.writeHead('file' in reply ? 200 : reply.status, {
    'content-type': 'application/json; charset=utf-8',
  });
  response.end('file' in reply ? readFileSync(reply.file) : JSON.stringify(reply.body));
}
