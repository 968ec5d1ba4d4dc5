import { UserError } from '@vitrina/core';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ConflictError, NotFoundError } from './errors.ts';

/**
 * Logs a failure the client only hears about as "internal": through Fastify's logger when it is on,
 * else as one JSON line on stderr, so a 500 is never left without its cause.
 */
export function logFailure(
  app: FastifyInstance,
  logging: boolean,
  fields: { requestId?: string; method?: string; url?: string; message: string },
  error: unknown,
): void {
  const stack = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  if (logging) {
    app.log.error({ ...fields, err: error }, fields.message);
    return;
  }
  process.stderr.write(
    `${JSON.stringify({ level: 'error', time: new Date().toISOString(), ...fields, stack })}\n`,
  );
}

const fieldOf = (error: FastifyError & { validation: { instancePath: string }[] }) =>
  [error.validationContext, ...(error.validation[0]?.instancePath.split('/').filter(Boolean) ?? [])].join(
    '.',
  );

/** Answers every error as JSON: 400 naming the field for bad input, 404/409, and a logged 500. */
export function installErrorHandler(app: FastifyInstance, logging: boolean): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      return reply.code(400).send({
        error: 'bad_request',
        field: fieldOf(error),
        message: error.validation[0]?.message ?? 'invalid request',
      });
    }
    if (error instanceof UserError)
      return reply.code(400).send({ error: 'bad_request', message: error.message });
    if (error instanceof NotFoundError)
      return reply.code(404).send({ error: 'not_found', message: error.message });
    if (error instanceof ConflictError)
      return reply.code(409).send({ error: 'conflict', message: error.message });
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ error: 'bad_request', message: error.message });
    }
    const requestId = String(request.id);
    logFailure(
      app,
      logging,
      { requestId, method: request.method, url: request.url, message: 'request failed' },
      error,
    );
    return reply.code(500).send({
      error: 'internal',
      message: `internal error (request ${requestId}); see the server log`,
      requestId,
    });
  });
}
