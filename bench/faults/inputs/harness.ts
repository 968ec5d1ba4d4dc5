import { AssetGraph, addDays, execute, type Metadata, planRun, type StepStatus } from '@vitrina/core';
import { openTestStorage, type TestStorage } from '@vitrina/core/testing';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { loadWarehouseConfig } from '../../../packages/assets/src/config.ts';
import { openResources, type WarehouseResources } from '../../../packages/assets/src/resources.ts';
import { stageAssets } from '../../../packages/assets/src/stage/index.ts';
import { type SampleSystems, sampleSystems } from '../../../packages/assets/src/testing/index.ts';

/** Settings a case runs with, as environment variables over the systems' own. */
export type Settings = Record<string, string>;

/** One forced materialisation of one stage asset partition, as the engine recorded it. */
export interface StepRun {
  runId: string;
  status: StepStatus | 'not planned';
  error: string | null;
  attempts: number;
  /** The materialisation's metadata (read, loaded, quarantined…), when it succeeded. */
  metadata: Metadata | null;
  seconds: number;
}

/**
 * The warehouse's real stage layer over fresh sample systems of its own (the sample company seeded
 * for a few days at scale 1, every stage asset materialised from good data), the run storage, and
 * connections to each source system for the cases to break.
 */
export interface Harness {
  /** The day every case materialises: the last one seeded. */
  day: string;
  systems: SampleSystems;
  inbox: string;
  replay: string;
  warehouse: pg.Pool;
  payments: pg.Pool;
  registry: pg.Pool;
  crm: mysql.Connection;
  /** Materialises `asset` for `day` with force, with the settings given (resources opened for them). */
  run: (asset: string, settings?: Settings) => Promise<StepRun>;
  close: () => Promise<void>;
}

const POOLS = { crm: 1, payments: 1, registry: 1, files: 1, api: 2 };

export async function openHarness(options: { start: string; days: number }): Promise<Harness> {
  const { start } = options;
  const day = addDays(start, options.days - 1);
  const systems = await sampleSystems({ start, prefix: 'bench_faults_in' });
  let runs: TestStorage | null = null;
  let resources: WarehouseResources | null = null;
  try {
    await systems.seed({ scale: 1, seed: 1 }, start, day);
    runs = await openTestStorage('postgres');
    resources = await openResources(systems.config);
    const storage = runs.storage;
    const graph = new AssetGraph(stageAssets(start));
    const good = resources;
    const baseline = await execute({
      graph,
      plan: await planRun(graph, storage, { selection: 'group:stage', from: start, to: day }),
      storage,
      resources: good,
      pools: POOLS,
      maxParallel: 6,
    });
    const failed = baseline.steps.filter((step) => step.status !== 'success');
    if (failed.length > 0)
      throw new Error(
        `the good load failed: ${failed.map((s) => `${s.assetKey} ${s.partition}: ${s.error}`).join('; ')}`,
      );

    const run = async (asset: string, settings?: Settings): Promise<StepRun> => {
      const started = performance.now();
      let used: WarehouseResources;
      try {
        used = settings ? await openResources(loadWarehouseConfig({ ...systems.env, ...settings })) : good;
      } catch (error) {
        // A setting refused at start-up: nothing runs, the message is what a person sees.
        const message = error instanceof Error ? error.message : String(error);
        return { runId: '', status: 'failed', error: message, attempts: 0, metadata: null, seconds: 0 };
      }
      try {
        const plan = await planRun(graph, storage, { selection: asset, from: day, to: day, force: true });
        const outcome = await execute({
          graph,
          plan,
          storage,
          resources: used,
          pools: POOLS,
          maxParallel: 4,
        });
        const seconds = (performance.now() - started) / 1000;
        const step = outcome.steps.find((s) => s.assetKey === asset && s.partition === day);
        const materialization = (await storage.materializations(asset, { limit: 20 })).find(
          (m) => m.runId === outcome.run.id && m.partition === day && m.status === 'success',
        );
        return {
          runId: outcome.run.id,
          status: step?.status ?? 'not planned',
          error: step?.error ?? null,
          attempts: step?.attempts ?? 0,
          metadata: materialization?.metadata ?? null,
          seconds,
        };
      } finally {
        if (settings) await used.close();
      }
    };

    const payments = new pg.Pool({ connectionString: systems.env.VITRINA_PAYMENTS_URL, max: 2 });
    const registry = new pg.Pool({ connectionString: systems.env.VITRINA_REGISTRY_URL, max: 2 });
    const crm = await mysql.createConnection({ uri: systems.env.VITRINA_CRM_URL, multipleStatements: true });
    const opened = runs;
    return {
      day,
      systems,
      inbox: systems.config.VITRINA_INBOX,
      replay: systems.config.VITRINA_REPLAY_FIXTURES,
      warehouse: good.warehouse,
      payments,
      registry,
      crm,
      run,
      close: async () => {
        await Promise.all([payments.end(), registry.end(), crm.end()]);
        await good.close();
        await opened.dispose();
        if (process.env.BENCH_FAULTS_KEEP)
          console.log(`  kept the bad inputs' warehouse ${systems.env.VITRINA_WAREHOUSE_URL}`);
        else await systems.drop();
      },
    };
  } catch (error) {
    await resources?.close();
    await runs?.dispose();
    await systems.drop();
    throw error;
  }
}
