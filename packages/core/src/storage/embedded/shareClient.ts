import { connect, type Socket } from 'node:net';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';
import { ConfigError } from '../../errors.ts';
import { isProcessAlive } from '../processes.ts';
import type { EmbeddedHolder } from './lock.ts';
import {
  errorFrom,
  FrameReader,
  type ShareRequest,
  type ShareResponse,
  shareResponse,
  writeFrame,
} from './protocol.ts';

/** How long a request may wait for the owner (its queue included) before it is given up. */
const REQUEST_TIMEOUT_MS = 120_000;
/** How long to retry connecting while the owner, just started, is still opening its store. */
const CONNECT_PATIENCE_MS = 10_000;

/**
 * A kysely dialect for a process that uses an embedded store another process holds: every query
 * goes to the owner over its Unix socket (see shareServer.ts), a transaction on one socket.
 */
export class SharedEmbeddedDialect implements Dialect {
  constructor(private readonly holder: EmbeddedHolder) {}

  createDriver(): Driver {
    return new SharedDriver(this.holder);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}

class SharedDriver implements Driver {
  private readonly idle: Channel[] = [];
  private readonly open = new Set<Channel>();

  constructor(private readonly holder: EmbeddedHolder) {}

  async init(): Promise<void> {
    this.idle.push(await this.connect());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    let channel = this.idle.pop();
    while (channel?.broken) channel = this.idle.pop();
    return new SharedConnection(channel ?? (await this.connect()));
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as SharedConnection).channel.request({ op: 'begin' });
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as SharedConnection).channel.request({ op: 'commit' });
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as SharedConnection).channel.request({ op: 'rollback' });
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const { channel } = connection as SharedConnection;
    if (!channel.broken) this.idle.push(channel);
  }

  async destroy(): Promise<void> {
    for (const channel of this.open) channel.close();
    this.open.clear();
    this.idle.length = 0;
  }

  private async connect(): Promise<Channel> {
    const deadline = Date.now() + CONNECT_PATIENCE_MS;
    for (;;) {
      try {
        const channel = await Channel.open(this.holder);
        this.open.add(channel);
        channel.onClose = () => this.open.delete(channel);
        return channel;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const starting = (code === 'ENOENT' || code === 'ECONNREFUSED') && isProcessAlive(this.holder.pid);
        if (!starting || Date.now() > deadline)
          throw ownerError(this.holder, `it cannot be reached (${(error as Error).message})`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}

class SharedConnection implements DatabaseConnection {
  constructor(readonly channel: Channel) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const response = await this.channel.request({
      op: 'query',
      sql: query.sql,
      parameters: [...query.parameters],
    });
    return {
      rows: response.rows as R[],
      ...(response.affected !== undefined ? { numAffectedRows: BigInt(response.affected) } : {}),
    };
  }

  // biome-ignore lint/correctness/useYield: the shared store, like PGlite under it, has no cursors.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported on embedded PGlite storage');
  }
}

interface Pending {
  resolve: (response: Extract<ShareResponse, { ok: true }>) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** One socket to the owner: requests answered in order. */
class Channel {
  private readonly pending: Pending[] = [];
  broken = false;
  onClose: () => void = () => {};

  private constructor(
    private readonly socket: Socket,
    private readonly holder: EmbeddedHolder,
  ) {
    const reader = new FrameReader();
    socket.on('data', (chunk) => {
      try {
        for (const value of reader.push(chunk)) this.settle(value);
      } catch (error) {
        this.fail(ownerError(holder, `its answer could not be read (${(error as Error).message})`));
      }
    });
    socket.on('error', (error) => this.fail(ownerError(holder, `the connection failed (${error.message})`)));
    socket.on('close', () => this.fail(ownerError(holder, 'it closed the connection')));
    // An idle channel must not keep the process alive.
    socket.unref();
  }

  static open(holder: EmbeddedHolder): Promise<Channel> {
    return new Promise((resolve, reject) => {
      const socket = connect(holder.socket);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new Channel(socket, holder));
      });
    });
  }

  request(request: ShareRequest): Promise<Extract<ShareResponse, { ok: true }>> {
    if (this.broken) return Promise.reject(ownerError(this.holder, 'the connection is closed'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(ownerError(this.holder, `it did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`)),
        REQUEST_TIMEOUT_MS,
      );
      this.pending.push({ resolve, reject, timer });
      this.socket.ref();
      writeFrame(this.socket, request);
    });
  }

  close(): void {
    this.broken = true;
    this.socket.destroy();
  }

  private settle(value: unknown): void {
    const waiting = this.pending.shift();
    if (!waiting) return;
    clearTimeout(waiting.timer);
    if (this.pending.length === 0) this.socket.unref();
    const response = shareResponse.safeParse(value);
    if (!response.success) waiting.reject(ownerError(this.holder, 'it answered outside the protocol'));
    else if (response.data.ok) waiting.resolve(response.data);
    else waiting.reject(errorFrom(response.data));
  }

  private fail(error: Error): void {
    if (!this.broken) {
      this.broken = true;
      this.socket.destroy();
      this.onClose();
    }
    for (const waiting of this.pending.splice(0)) {
      clearTimeout(waiting.timer);
      waiting.reject(error);
    }
  }
}

function ownerError(holder: EmbeddedHolder, what: string): ConfigError {
  return new ConfigError(
    `the embedded run storage is shared by process ${holder.pid} (${holder.command}), and ${what}; run again once it is back, or set VITRINA_DATABASE_URL so processes share PostgreSQL`,
  );
}
