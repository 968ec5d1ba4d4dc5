import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { CompiledQuery, type DatabaseConnection, type Driver } from 'kysely';
import {
  errorResponse,
  FrameReader,
  type ShareRequest,
  type ShareResponse,
  shareRequest,
  writeFrame,
} from './protocol.ts';

export interface ShareServer {
  close(): Promise<void>;
}

/**
 * A sharer that holds a transaction this long without a word loses it (rolled back, socket closed):
 * a stopped or hung process must not lock the owner out of its own store.
 */
const IDLE_IN_TRANSACTION_MS = 30_000;

/**
 * Serves an embedded store's one session to other processes on a Unix socket (mode 0600: whoever
 * may read the store's files may use it, nobody else). A query outside a transaction takes the
 * session for that query only; a transaction holds it from `begin` to `commit` or `rollback`, and
 * is rolled back if its socket closes first. The owner's own queries queue with them.
 */
export async function shareEmbedded(driver: Driver, socketPath: string): Promise<ShareServer> {
  const sessions = new Set<SharedSession>();
  const server = createServer((socket) => {
    const session = new SharedSession(socket, driver);
    sessions.add(session);
    socket.once('close', () => sessions.delete(session));
  });
  rmSync(socketPath, { force: true });
  await listen(server, socketPath);
  chmodSync(socketPath, 0o600);
  return {
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.end();
      });
      await Promise.all([...sessions].map((session) => session.settled()));
      rmSync(socketPath, { force: true });
    },
  };
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** One sharer's socket: its requests in order, and the session while it holds a transaction. */
class SharedSession {
  private work: Promise<void> = Promise.resolve();
  private held: DatabaseConnection | null = null;
  private idle: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly driver: Driver,
  ) {
    const reader = new FrameReader();
    socket.on('data', (chunk) => {
      let messages: unknown[];
      try {
        messages = reader.push(chunk);
      } catch (error) {
        this.reply(errorResponse(error));
        socket.destroy();
        return;
      }
      for (const message of messages) this.enqueue(() => this.handle(message));
    });
    socket.on('error', () => {});
    socket.once('close', () => this.enqueue(() => this.giveBack()));
  }

  end(): void {
    this.socket.destroy();
  }

  settled(): Promise<void> {
    return this.work;
  }

  private enqueue(task: () => Promise<void>): void {
    this.work = this.work.then(task, task);
  }

  private async handle(message: unknown): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    const parsed = shareRequest.safeParse(message);
    if (!parsed.success) {
      this.reply(errorResponse(new Error(`not a request of the storage protocol: ${parsed.error.message}`)));
      return;
    }
    try {
      this.reply(await this.execute(parsed.data));
    } catch (error) {
      this.reply(errorResponse(error));
    }
    if (this.held) this.idle = setTimeout(() => this.socket.destroy(), IDLE_IN_TRANSACTION_MS);
  }

  private async execute(request: ShareRequest): Promise<ShareResponse> {
    if (request.op === 'begin') {
      if (this.held) throw new Error('a transaction is already open on this connection');
      const connection = await this.driver.acquireConnection();
      try {
        await connection.executeQuery(CompiledQuery.raw('begin'));
      } catch (error) {
        await this.driver.releaseConnection(connection);
        throw error;
      }
      this.held = connection;
      return { ok: true, rows: [] };
    }
    if (request.op === 'commit' || request.op === 'rollback') {
      const connection = this.held;
      if (!connection) throw new Error(`${request.op} without a transaction`);
      this.held = null;
      try {
        await connection.executeQuery(CompiledQuery.raw(request.op));
      } finally {
        await this.driver.releaseConnection(connection);
      }
      return { ok: true, rows: [] };
    }
    const connection = this.held ?? (await this.driver.acquireConnection());
    try {
      const result = await connection.executeQuery(CompiledQuery.raw(request.sql, request.parameters));
      return {
        ok: true,
        rows: [...result.rows],
        ...(result.numAffectedRows !== undefined ? { affected: Number(result.numAffectedRows) } : {}),
      };
    } finally {
      if (connection !== this.held) await this.driver.releaseConnection(connection);
    }
  }

  /** The socket closed: a transaction it left open is rolled back and the session given back. */
  private async giveBack(): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    const connection = this.held;
    if (!connection) return;
    this.held = null;
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } catch {
      // The session is given back whatever the rollback said.
    } finally {
      await this.driver.releaseConnection(connection);
    }
  }

  private reply(response: ShareResponse): void {
    if (!this.socket.destroyed) writeFrame(this.socket, response);
  }
}
