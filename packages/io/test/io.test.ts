import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tempDatabase } from '@vitrina/core/testing';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  decodeCopyLine,
  encodeCopyLine,
  fetchJson,
  HttpError,
  loadValidated,
  quarantineDdl,
  streamMysql,
  streamPostgres,
  TransientHttpError,
} from '../src/index.ts';
import { tempMysqlDatabase } from '../src/testing/index.ts';

describe('COPY text format', () => {
  it('round-trips awkward values', () => {
    const values = ['tab\there', 'line\nbreak', 'back\\slash', '', null, 'crlf\r\n', 'кириллица'];
    const line = encodeCopyLine(values);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1).split('\t')).toHaveLength(values.length);
    expect(decodeCopyLine(line.slice(0, -1))).toEqual(values);
  });
});

const paymentSchema = z.object({
  id: z.coerce.number().int().positive(),
  amount: z.coerce.number().positive('amount must be positive'),
  currency: z.enum(['BYN', 'USD', 'EUR', 'RUB']),
  note: z.string().nullable(),
});

describe('streaming sources into a validated, atomic load', () => {
  let source: { url: string; drop: () => Promise<void> };
  let warehouse: { url: string; drop: () => Promise<void> };
  let crm: { url: string; drop: () => Promise<void> };
  let sourcePool: pg.Pool;
  let warehousePool: pg.Pool;

  beforeAll(async () => {
    [source, warehouse, crm] = await Promise.all([
      tempDatabase('vitrina_src'),
      tempDatabase('vitrina_wh'),
      tempMysqlDatabase(),
    ]);
    sourcePool = new pg.Pool({ connectionString: source.url });
    warehousePool = new pg.Pool({ connectionString: warehouse.url });
    // A loosely typed source, as real ones often are: amount and currency as text.
    await sourcePool.query(`create table payments (id int, day date, amount text, currency text, note text);
      insert into payments select n, date '2026-01-01' + (n % 2), (n * 1.5)::text, 'BYN', case when n % 3 = 0 then null else 'n' || n end
      from generate_series(1, 1000) n;
      update payments set amount = '-5' where id = 10;
      update payments set currency = 'XYZ' where id = 20;
      update payments set amount = '12,5O' where id = 30;
      update payments set note = E'tab\\there' where id = 40;`);
    await warehousePool.query(`create schema stage; create table stage.payments (day date, id int, amount numeric, currency text, note text);
      ${quarantineDdl}`);
    const my = await mysql.createConnection({ uri: crm.url });
    await my.query(
      'create table b_crm_deal (ID int primary key, OPPORTUNITY decimal(18,2), CURRENCY_ID varchar(3), DATE_MODIFY datetime)',
    );
    await my.query(
      `insert into b_crm_deal values ${Array.from({ length: 500 }, (_, i) => `(${i + 1}, ${(i + 1) * 10}.25, 'BYN', '2026-01-01 10:00:00')`).join(',')}`,
    );
    await my.end();
  });
  afterAll(async () => {
    await sourcePool?.end();
    await warehousePool?.end();
    await Promise.all([source?.drop(), warehouse?.drop(), crm?.drop()]);
  });

  const load = (day: string, rows?: AsyncIterable<readonly unknown[]>) =>
    loadValidated({
      pool: warehousePool,
      rows:
        rows ??
        streamPostgres(sourcePool, `select id, amount, currency, note from payments where day = '${day}'`, [
          'id',
          'amount',
          'currency',
          'note',
        ]),
      schema: paymentSchema,
      toValues: (row) => [day, row.id, row.amount, row.currency, row.note],
      target: {
        table: 'stage.payments',
        columns: ['day', 'id', 'amount', 'currency', 'note'],
        partition: { column: 'day', value: day },
      },
      quarantine: { source: 'payments', asset: 'stage.payments', partition: day, runId: 'run-1' },
    });

  it('loads valid rows with COPY, quarantines the rest with the reason, and the counts reconcile', async () => {
    const day = '2026-01-01'; // even ids: 500 rows, bad ones at 10, 20 and 30
    const result = await load(day);
    const [{ n }] = (
      await warehousePool.query('select count(*)::int as n from stage.payments where day = $1', [day])
    ).rows;
    const quarantine = (
      await warehousePool.query(
        "select reason, raw->>'id' as id from quarantine.rows where partition = $1 order by (raw->>'id')::int",
        [day],
      )
    ).rows;
    expect(result).toMatchObject({ read: 500, loaded: n, quarantined: quarantine.length });
    expect(result.read).toBe(result.loaded + result.quarantined);
    expect(quarantine.map((row) => row.id)).toEqual(['10', '20', '30']);
    expect(quarantine[0].reason).toMatch(/amount: amount must be positive/);
    expect(quarantine[1].reason).toMatch(/currency/);
    expect(quarantine[2].reason).toMatch(/amount/);
  });

  it('replaces a range of days at once, quarantines repeated rows, and versions each day by content', async () => {
    await warehousePool.query(
      'create table stage.events (day date, id int, amount numeric, currency text, note text)',
    );
    type Row = { day: string; id: string; amount: string; currency: string; note: string | null };
    const rows: Row[] = [
      { day: '2026-02-01', id: '1', amount: '10', currency: 'BYN', note: null },
      { day: '2026-02-01', id: '1', amount: '10', currency: 'BYN', note: null }, // delivered twice
      { day: '2026-02-02', id: '2', amount: '-3', currency: 'BYN', note: null }, // bad
      { day: '2026-02-02', id: '3', amount: '7', currency: 'USD', note: null },
      { day: '2026-02-02', id: '3', amount: '8', currency: 'USD', note: null }, // same id, other amount: stays
    ];
    const loadRange = (batch: Row[]) =>
      loadValidated({
        pool: warehousePool,
        rows: (async function* () {
          yield batch;
        })(),
        schema: paymentSchema.extend({ day: z.string() }),
        toValues: (row) => [row.day, row.id, row.amount, row.currency, row.note],
        target: {
          table: 'stage.events',
          columns: ['day', 'id', 'amount', 'currency', 'note'],
          partition: { column: 'day', from: '2026-02-01', to: '2026-02-03' },
        },
        partitionOf: (raw) => (raw as { day?: string }).day ?? null,
        deduplicateBy: ['id'],
        // Two of five rows are bad here: more than the default 20 % allowed.
        guard: { maxQuarantinedShare: 0.5 },
        quarantine: { source: 'events', asset: 'stage.events', partition: '2026-02-03', runId: 'run-2' },
      });
    const first = await loadRange(rows);
    expect(first).toMatchObject({ read: 5, loaded: 3, quarantined: 2 });
    const stored = await warehousePool.query<{ day: string; id: number; amount: string }>(
      'select day::text, id, amount::text from stage.events order by id, amount',
    );
    expect(stored.rows).toEqual([
      { day: '2026-02-01', id: 1, amount: '10' },
      { day: '2026-02-02', id: 3, amount: '7' },
      { day: '2026-02-02', id: 3, amount: '8' },
    ]);
    const quarantined = await warehousePool.query<{ partition: string; reason: string }>(
      "select partition, reason from quarantine.rows where asset = 'stage.events' order by partition",
    );
    expect(quarantined.rows.map((row) => row.partition)).toEqual(['2026-02-01', '2026-02-02']);
    expect(quarantined.rows[0]?.reason).toMatch(/duplicate row: id 1/);
    expect(first.partitions?.map((p) => [p.partition, p.rows])).toEqual([
      ['2026-02-01', 1],
      ['2026-02-02', 2],
      ['2026-02-03', 0],
    ]);

    // The same rows again: same versions. A late row for 2026-02-01: only that day's version moves.
    const again = await loadRange(rows);
    expect(again.partitions).toEqual(first.partitions);
    const late = await loadRange([
      ...rows,
      { day: '2026-02-01', id: '4', amount: '1', currency: 'EUR', note: 'late' },
    ]);
    const changed = late.partitions?.filter((p, i) => p.dataVersion !== first.partitions?.[i]?.dataVersion);
    expect(changed?.map((p) => p.partition)).toEqual(['2026-02-01']);
    expect(
      (
        await warehousePool.query(
          "select count(*)::int as n from quarantine.rows where asset = 'stage.events'",
        )
      ).rows[0].n,
    ).toBe(2);
  });

  it('is idempotent: loading the same day again leaves the same rows and quarantine', async () => {
    const day = '2026-01-02';
    const checksum = async () =>
      (
        await warehousePool.query(
          "select md5(string_agg(t::text, ',' order by id)) as sum, count(*)::int as n from stage.payments t where day = $1",
          [day],
        )
      ).rows[0];
    await load(day);
    const first = await checksum();
    await load(day);
    expect(await checksum()).toEqual(first);
    const { rows } = await warehousePool.query('select note from stage.payments where id = 40');
    expect(rows[0].note).toBe('tab\there');
    expect(
      (
        await warehousePool.query('select count(*)::int as n from quarantine.rows where partition = $1', [
          day,
        ])
      ).rows[0].n,
    ).toBe(0);
  });

  it('rolls everything back when the load fails half way', async () => {
    const day = '2026-01-01';
    const before = (
      await warehousePool.query('select count(*)::int as n from stage.payments where day = $1', [day])
    ).rows[0].n;
    async function* failing() {
      yield [{ id: 1, amount: '1', currency: 'BYN', note: null }];
      throw new Error('the source connection dropped');
    }
    await expect(load(day, failing())).rejects.toThrow(/the source connection dropped/);
    expect(
      (await warehousePool.query('select count(*)::int as n from stage.payments where day = $1', [day]))
        .rows[0].n,
    ).toBe(before);
  });

  it('streams text whose characters the network splits between chunks intact', async () => {
    let rows = 0;
    for await (const batch of streamPostgres(
      sourcePool,
      "select repeat('ж', 50 + n % 7) as t from generate_series(1, 20000) n",
      ['t'],
    )) {
      for (const row of batch) expect(row.t).toMatch(/^ж+$/);
      rows += batch.length;
    }
    expect(rows).toBe(20000);
  });

  it('streams MySQL rows with decimals and dates as the source has them', async () => {
    const rows: Array<Record<string, unknown>> = [];
    for await (const batch of streamMysql(
      crm.url,
      'select ID, OPPORTUNITY, DATE_MODIFY from b_crm_deal where ID <= ? order by ID',
      [3],
    ))
      rows.push(...batch);
    expect(rows).toEqual([
      { ID: 1, OPPORTUNITY: '10.25', DATE_MODIFY: '2026-01-01 10:00:00' },
      { ID: 2, OPPORTUNITY: '20.25', DATE_MODIFY: '2026-01-01 10:00:00' },
      { ID: 3, OPPORTUNITY: '30.25', DATE_MODIFY: '2026-01-01 10:00:00' },
    ]);
    let count = 0;
    for await (const batch of streamMysql(crm.url, 'select * from b_crm_deal', [], 64)) {
      expect(batch.length).toBeLessThanOrEqual(64);
      count += batch.length;
    }
    expect(count).toBe(500);
  });
});

