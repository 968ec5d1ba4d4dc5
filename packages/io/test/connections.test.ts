import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { isTransient } from '@vitrina/core';
import { tempDatabase } from '@vitrina/core/testing';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ClickHouse,
  fetchJson,
  listRemoteFiles,
  sourcePool,
  streamMysql,
  streamPostgres,
  streamPostgresQuery,
  TransientHttpError,
} from '../src/index.ts';
import { startFtpServer, testClickhouseUrl, testMysqlUrl } from '../src/testing/index.ts';

/** A server on loopback that accepts connections and never says a word. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A port whose listen queue is full, so a connection is never set up, like a host that drops
 * packets (Node's own servers accept at once, so Python holds it).
 */
async function unreachablePort(): Promise<{ port: number; close: () => void }> {
  const script = `import socket, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)
port = s.getsockname()[1]
held = [socket.socket() for _ in range(3)]
for c in held:
    c.setblocking(False)
    c.connect_ex(('127.0.0.1', port))
print(port, flush=True)
time.sleep(120)`;
  const child = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
  });
  return { port, close: () => child.kill() };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const { port, close } = await silentServer();
  await close();
  return port;
}

/** The error `work` fails with, and how long it took. */
async function failure(work: () => Promise<unknown>): Promise<{ error: Error; ms: number }> {
  const started = Date.now();
  try {
    await work();
  } catch (error) {
    return { error: error as Error, ms: Date.now() - started };
  }
  throw new Error('it did not fail');
}

async function drain(batches: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of batches);
}

let silent: { port: number; close: () => Promise<void> };
beforeAll(async () => {
  silent = await silentServer();
});
afterAll(async () => silent?.close());

const fast = { connectTimeoutMs: 500, queryTimeoutMs: 800 };

describe('MySQL sources fail fast and clearly', () => {
  const user = `vitrina_pw_${process.pid}`;
  const url = (password: string, database = 'mysql') => {
    const parsed = new URL(testMysqlUrl);
    parsed.username = user;
    parsed.password = password;
    parsed.pathname = `/${database}`;
    return parsed.toString();
  };
  beforeAll(async () => {
    const admin = await mysql.createConnection({ uri: testMysqlUrl });
    for (const host of ['127.0.0.1', 'localhost', '%'])
      await admin.query(`create user if not exists '${user}'@'${host}' identified by 'right-pass'`);
    await admin.end();
  });
  afterAll(async () => {
    const admin = await mysql.createConnection({ uri: testMysqlUrl });
    for (const host of ['127.0.0.1', 'localhost', '%'])
      await admin.query(`drop user if exists '${user}'@'${host}'`);
    await admin.end();
  });

  it('a rejected login and an unknown database: within a second, not retried, no password shown', async () => {
    const login = await failure(() => drain(streamMysql(url('wrong-pass'), 'select 1')));
    expect(login.ms).toBeLessThan(3000);
    expect(login.error.message).toMatch(
      new RegExp(
        `^MySQL ${user}@127\\.0\\.0\\.1:\\d+/mysql: Access denied for user '${user}'.*\\(ER_ACCESS_DENIED_ERROR\\)$`,
      ),
    );
    expect(login.error.message).not.toMatch(/wrong-pass|right-pass/);
    expect(isTransient(login.error)).toBe(false);

    const database = await failure(() => drain(streamMysql(url('right-pass', 'no_such_db'), 'select 1')));
    expect(database.ms).toBeLessThan(3000);
    expect(database.error.message).toMatch(/^MySQL .*\/no_such_db: .*(Unknown database|denied).*no_such_db/);
    expect(isTransient(database.error)).toBe(false);
  });

  it('a server that never answers fails within the connect timeout, as retryable; a refused one too', async () => {
    const hung = await failure(() =>
      drain(streamMysql(`mysql://root:secret@127.0.0.1:${silent.port}/x`, 'select 1', [], fast)),
    );
    expect(hung.ms).toBeLessThan(2000);
    expect(hung.error.message).toBe(
      `MySQL root@127.0.0.1:${silent.port}/x: no connection within 500 ms (connect timeout)`,
    );
    expect(isTransient(hung.error)).toBe(true);
    const port = await closedPort();
    const refused = await failure(() => drain(streamMysql(`mysql://root@127.0.0.1:${port}/x`, 'select 1')));
    expect(refused.error.message).toMatch(/ECONNREFUSED/);
    expect(isTransient(refused.error)).toBe(true);
  });

  it('a query over its total time is cut off, not retried', async () => {
    const slow = await failure(() => drain(streamMysql(testMysqlUrl, 'select sleep(5)', [], fast)));
    expect(slow.ms).toBeLessThan(2500);
    expect(slow.error.message).toMatch(/: the query did not finish within 800 ms \(query timeout\)$/);
    expect(isTransient(slow.error)).toBe(false);
  });
});

