import type { Socket } from 'node:net';
import { deserialize, serialize } from 'node:v8';
import { z } from 'zod';

/**
 * What a process sharing an embedded store sends its owner over the Unix socket, and what comes
 * back. Frames are a 4-byte length and a V8-serialised value, so dates, byte arrays and nested
 * values cross as they are; one socket carries one request at a time.
 */
export const shareRequest = z.discriminatedUnion('op', [
  z.object({ op: z.literal('query'), sql: z.string(), parameters: z.array(z.unknown()) }),
  z.object({ op: z.literal('begin') }),
  z.object({ op: z.literal('commit') }),
  z.object({ op: z.literal('rollback') }),
]);
export type ShareRequest = z.infer<typeof shareRequest>;

/** The fields of a database error a caller may test (`code` above all), kept across the socket. */
const errorFields = [
  'code',
  'detail',
  'hint',
  'constraint',
  'table',
  'column',
  'schema',
  'severity',
] as const;

export const shareResponse = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), rows: z.array(z.unknown()), affected: z.number().optional() }),
  z.object({
    ok: z.literal(false),
    error: z.object({ message: z.string() }).catchall(z.string().optional()),
  }),
]);
export type ShareResponse = z.infer<typeof shareResponse>;

export function errorResponse(error: unknown): ShareResponse {
  const fields: Record<string, string> = {};
  if (error && typeof error === 'object')
    for (const field of errorFields) {
      const value = (error as Record<string, unknown>)[field];
      if (typeof value === 'string') fields[field] = value;
    }
  return { ok: false, error: { message: error instanceof Error ? error.message : String(error), ...fields } };
}

/** The error a sharing process throws for a failed query: the owner's message and fields. */
export function errorFrom(response: Extract<ShareResponse, { ok: false }>): Error {
  return Object.assign(new Error(response.error.message), response.error);
}

/** A frame larger than this is refused rather than buffered. */
const MAX_FRAME = 1 << 30;

export function writeFrame(socket: Socket, message: unknown): void {
  const body = serialize(message);
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32BE(body.length);
  socket.write(Buffer.concat([head, body]));
}

/** Cuts a byte stream into the values of its frames (chunks are joined once a frame is whole). */
export class FrameReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private needed = 4;

  push(chunk: Buffer): unknown[] {
    this.chunks.push(chunk);
    this.length += chunk.length;
    const values: unknown[] = [];
    while (this.length >= this.needed) {
      const buffered = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
      const body = buffered.readUInt32BE(0);
      if (body > MAX_FRAME) throw new Error(`a frame of ${body} bytes is over the limit`);
      if (buffered.length < 4 + body) {
        this.chunks = [buffered];
        this.needed = 4 + body;
        break;
      }
      values.push(deserialize(buffered.subarray(4, 4 + body)));
      const rest = buffered.subarray(4 + body);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.length = rest.length;
      this.needed = 4;
    }
    return values;
  }
}
