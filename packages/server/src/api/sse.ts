import type { Run, RunEvent, RunLauncher, RunStorage } from '@vitrina/core';
import type { FastifyReply } from 'fastify';
import { jsonify } from './json.ts';

const POLL_MS = 500;

/** Takes the reply over as a Server-Sent Events stream (unbuffered by proxies) and returns it. */
function openEventStream(reply: FastifyReply) {
  reply.hijack();
  const response = reply.raw;
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  return response;
}

/**
 * Streams a run's events as Server-Sent Events (`id` is the event's seq, so a client that reconnects
 * with Last-Event-ID resumes). A run active in this process is followed through the launcher; a run
 * another process is running is followed by polling storage; a finished run is replayed, then closed.
 */
export async function streamRunEvents(
  reply: FastifyReply,
  options: {
    run: Run;
    after: number;
    launcher: RunLauncher;
    storage: RunStorage;
    onError: (error: unknown) => void;
  },
): Promise<void> {
  const { run, launcher, storage } = options;
  let last = options.after;
  const response = openEventStream(reply);
  let closed = false;
  response.on('close', () => {
    closed = true;
  });
  const send = (event: RunEvent) => {
    if (closed || event.seq <= last) return;
    last = event.seq;
    response.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(jsonify(event))}\n\n`);
  };
  const finish = () => {
    if (!closed) response.end();
    closed = true;
  };

  await new Promise<void>((resolve) => {
    const followed = launcher.follow(run.id, (event) => {
      send(event);
      if (event.type === 'run_finished') done();
    });
    const done = () => {
      followed?.unsubscribe();
      finish();
      resolve();
    };
    response.on('close', done);
    if (followed) {
      for (const event of followed.past) send(event);
      if (followed.past.some((event) => event.type === 'run_finished')) done();
      return;
    }
    // Not running here: replay storage, and keep polling while another process runs it.
    void (async () => {
      for (;;) {
        for (const event of await storage.listEvents(run.id, { afterSeq: last })) send(event);
        const current = await storage.getRun(run.id);
        if (closed || !current || current.status !== 'running') {
          for (const event of await storage.listEvents(run.id, { afterSeq: last })) send(event);
          return done();
        }
        await new Promise((wait) => setTimeout(wait, POLL_MS));
      }
    })().catch((error: unknown) => {
      options.onError(error);
      done();
    });
  });
}

/** Sent while nothing happens, so proxies and browsers keep the stream open. */
const KEEP_ALIVE_MS = 20_000;

/**
 * Every run's start and end in this server (the API's, the scheduler's, the CLI's beside it), as
 * Server-Sent Events until the client goes: the UI follows a run from its first event instead of
 * finding it at its next poll, and a run over before that poll still shows in the lists.
 */
export function streamRunStarts(reply: FastifyReply, launcher: RunLauncher): void {
  const response = openEventStream(reply);
  response.write(': following every run\n\n');
  const unsubscribe = launcher.bus.subscribe('*', (event) => {
    if (event.type !== 'run_started' && event.type !== 'run_finished') return;
    response.write(`event: ${event.type}\ndata: ${JSON.stringify(jsonify(event))}\n\n`);
  });
  const keepAlive = setInterval(() => response.write(': still here\n\n'), KEEP_ALIVE_MS);
  response.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}
