import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';

/** How a misbehaving API answers every request. */
export type Misbehaviour =
  | { kind: 'status'; status: number; body?: string; contentType?: string }
  | { kind: 'body'; body: Buffer | string; contentType?: string }
  /** Accepts the request and never answers. */
  | { kind: 'hang' };

export interface FaultServer {
  url: string;
  /** The requests it received (paths). */
  requests: string[];
  close: () => Promise<void>;
}

/** An HTTP server on loopback answering every request as told. */
export async function misbehavingApi(behaviour: Misbehaviour): Promise<FaultServer> {
  const requests: string[] = [];
  const server = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
    requests.push(request.url ?? '');
    if (behaviour.kind === 'hang') return;
    const status = behaviour.kind === 'status' ? behaviour.status : 200;
    response.writeHead(status, {
      'content-type': behaviour.contentType ?? 'application/json; charset=utf-8',
    });
    response.end(behaviour.body ?? '');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A TCP server on loopback that accepts connections and never says a word (a database that hangs). */
export async function silentServer(): Promise<FaultServer> {
  const sockets = new Set<Socket>();
  const server: Server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `127.0.0.1:${port}`,
    requests: [],
    close: () =>
      new Promise((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

/** A loopback port nothing listens on: bound for a moment to learn a free one, then released. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
