import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AssetGraph,
  execute,
  type Plan,
  type PlanRequest,
  planRun,
  type RunOutcome,
  type RunStorage,
} from '@vitrina/core';
import { tempDatabase } from '@vitrina/core/testing';
import { ClickHouse } from '@vitrina/io';
import { tempMysqlDatabase, testClickhouseUrl } from '@vitrina/io/testing';
import type { SeedOptions, SeedSummary } from '@vitrina/sample-company';
import { loadWarehouseConfig, type WarehouseConfig } from '../config.ts';

/** Temporary source systems and warehouse on the real servers, for the sample company to be seeded into. */
export interface SampleSystems {
  /** The warehouse's settings pointing at them. */
  config: WarehouseConfig;
  /**
   * The same settings as environment variables, for what reads its configuration when imported
   * (the location module, `packages/assets/src/index.ts`): assign them to `process.env` first.
   */
  env: Record<string, string>;
  /** Seeds the sample company's days `from`…`to` (the company's first day is `start`). */
  seed: (
    company: Omit<SeedOptions, 'from' | 'to' | 'start'>,
    from: string,
    to: string,
  ) => Promise<SeedSummary>;
  /** Drops the databases (and the ClickHouse one, if asked for) and the files folder. */
  drop: () => Promise<void>;
}

/**
 * The payments core, the registry's stand-in, the CRM and the warehouse as fresh databases, a
 * folder for the files and the replay fixtures, and, with `clickhouse`, a ClickHouse database for
 * the marts (dropped with the rest).
 */
export async function sampleSystems(options: {
  start: string;
  prefix: string;
  clickhouse?: boolean;
}): Promise<SampleSystems> {
  const { start, prefix } = options;
  const databases = await Promise.all([
    tempDatabase(`${prefix}_payments`),
    tempDatabase(`${prefix}_registry`),
    tempMysqlDatabase(`${prefix}_bitrix`),
    tempDatabase(`${prefix}_warehouse`),
  ]);
  const [payments, registry, crm, warehouse] = databases;
  const folder = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const mart = options.clickhouse ? `${prefix}_mart_${process.pid}_${Date.now() % 100_000}` : null;
  const clickhouseServer = new URL(testClickhouseUrl).origin;
  const env: Record<string, string> = {
    VITRINA_WAREHOUSE_URL: warehouse.url,
    VITRINA_PAYMENTS_URL: payments.url,
    VITRINA_REGISTRY_URL: registry.url,
    VITRINA_CRM_URL: crm.url,
    ...(mart ? { VITRINA_CLICKHOUSE_URL: `${clickhouseServer}/${mart}` } : {}),
    VITRINA_INBOX: join(folder, 'inbox'),
    VITRINA_REPLAY_FIXTURES: join(folder, 'replay'),
    VITRINA_START: start,
  };
  const config = loadWarehouseConfig(env);
  const targets = {
    crmUrl: crm.url,
    paymentsUrl: payments.url,
    registryUrl: registry.url,
    inbox: config.VITRINA_INBOX,
    replay: config.VITRINA_REPLAY_FIXTURES,
  };
  return {
    config,
    env,
    seed: async (company, from, to) => {
      const { seedCompany } = await import('@vitrina/sample-company');
      return seedCompany(targets, { ...company, from, to, start });
    },
    drop: async () => {
      if (mart) {
        const server = new ClickHouse(clickhouseServer);
        await server.command(`DROP DATABASE IF EXISTS ${mart}`).finally(() => server.close());
      }
      await Promise.all(databases.map((database) => database.drop()));
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Plans and runs a request; any step that did not succeed fails it, naming each with its error. */
export async function materializeAll<R>(options: {
  graph: AssetGraph<R>;
  storage: RunStorage;
  resources: R;
  pools: Readonly<Record<string, number>>;
  request: PlanRequest;
  maxParallel?: number;
}): Promise<RunOutcome & { plan: Plan }> {
  const { graph, storage, resources, pools, request } = options;
  const plan = await planRun(graph, storage, request);
  const outcome = await execute({
    graph,
    plan,
    storage,
    resources,
    pools,
    maxParallel: options.maxParallel ?? 6,
  });
  const failed = outcome.steps.filter((step) => step.status !== 'success');
  if (failed.length > 0)
    throw new Error(
      `materialising ${request.selection} failed: ${failed.map((s) => `${s.assetKey} ${s.partition}: ${s.error}`).join('; ')}`,
    );
  return { ...outcome, plan };
}
