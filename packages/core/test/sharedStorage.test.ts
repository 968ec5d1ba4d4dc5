import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStorage, type ScheduleTick } from '../src/index.ts';
import { writeFrame } from '../src/storage/embedded/protocol.ts';

const holdStore = resolve(import.meta.dirname, 'fixtures/holdStore.ts');

let home: string;
let owner: ChildProcess;
let ownerExited: Promise<number | null>;
let shared: RunStorage;

const tick = (schedule: string): ScheduleTick => ({
  schedule,
  tickAt: new Date('2026-12-01T06:00:00Z'),
  evaluatedAt: new Date('2026-12-01T06:00:01.250Z'),
  decision: 'skip',
  reason: 'a test tick',
  runId: null,
  data: { nested: { days: [1, 2] } },
});

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'vitrina-shared-'));
  owner = spawn(process.execPath, ['--import', 'tsx', holdStore, home], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  ownerExited = new Promise((done) => owner.once('exit', done));
  for await (const line of createInterface({ input: owner.stdout as NodeJS.ReadableStream }))
    if (line === 'holding') break;
  shared = await RunStorage.open({ home });
}, 60_000);

afterAll(async () => {
  await shared?.close();
  owner?.stdin?.end();
  await ownerExited;
  rmSync(home, { recursive: true, force: true });
});

describe('an embedded store shared by the process that holds it', () => {
  it('reads and writes through the owner, values keeping their types', async () => {
    await shared.recordTick(tick('plain'));
    const [read] = await shared.listTicks({ schedule: 'plain' });
    expect(read).toEqual(tick('plain'));
    expect(read?.evaluatedAt).toBeInstanceOf(Date);
  });

  it('answers many queries at once, each its own', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => sql<{ n: number }>`select ${i}::int as n`.execute(shared.db)),
    );
    expect(answers.map((answer) => answer.rows[0]?.n)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('rolls a failed transaction back, and keeps the database error code', async () => {
    await expect(
      shared.db.transaction().execute(async (trx) => {
        await trx.insertInto('scheduleTicks').values(tick('rolled back')).execute();
        await sql`select 1 / 0`.execute(trx);
      }),
    ).rejects.toMatchObject({ code: '22012', message: 'division by zero' });
    expect(await shared.listTicks({ schedule: 'rolled back' })).toEqual([]);
  });

  it('gives the session back when a sharer vanishes inside a transaction', async () => {
    const socket = connect(join(home, 'pglite.sock'));
    await new Promise((done) => socket.once('connect', done));
    writeFrame(socket, { op: 'begin' });
    writeFrame(socket, {
      op: 'query',
      sql: `insert into vitrina.schedule_ticks (schedule, tick_at, evaluated_at, decision, reason, data) values ('orphan', now(), now(), 'skip', '', '{}')`,
      parameters: [],
    });
    await new Promise((done) => setTimeout(done, 200));
    socket.destroy();
    // Were the session still held, this would wait for the owner's 30 s idle limit.
    const started = Date.now();
    expect(await shared.listTicks({ schedule: 'orphan' })).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses to share with a process that must own its store, naming the holder', async () => {
    await expect(RunStorage.open({ home, own: true })).rejects.toThrow(
      new RegExp(`is open in process ${owner.pid} \\(.*\\), and a server or scheduler must own its storage`),
    );
  });

  it('names the owner when it is gone, and the next process owns the store', async () => {
    owner.stdin?.end();
    await ownerExited;
    await expect(shared.listRuns()).rejects.toThrow(
      new RegExp(`shared by process ${owner.pid} \\(.*\\), and it cannot be reached`),
    );
    expect(existsSync(join(home, 'pglite.lock'))).toBe(false);
    const next = await RunStorage.open({ home });
    expect(await next.listTicks({ schedule: 'plain' })).toHaveLength(1);
    await next.close();
  });
});