describe('PostgreSQL sources fail fast and clearly', () => {
  let db: { url: string; drop: () => Promise<void> };
  const role = `vitrina_nologin_${process.pid}`;
  beforeAll(async () => {
    db = await tempDatabase('vitrina_conn');
    const admin = new pg.Pool({ connectionString: db.url });
    await admin.query(`create role ${role} nologin`);
    await admin.end();
  });
  afterAll(async () => {
    const admin = new pg.Pool({ connectionString: db.url });
    await admin.query(`drop role if exists ${role}`);
    await admin.end();
    await db?.drop();
  });
  const withPool = async <T>(url: string, work: (pool: pg.Pool) => Promise<T>) => {
    const pool = sourcePool(url, fast);
    try {
      return await work(pool);
    } finally {
      await pool.end();
    }
  };

  it('an unknown database or a role that may not log in fails at once, not retried', async () => {
    const missing = new URL(db.url);
    missing.pathname = '/no_such_db';
    missing.password = 'hunter22';
    const unknown = await withPool(missing.toString(), (pool) =>
      failure(() => drain(streamPostgres(pool, 'select 1', ['x']))),
    );
    expect(unknown.error.message).toMatch(
      /^PostgreSQL .*\/no_such_db: database "no_such_db" does not exist \(3D000\)$/,
    );
    expect(unknown.error.message).not.toMatch(/hunter22/);
    expect(isTransient(unknown.error)).toBe(false);
    const denied = new URL(db.url);
    denied.username = role;
    const refused = await withPool(denied.toString(), (pool) =>
      failure(() => drain(streamPostgresQuery(pool, { sql: 'select 1', parameters: [] }))),
    );
    expect(refused.error.message).toMatch(
      new RegExp(`^PostgreSQL ${role}@.*: role "${role}" is not permitted to log in`),
    );
    expect(isTransient(refused.error)).toBe(false);
  });

  it('a server that never answers fails within the connect timeout, also for a pool made without one', async () => {
    const url = `postgres://u@127.0.0.1:${silent.port}/x`;
    const plain = new pg.Pool({ connectionString: url });
    try {
      const hung = await failure(() => drain(streamPostgres(plain, 'select 1', ['x'], fast)));
      expect(hung.ms).toBeLessThan(2000);
      expect(hung.error.message).toBe(
        `PostgreSQL u@127.0.0.1:${silent.port}/x: no connection within 500 ms (connect timeout)`,
      );
      expect(isTransient(hung.error)).toBe(true);
    } finally {
      // pg's pool ends only when its pending connection does: when the silent server closes.
      void plain.end().catch(() => {});
    }
    const viaSourcePool = await withPool(url, (pool) =>
      failure(() => drain(streamPostgres(pool, 'select 1', ['x']))),
    );
    expect(viaSourcePool.error.message).toMatch(/no connection within 500 ms/);
    expect(isTransient(viaSourcePool.error)).toBe(true);
  });

  it('a query over its total time is cut off, and the pool serves the next one', async () => {
    await withPool(db.url, async (pool) => {
      const copy = await failure(() =>
        drain(streamPostgres(pool, 'select pg_sleep(5)', ['x'], { ...fast, source: 'payments' })),
      );
      expect(copy.ms).toBeLessThan(2500);
      expect(copy.error.message).toBe('payments: the query did not finish within 800 ms (query timeout)');
      expect(isTransient(copy.error)).toBe(false);
      const cursor = await failure(() =>
        drain(streamPostgresQuery(pool, { sql: 'select pg_sleep(5)', parameters: [] }, 100, fast)),
      );
      expect(cursor.error.message).toMatch(/the query did not finish within 800 ms/);
      const rows = [];
      for await (const batch of streamPostgres(pool, 'select 42', ['x'])) rows.push(...batch);
      expect(rows).toEqual([{ x: '42' }]);
    });
  });
});

