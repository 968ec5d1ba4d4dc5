import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run, Step } from '../src/index.ts';
import { emptyBatch } from '../src/storage/records.ts';
import { openTestStorage, storageKinds, type TestStorage } from '../src/testing/index.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

function run(id: string, minute: number): Run {
  return {
    id,
    status: 'running',
    trigger: 'manual',
    selection: '*',
    partitionFrom: null,
    partitionTo: null,
    force: false,
    parentRunId: null,
    stepCount: 1,
    createdAt: at(minute),
    finishedAt: null,
    error: null,
    host: null,
    pid: null,
    heartbeatAt: null,
  };
}

function step(runId: string, partition: string, status: Step['status']): Step {
  return {
    runId,
    assetKey: 'stage.a',
    partition,
    status,
    reason: 'never materialised',
    attempts: 0,
    startedAt: null,
    finishedAt: null,
    rowCount: null,
    error: null,
  };
}

describe.each(storageKinds)('run storage on %s', (kind) => {
  let test: TestStorage;
  beforeAll(async () => {
    test = await openTestStorage(kind);
  });
  afterAll(async () => test?.dispose());

  it('migrates idempotently', async () => {
    await test.storage.migrate();
    await test.storage.migrate();
    expect(await test.storage.listRuns()).toEqual([]);
  });

  it('stores runs and finds one by a unique id prefix', async () => {
    await test.storage.createRun(run('aaaa1111-run', 1), [step('aaaa1111-run', '2026-01-01', 'queued')]);
    await test.storage.createRun(run('aaaa2222-run', 2), []);
    expect((await test.storage.listRuns()).map((r) => r.id)).toEqual(['aaaa2222-run', 'aaaa1111-run']);
    expect((await test.storage.getRun('aaaa1'))?.createdAt).toEqual(at(1));
    expect(await test.storage.getRun('aaaa')).toBeNull(); // ambiguous
    expect(await test.storage.getRun('a%')).toBeNull(); // LIKE wildcards are literal
  });

  it('writes a batch atomically, the last state of a step winning', async () => {
    const batch = emptyBatch();
    batch.steps.push(
      { ...step('aaaa1111-run', '2026-01-01', 'running'), attempts: 1, startedAt: at(3) },
      {
        ...step('aaaa1111-run', '2026-01-01', 'success'),
        attempts: 1,
        startedAt: at(3),
        finishedAt: at(4),
        rowCount: 5_000_000_000,
      },
    );
    batch.events.push(
      {
        runId: 'aaaa1111-run',
        seq: 1,
        type: 'run_started',
        assetKey: null,
        partition: null,
        at: at(3),
        message: null,
        data: {},
      },
      {
        runId: 'aaaa1111-run',
        seq: 2,
        type: 'materialized',
        assetKey: 'stage.a',
        partition: '2026-01-01',
        at: at(4),
        message: 'm',
        data: { rows: 3, nested: { a: [1, 'x'] } },
      },
    );
    batch.runs.push({ id: 'aaaa1111-run', status: 'success', finishedAt: at(5), error: null, stepCount: 1 });
    await test.storage.write(batch);

    const [stored] = await test.storage.listSteps('aaaa1111-run');
    expect(stored).toMatchObject({ status: 'success', rowCount: 5_000_000_000, finishedAt: at(4) });
    const events = await test.storage.listEvents('aaaa1111-run');
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    expect(events[1]!.data).toEqual({ rows: 3, nested: { a: [1, 'x'] } });
    expect(await test.storage.listEvents('aaaa1111-run', { afterSeq: 1 })).toHaveLength(1);
    expect((await test.storage.getRun('aaaa1111-run'))?.status).toBe('success');
  });

  it('rolls back a batch that fails half way', async () => {
    const batch = emptyBatch();
    batch.events.push({
      runId: 'aaaa2222-run',
      seq: 1,
      type: 'run_started',
      assetKey: null,
      partition: null,
      at: at(6),
      message: null,
      data: {},
    });
    batch.events.push({
      runId: 'no-such-run',
      seq: 1,
      type: 'run_started',
      assetKey: null,
      partition: null,
      at: at(6),
      message: null,
      data: {},
    });
    await expect(test.storage.write(batch)).rejects.toThrow();
    expect(await test.storage.listEvents('aaaa2222-run')).toEqual([]);
  });

  it('keeps the latest state of each asset partition', async () => {
    const base = {
      assetKey: 'stage.a',
      partition: '2026-01-01',
      codeVersion: 'c1',
      consumed: { 'stage.up_stream': { '2026-01-01': 'u1' }, 'mart.camelCase_key': { '': 'u2' } },
      rowCount: 10,
      runId: 'aaaa1111-run',
      failure: null,
    };
    const first = emptyBatch();
    first.assetPartitions.push({
      ...base,
      status: 'materialized',
      dataVersion: 'd1',
      materializedAt: at(1),
      updatedAt: at(1),
    });
    await test.storage.write(first);
    const second = emptyBatch();
    second.assetPartitions.push({
      ...base,
      status: 'failed',
      dataVersion: 'd1',
      materializedAt: at(1),
      updatedAt: at(2),
      failure: 'boom',
    });
    await test.storage.write(second);
    const states = await test.storage.assetPartitions(['stage.a', 'stage.none']);
    expect(states).toHaveLength(1);
    expect(states[0]).toMatchObject({
      status: 'failed',
      dataVersion: 'd1',
      failure: 'boom',
      consumed: base.consumed,
    });
    expect(await test.storage.assetPartitions([])).toEqual([]);
  });

  it('stores materialisations and check results', async () => {
    const batch = emptyBatch();
    batch.materializations.push({
      runId: 'aaaa1111-run',
      assetKey: 'stage.a',
      partition: '2026-01-01',
      status: 'success',
      startedAt: at(3),
      finishedAt: at(4),
      rowCount: 7,
      dataVersion: 'd1',
      codeVersion: 'c1',
      consumed: {},
      metadata: { source: 'crm' },
      error: null,
    });
    batch.checkResults.push({
      runId: 'aaaa1111-run',
      assetKey: 'stage.a',
      partition: '2026-01-01',
      checkName: 'not_empty',
      severity: 'error',
      passed: false,
      message: '0 rows',
      metadata: { rows: 0 },
      at: at(4),
    });
    await test.storage.write(batch);
    expect(await test.storage.materializations('stage.a')).toMatchObject([
      { rowCount: 7, metadata: { source: 'crm' } },
    ]);
    expect(await test.storage.checkResults({ assetKey: 'stage.a' })).toMatchObject([
      { checkName: 'not_empty', passed: false },
    ]);
  });

  it('stores cursors and schedule ticks', async () => {
    await test.storage.setCursor(
      { source: 'payments', name: 'trans_date', value: '2026-01-01', runId: null },
      at(1),
    );
    await test.storage.setCursor(
      { source: 'payments', name: 'trans_date', value: '2026-01-02', runId: 'aaaa1111-run' },
      at(2),
    );
    expect(await test.storage.getCursor('payments', 'trans_date')).toEqual({
      source: 'payments',
      name: 'trans_date',
      value: '2026-01-02',
      runId: 'aaaa1111-run',
      updatedAt: at(2),
    });
    expect(await test.storage.getCursor('payments', 'other')).toBeNull();
    await test.storage.recordTick({
      schedule: 'daily',
      tickAt: at(30),
      evaluatedAt: at(30),
      decision: 'run',
      reason: 'cron',
      runId: null,
      data: { assets: 3 },
    });
    expect(await test.storage.listTicks({ schedule: 'daily' })).toMatchObject([
      { decision: 'run', data: { assets: 3 } },
    ]);
  });
});
