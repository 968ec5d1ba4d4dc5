import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The names every server answers to, whatever it is bound to. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

export const TOKEN_COOKIE = 'vitrina_token';

export interface GuardOptions {
  token: string;
  /** Host names (lower case, IPv6 in brackets, no port) this server answers to. */
  allowedHosts: ReadonlySet<string>;
  /** Bound beyond loopback: every route but /api/health needs the token, reads too. */
  exposed: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const OPEN_PATHS = new Set(['/api/health']);

/** The Set-Cookie value handing the token to the UI this server serves. */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
}

/** `Host` (or `Origin`) as the URL parser normalises it (`127.1` → `127.0.0.1`), or null if malformed. */
export function hostName(host: string, protocol = 'http:'): { host: string; hostname: string } | null {
  // Only the characters a host and port consist of: no userinfo, path or whitespace to confuse the parser.
  if (!/^[A-Za-z0-9._~\-[\]:]+$/.test(host)) return null;
  try {
    const url = new URL(`${protocol}//${host}`);
    return { host: url.host, hostname: url.hostname };
  } catch {
    return null;
  }
}

/** Normalises configured host names the way incoming ones are, so they compare equal. */
export function normaliseHosts(names: Iterable<string>): Set<string> {
  const hosts = new Set<string>();
  for (const name of names) {
    const bare = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
    const parsed = hostName(bare);
    if (parsed) hosts.add(parsed.hostname);
  }
  return hosts;
}

const digest = (value: string) => createHash('sha256').update(value).digest();
const same = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));

function cookieToken(header: string | undefined): string | null {
  for (const part of header?.split(';') ?? []) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== TOKEN_COOKIE) continue;
    try {
      return decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

/** Whether the request carries the token: `Authorization: Bearer <token>` or the UI's cookie. */
export function hasToken(request: FastifyRequest, token: string): boolean {
  const bearer = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '')?.[1];
  if (bearer !== undefined && same(bearer, token)) return true;
  const cookie = cookieToken(request.headers.cookie);
  return cookie !== null && same(cookie, token);
}

interface Refusal {
  status: number;
  error: string;
  message: string;
}

/** Why a request from a page of another site (CSRF) is refused, or null when it is not one. */
function crossSite(request: FastifyRequest, host: string): string | null {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    let url: URL | null = null;
    try {
      url = new URL(origin);
    } catch {
      // `null` (sandboxed frames, some redirects) and garbage are other sites too.
    }
    const own = url ? hostName(host, url.protocol) : null;
    if (url && (url.protocol === 'http:' || url.protocol === 'https:') && own?.host === url.host) return null;
    return `Origin ${JSON.stringify(origin)} is not this server`;
  }
  if (request.headers['sec-fetch-site'] === 'cross-site') return 'the request came from another site';
  return null;
}

function unknownHost(request: FastifyRequest, options: GuardOptions): Refusal | null {
  const host = request.headers.host ?? '';
  const name = hostName(host)?.hostname;
  if (name && options.allowedHosts.has(name)) return null;
  return {
    status: 421,
    error: 'unknown_host',
    message: `Host ${JSON.stringify(host)} is not one of this server's names; add it to VITRINA_ALLOWED_HOSTS to allow it`,
  };
}

function refusal(request: FastifyRequest, options: GuardOptions): Refusal | null {
  const mutating = !SAFE_METHODS.has(request.method);
  if (mutating) {
    const why = crossSite(request, request.headers.host ?? '');
    if (why) return { status: 403, error: 'forbidden', message: `cross-site request refused: ${why}` };
  }
  const path = request.url.split('?', 1)[0]!;
  if ((mutating || (options.exposed && !OPEN_PATHS.has(path))) && !hasToken(request, options.token)) {
    return {
      status: 401,
      error: 'unauthorized',
      message:
        'this route needs the API token: Authorization: Bearer <token> (printed at start-up; VITRINA_API_TOKEN or $VITRINA_HOME/api-token)',
    };
  }
  return null;
}

/**
 * `GET /?token=<token>` (the address printed at start-up) hands the token to a browser as the
 * cookie and drops it from the address bar: how the UI of a server bound beyond loopback logs in.
 */
function login(request: FastifyRequest, reply: FastifyReply, token: string): FastifyReply | null {
  if (request.method !== 'GET' || request.url.startsWith('/api/')) return null;
  const url = new URL(request.url, 'http://server');
  const given = url.searchParams.get('token');
  if (given === null || !same(given, token)) return null;
  url.searchParams.delete('token');
  // One leading slash: `//host` would be another site's address.
  const path = url.pathname.replace(/^\/+/, '/');
  return reply
    .header('set-cookie', tokenCookie(token))
    .header('cache-control', 'no-store')
    .redirect(`${path}${url.search}`, 303);
}

const loginPage = `<!doctype html><meta charset="utf-8"><title>Vitrina</title>
<p>This Vitrina server needs its API token. Open the address it printed at start-up
(<code>http://…/?token=…</code>), or send <code>Authorization: Bearer &lt;token&gt;</code>.</p>`;

const refuse = (reply: FastifyReply, { status, error, message }: Refusal) =>
  reply.code(status).send({ error, message });

/**
 * Checks every request before routing: the Host is one of this server's names (DNS rebinding), a
 * mutating request does not come from another site (CSRF), and the token is there where needed.
 */
export function installGuard(app: FastifyInstance, options: GuardOptions): void {
  app.addHook('onRequest', async (request, reply) => {
    const misdirected = unknownHost(request, options);
    if (misdirected) return refuse(reply, misdirected);
    const loggedIn = login(request, reply, options.token);
    if (loggedIn) return loggedIn;
    const refused = refusal(request, options);
    if (!refused) return;
    if (refused.status === 401) {
      reply.header('www-authenticate', 'Bearer');
      if (request.method === 'GET' && !request.url.startsWith('/api/')) {
        return reply.code(401).type('text/html; charset=utf-8').send(loginPage);
      }
    }
    return refuse(reply, refused);
  });
}
