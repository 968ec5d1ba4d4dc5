import { type CheckPlan, type Plan, planChecks, planRequestFrom, planRerun, planRun } from '@vitrina/core';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { jsonify } from '../json.ts';
import {
  errorSchema,
  eventSchema,
  eventsQuerySchema,
  launchedSchema,
  launchRequestSchema,
  materializeRequestSchema,
  mutationRefusals,
  planSchema,
  refusals,
  runIdParams,
  runSchema,
  runsQuerySchema,
  stepSchema,
  streamHeadersSchema,
  tokenSecurity,
} from '../schemas.ts';
import { streamRunEvents, streamRunStarts } from '../sse.ts';

export function runRoutes(context: ApiContext): FastifyPluginAsyncZod {
  const { workspace, launcher } = context;
  const { graph } = workspace.location;

  const findRun = async (id: string) => {
    const run = await workspace.storage.getRun(id);
    if (!run) throw new NotFoundError(`no run "${id}"`);
    return run;
  };

  return async (app) => {
    /** Starts a run and answers 202 once it is stored (so its id resolves at once), or 200 when nothing is stale. */
    const launch = async (
      reply: FastifyReply,
      plan: Plan,
      options: { parentRunId?: string; trigger: 'manual' | 'rerun'; nothingToRun?: string },
    ) => {
      if (plan.steps.length === 0)
        return reply
          .code(200)
          .send({ runId: null, steps: 0, message: options.nothingToRun ?? 'nothing is stale' });
      const { runId, recorded, done } = launcher.launch(plan, {
        trigger: options.trigger,
        parentRunId: options.parentRunId ?? null,
      });
      done.catch((error: unknown) => context.logFailure('the run could not be recorded', error, { runId }));
      await recorded;
      const kind = plan.mode === 'checks' ? 'check-only run' : 'run';
      return reply
        .code(202)
        .send({ runId, steps: plan.steps.length, message: `${kind} of ${plan.steps.length} steps started` });
    };

    app.get(
      '/api/plan',
      {
        schema: {
          summary: 'What materialising a selection would run, and why',
          querystring: materializeRequestSchema.extend({ force: z.stringbool().default(false) }),
          response: { ...refusals, 200: planSchema, 400: errorSchema },
        },
      },
      async (request) => {
        const plan = await planRun(graph, workspace.storage, planRequestFrom(request.query));
        return { steps: plan.steps, assets: plan.assets };
      },
    );

    app.post(
      '/api/materialize',
      {
        schema: {
          summary:
            'Materialise the stale (or, with force, all) partitions of a selection; with checksOnly, run their checks only',
          body: launchRequestSchema,
          response: { ...mutationRefusals, 202: launchedSchema, 200: launchedSchema },
          security: tokenSecurity,
        },
      },
      async (request, reply) => {
        const { checksOnly, ...body } = request.body;
        const planRequest = planRequestFrom(body);
        if (!checksOnly)
          return launch(reply, await planRun(graph, workspace.storage, planRequest), { trigger: 'manual' });
        const plan = await planChecks(graph, workspace.storage, planRequest);
        return launch(reply, plan, { trigger: 'manual', nothingToRun: nothingToTest(plan) });
      },
    );

    app.get(
      '/api/runs',
      {
        schema: {
          summary: 'Runs, newest first',
          querystring: runsQuerySchema,
          response: { ...refusals, 200: z.object({ runs: z.array(runSchema) }), 400: errorSchema },
        },
      },
      async (request) => jsonify({ runs: await workspace.storage.listRuns(request.query) }),
    );

    app.get(
      '/api/runs/:id',
      {
        schema: {
          summary: 'One run with its steps',
          params: runIdParams,
          response: {
            ...refusals,
            200: z.object({ run: runSchema, steps: z.array(stepSchema) }),
            400: errorSchema,
            404: errorSchema,
          },
        },
      },
      async (request) => {
        const run = await findRun(request.params.id);
        const steps = await workspace.storage.listSteps(run.id);
        return jsonify({ run, steps: steps.map(({ runId: _, ...step }) => step) });
      },
    );

    app.get(
      '/api/runs/:id/events',
      {
        schema: {
          summary: "A run's event log (stored events; use /stream to follow live)",
          params: runIdParams,
          querystring: eventsQuerySchema,
          response: {
            ...refusals,
            200: z.object({ events: z.array(eventSchema) }),
            400: errorSchema,
            404: errorSchema,
          },
        },
      },
      async (request) => {
        const run = await findRun(request.params.id);
        const events = await workspace.storage.listEvents(run.id, {
          afterSeq: request.query.after,
          limit: request.query.limit,
        });
        return jsonify({ events });
      },
    );

    app.get(
      '/api/live',
      {
        schema: {
          summary:
            "Every run's start and end in this server as Server-Sent Events (run_started, run_finished), live until the client goes",
          response: refusals,
        },
      },
      async (_request, reply) => streamRunStarts(reply, launcher),
    );

    app.get(
      '/api/runs/:id/stream',
      {
        schema: {
          summary: "A run's events as Server-Sent Events: what happened so far, then live until it finishes",
          params: runIdParams,
          headers: streamHeadersSchema,
          response: { ...refusals, 400: errorSchema, 404: errorSchema },
        },
      },
      async (request, reply) => {
        const run = await findRun(request.params.id);
        const after = Number(request.headers['last-event-id'] ?? 0);
        await streamRunEvents(reply, {
          run,
          after,
          launcher,
          storage: workspace.storage,
          onError: (error) => context.logFailure('the event stream failed', error, { runId: run.id }),
        });
      },
    );

    app.post(
      '/api/runs/:id/cancel',
      {
        schema: {
          summary: 'Cancel a run running in this server',
          params: runIdParams,
          response: {
            ...mutationRefusals,
            202: z.object({ cancelled: z.literal(true) }),
            404: errorSchema,
            409: errorSchema,
          },
          security: tokenSecurity,
        },
      },
      async (request, reply) => {
        const run = await findRun(request.params.id);
        if (!launcher.cancel(run.id, 'cancelled through the API')) {
          throw new ConflictError(
            `run ${run.id} is ${run.status === 'running' ? 'not running in this server' : run.status}`,
          );
        }
        return reply.code(202).send({ cancelled: true });
      },
    );

    app.post(
      '/api/runs/:id/rerun',
      {
        schema: {
          summary: 'Run again what did not succeed in a finished run',
          params: runIdParams,
          response: { ...mutationRefusals, 202: launchedSchema, 200: launchedSchema, 404: errorSchema },
          security: tokenSecurity,
        },
      },
      async (request, reply) => {
        const run = await findRun(request.params.id);
        const { plan } = await planRerun(graph, workspace.storage, run.id);
        return launch(reply, plan, { trigger: 'rerun', parentRunId: run.id });
      },
    );
  };
}

function nothingToTest(plan: CheckPlan): string {
  const reasons = plan.untested.map((untested) => untested.reason);
  return reasons.length === 0 ? 'nothing to test' : `nothing to test: ${reasons.join('; ')}`;
}
