/**
 * A recording HTTP proxy in front of the test ClickHouse: every request the pipeline sends while
 * the real marts are built — whatever client sends it — is forwarded unchanged and kept with the
 * answer, so the chdb test can replay exactly those statements (DDL, the transfers' staging tables,
 * their `INSERT … FORMAT TabSeparated` with the rows PostgreSQL's COPY produced, `REPLACE
 * PARTITION`, the reconciliation's queries and inserts) on a current ClickHouse and compare answers.
 */
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

export interface Exchange {
  /** Arrival order: each client waits for an answer before its next request, so this order is causal. */
  seq: number;
  method: string;
  /** The URL's parameters: `query`, `database`, settings, … */
  params: Record<string, string>;
  userAgent: string;
  /** The request body with any Content-Encoding undone; null when it cannot be undone here. */
  body: Buffer | null;
  status: number;
  /** The answer with any Content-Encoding undone; null when it cannot be undone here. */
  response: Buffer | null;
  /** A transport failure between the proxy and ClickHouse, if any. */
  failure?: string;
}

export interface Recorder {
  /** The proxy's origin, to be used where the ClickHouse origin would be. */
  url: string;
  upstream: string;
  /** Every exchange recorded so far, in arrival order. */
  exchanges: Exchange[];
  /** Stops recording (the proxy still forwards) once every exchange under way has ended. */
  stopRecording: () => Promise<Exchange[]>;
  close: () => Promise<void>;
}

function decode(buffer: Buffer, encoding: string | undefined): Buffer | null {
  switch ((encoding ?? 'identity').toLowerCase()) {
    case 'identity':
    case '':
      return buffer;
    case 'gzip':
      return gunzipSync(buffer);
    case 'deflate':
      return inflateSync(buffer);
    case 'br':
      return brotliDecompressSync(buffer);
    default:
      return null;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Starts the proxy on a free loopback port in front of `upstream` (an origin such as http://127.0.0.1:8123). */
export async function recordClickhouse(upstream: string): Promise<Recorder> {
  const target = new URL(upstream);
  const exchanges: Exchange[] = [];
  const underway = new Set<Promise<void>>();
  let recording = true;
  let seq = 0;

  const server: Server = createServer((incoming, outgoing) => {
    const url = new URL(incoming.url ?? '/', target);
    const exchange: Exchange = {
      seq: seq++,
      method: incoming.method ?? 'GET',
      params: Object.fromEntries(url.searchParams),
      userAgent: header(incoming.headers, 'user-agent') ?? '',
      body: null,
      status: 0,
      response: null,
    };
    const keep = recording;
    if (keep) exchanges.push(exchange);
    const sent: Buffer[] = [];
    const received: Buffer[] = [];
    const done = new Promise<void>((resolve) => {
      const upstreamRequest = request(
        url,
        {
          method: incoming.method,
          headers: { ...incoming.headers, host: target.host },
          agent: false,
        },
        (answer) => {
          exchange.status = answer.statusCode ?? 0;
          outgoing.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
          answer.on('data', (chunk: Buffer) => {
            if (keep) received.push(chunk);
            outgoing.write(chunk);
          });
          answer.on('end', () => {
            outgoing.end();
            if (keep) {
              try {
                exchange.response = decode(
                  Buffer.concat(received),
                  header(answer.headers, 'content-encoding'),
                );
              } catch (error) {
                exchange.failure = `answer not decodable: ${String(error)}`;
              }
            }
            resolve();
          });
          answer.on('error', (error) => {
            exchange.failure = error.message;
            outgoing.destroy(error);
            resolve();
          });
        },
      );
      upstreamRequest.on('error', (error) => {
        exchange.failure = error.message;
        if (!outgoing.headersSent) outgoing.writeHead(502).end(error.message);
        else outgoing.destroy(error);
        resolve();
      });
      incoming.on('data', (chunk: Buffer) => {
        if (keep) sent.push(chunk);
        upstreamRequest.write(chunk);
      });
      incoming.on('end', () => {
        upstreamRequest.end();
        if (keep) {
          try {
            const compressed = exchange.params.decompress === '1';
            exchange.body = compressed
              ? null
              : decode(Buffer.concat(sent), header(incoming.headers, 'content-encoding'));
          } catch (error) {
            exchange.failure = `request body not decodable: ${String(error)}`;
          }
        }
      });
      incoming.on('error', (error) => upstreamRequest.destroy(error));
      outgoing.on('close', () => {
        if (!outgoing.writableFinished) upstreamRequest.destroy();
      });
    });
    underway.add(done);
    void done.finally(() => underway.delete(done));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    upstream: target.origin,
    exchanges,
    stopRecording: async () => {
      recording = false;
      await Promise.all([...underway]);
      return exchanges;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
