import { RunLauncher } from '@vitrina/core';
import { openTestStorage, type TestStorage, tempDatabase } from '@vitrina/core/testing';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../src/api/app.ts';
import { columnsLocation, demoWorkspace } from './fixtures/api.ts';

let test: TestStorage;
let warehouse: { url: string; drop: () => Promise<void> };
let db: pg.Pool;
let workspace: ReturnType<typeof demoWorkspace>;
let launcher: RunLauncher;
let app: FastifyInstance;

beforeAll(async () => {
  test = await openTestStorage('pglite');
  warehouse = await tempDatabase('vitrina_api_columns');
  db = new pg.Pool({ connectionString: warehouse.url });
  const location = columnsLocation(warehouse.url);
  workspace = demoWorkspace(test.storage, location);
  launcher = new RunLauncher({ location, storage: test.storage, pools: {}, maxParallel: 1 });
  app = await buildApi({ workspace, launcher, token: 'a-long-enough-secret-token' });
});
afterAll(async () => {
  await app?.close();
  await launcher?.close();
  await db?.end();
  await warehouse?.drop();
  await test?.dispose();
  workspace?.dispose();
});

const columns = async (key: string) =>
  (await app.inject({ method: 'GET', url: `/api/assets/${key}/columns` })).json();

type Column = {
  name: string;
  type: string | null;
  nullable: boolean | null;
  description: string | null;
  source: string;
  missing: boolean;
  from: unknown[];
  readBy: unknown[];
};

describe('GET /api/assets/:key/columns', () => {
  it('lists the declared columns before the table exists, none of them missing yet', async () => {
    const before = await columns('stage.payments');
    expect(before.table).toBe('absent');
    expect(before.columns.map((c: Column) => [c.name, c.type, c.source, c.missing])).toEqual([
      ['id', null, 'declared', false],
      ['amount', 'text', 'declared', false],
      ['user_id', null, 'declared', false],
      ['currency', 'text', 'declared', false],
    ]);
  });

  it("merges the table's columns with the declared ones: the database's type, the declared description", async () => {
    await db.query(
      `create schema stage;
       create table stage.payments (id int not null, amount numeric, user_id bigint, note text);
       comment on column stage.payments.note is 'Free text from the payer.';
       comment on column stage.payments.amount is 'overridden by the declaration'`,
    );
    const found = await columns('stage.payments');
    expect(found.table).toBe('found');
    // The table's order, then the declared column it lacks.
    expect(
      found.columns.map((c: Column) => [c.name, c.type, c.nullable, c.description, c.source, c.missing]),
    ).toEqual([
      ['id', 'integer', false, 'The payment.', 'both', false],
      ['amount', 'numeric', true, 'Amount in BYN.', 'both', false],
      ['user_id', 'bigint', true, null, 'both', false],
      ['note', 'text', true, 'Free text from the payer.', 'database', false],
      ['currency', 'text', null, 'ISO 4217 code.', 'declared', true],
    ]);
    const revenue = { asset: 'mart.revenue', column: 'revenue' };
    expect(found.columns.map((c: Column) => [c.name, c.from, c.readBy])).toEqual([
      ['id', [], []],
      ['amount', [], [revenue]],
      [
        'user_id',
        [{ asset: 'source.app.users', column: 'user_id' }],
        [{ asset: 'mart.revenue', column: 'user_id' }],
      ],
      ['note', [], []],
      ['currency', [], [revenue]],
    ]);
  });

  it('answers the declared columns of ClickHouse and external assets, the warehouse not read', async () => {
    const mart = await columns('mart.revenue');
    expect(mart.table).toBe('not_read');
    expect(mart.columns[1]).toEqual({
      name: 'revenue',
      type: 'Decimal(18, 2)',
      nullable: null,
      description: 'Sum of the amounts.',
      from: [
        { asset: 'stage.payments', column: 'amount' },
        { asset: 'stage.payments', column: 'currency' },
      ],
      readBy: [],
      source: 'declared',
      missing: false,
    });
    const users = await columns('source.app.users');
    expect(users).toMatchObject({
      table: 'not_read',
      columns: [
        { name: 'user_id', type: 'bigint', readBy: [{ asset: 'stage.payments', column: 'user_id' }] },
      ],
    });
  });
});