describe('HTTP, FTP and ClickHouse fail fast and clearly', () => {
  it('an HTTP API that never answers: the message gives the per-attempt and the total time, both honoured', async () => {
    const url = `http://127.0.0.1:${silent.port}/rates?apikey=SECRET`;
    const schema = z.unknown();
    const retried = await failure(() =>
      fetchJson(url, schema, { timeoutMs: 200, retries: 2, initialDelayMs: 10 }),
    );
    expect(retried.error).toBeInstanceOf(TransientHttpError);
    expect(retried.error.message).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/rates\?apikey=\*\*\*: timed out after 200 ms; gave up after 3 attempts in \d+ ms \(at most 200 ms per attempt, 10 min in all\)$/,
    );
    const bounded = await failure(() =>
      fetchJson(url, schema, { timeoutMs: 300, totalTimeoutMs: 500, retries: 10, initialDelayMs: 10 }),
    );
    expect(bounded.ms).toBeLessThan(1000);
    expect(bounded.error.message).toMatch(
      /gave up after 2 attempts in \d+ ms \(at most 300 ms per attempt, 500 ms in all\)$/,
    );
  });

  it('FTP: a silent or refused server is retryable, a rejected login is not', async () => {
    const hung = await failure(() =>
      listRemoteFiles(`ftp://u:pw-secret@127.0.0.1:${silent.port}/`, '', fast),
    );
    expect(hung.ms).toBeLessThan(2000);
    expect(hung.error.message).toBe(
      `FTP u@127.0.0.1:${silent.port}/: no connection within 500 ms (connect timeout)`,
    );
    expect(isTransient(hung.error)).toBe(true);
    const port = await closedPort();
    const refused = await failure(() => listRemoteFiles(`ftp://u:pw-secret@127.0.0.1:${port}/`));
    expect(isTransient(refused.error)).toBe(true);
    expect(refused.error.message).not.toMatch(/pw-secret/);

    const ftp = await startFtpServer(process.cwd());
    try {
      const login = await failure(() => listRemoteFiles(ftp.url.replace('secret-pass', 'wrong-pass')));
      expect(login.error.message).toMatch(/^FTP vitrina@127\.0\.0\.1:\d+\/: .*530/);
      expect(isTransient(login.error)).toBe(false);
    } finally {
      await ftp.stop();
    }
  });

  it('ClickHouse: an unreachable server fails within the connect timeout, a silent one or a long statement within the query timeout', async () => {
    const unreachable = await unreachablePort();
    const lost = new ClickHouse(`http://127.0.0.1:${unreachable.port}/mart`, fast);
    try {
      const error = await failure(() => lost.rows('SELECT 1'));
      expect(error.ms).toBeLessThan(2000);
      expect(error.error.message).toMatch(
        /^ClickHouse at 127\.0\.0\.1:\d+: no connection within 500 ms \(connect timeout\)\n {2}in: SELECT 1$/,
      );
      expect(isTransient(error.error)).toBe(true);
    } finally {
      await lost.close();
      unreachable.close();
    }
    const hung = new ClickHouse(`http://127.0.0.1:${silent.port}/mart`, fast);
    try {
      const error = await failure(() => hung.command('SELECT 1'));
      expect(error.ms).toBeLessThan(2000);
      expect(error.error.message).toMatch(
        /^ClickHouse at 127\.0\.0\.1:\d+: the statement did not finish within 800 ms/,
      );
    } finally {
      await hung.close();
    }
    const clickhouse = new ClickHouse(testClickhouseUrl, { queryTimeoutMs: 500 });
    try {
      const slow = await failure(() => clickhouse.rows('SELECT sleep(2)'));
      expect(slow.ms).toBeLessThan(1500);
      expect(slow.error.message).toMatch(
        /^ClickHouse at [^:]+:\d+: the statement did not finish within 500 ms \(query timeout\)\n {2}in: SELECT sleep\(2\)$/,
      );
      expect(isTransient(slow.error)).toBe(false);
      expect(await clickhouse.rows('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await clickhouse.close();
    }
  });
});