describe('fetchJson against a real HTTP server', () => {
  let server: Server;
  let base: string;
  const hits = new Map<string, number>();
  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = request.url ?? '';
      const hit = (hits.get(path.split('?')[0]!) ?? 0) + 1;
      hits.set(path.split('?')[0]!, hit);
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(JSON.stringify(body));
      };
      if (path.startsWith('/ok'))
        return json(200, [{ Cur_Abbreviation: 'USD', Cur_Scale: 1, Cur_OfficialRate: 2.9 }]);
      if (path.startsWith('/flaky')) return hit < 3 ? json(503, { error: 'busy' }) : json(200, []);
      if (path.startsWith('/limited')) return hit < 2 ? json(429, {}, { 'retry-after': '0' }) : json(200, []);
      if (path.startsWith('/missing')) return json(404, { error: 'no such thing' });
      if (path.startsWith('/garbage')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end('<html>oops</html>');
      }
      if (path.startsWith('/shape')) return json(200, [{ Cur_Abbreviation: 'USD', Cur_Scale: 'one' }]);
      if (path.startsWith('/slow')) return setTimeout(() => json(200, []), 2000);
      return json(500, {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const rates = z.array(
    z.object({
      Cur_Abbreviation: z.string(),
      Cur_Scale: z.number(),
      Cur_OfficialRate: z.number().optional(),
    }),
  );
  const quick = { initialDelayMs: 10 };

  it('returns validated JSON', async () => {
    expect(await fetchJson(`${base}/ok`, rates)).toEqual([
      { Cur_Abbreviation: 'USD', Cur_Scale: 1, Cur_OfficialRate: 2.9 },
    ]);
  });

  it('retries 5xx and 429 with backoff', async () => {
    expect(await fetchJson(`${base}/flaky`, rates, quick)).toEqual([]);
    expect(hits.get('/flaky')).toBe(3);
    expect(await fetchJson(`${base}/limited`, rates, quick)).toEqual([]);
    await expect(
      fetchJson(`${base}/flaky-forever-500`, rates, { ...quick, retries: 1 }),
    ).rejects.toBeInstanceOf(TransientHttpError);
  });

  it('fails at once, clearly, on 404, non-JSON and a body of the wrong shape, never showing the key', async () => {
    await expect(fetchJson(`${base}/missing?apikey=SECRET`, rates, quick)).rejects.toThrow(
      /^GET .*\/missing\?apikey=\*\*\*: HTTP 404/,
    );
    await expect(fetchJson(`${base}/missing?apikey=SECRET`, rates, quick)).rejects.not.toThrow(/SECRET/);
    await expect(fetchJson(`${base}/garbage`, rates, quick)).rejects.toThrow(
      /the response is not JSON: <html>/,
    );
    await expect(fetchJson(`${base}/shape`, rates, quick)).rejects.toThrow(
      /unexpected response at 0\.Cur_Scale/,
    );
    await expect(fetchJson(`${base}/missing`, rates, quick)).rejects.toBeInstanceOf(HttpError);
  });

  it('times out as a transient failure', async () => {
    await expect(fetchJson(`${base}/slow`, rates, { timeoutMs: 100, retries: 0 })).rejects.toThrow(
      /timed out after 100 ms/,
    );
  });
});
