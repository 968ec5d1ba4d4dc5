import { tempDatabase } from '@vitrina/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  extractionQuery,
  oracleConnection,
  queryBuilder,
  type SourceDialect,
  streamOracle,
  streamPostgresQuery,
} from '../src/index.ts';

interface Registry {
  'REGISTRY.LEGAL_CLIENTS': { CLIENT_ID: number; NAME: string; UPDATED_AT: Date };
  'REGISTRY.CONTRACTS': { CONTRACT_ID: number; CLIENT_ID: number; TARIFF: string };
}

/** One extraction, defined once: clients changed since a watermark, with their tariffs. */
const changedClients = (dialect: SourceDialect, since: Date) =>
  queryBuilder<Registry>(dialect)
    .selectFrom('REGISTRY.LEGAL_CLIENTS as c')
    .innerJoin('REGISTRY.CONTRACTS as k', 'k.CLIENT_ID', 'c.CLIENT_ID')
    .select(['c.CLIENT_ID', 'c.NAME', 'k.TARIFF'])
    .where('c.UPDATED_AT', '>', since)
    .orderBy('c.CLIENT_ID')
    .limit(100)
    .compile();

const since = new Date('2026-01-02T00:00:00Z');

describe('one extraction query, two dialects', () => {
  it('compiles to Oracle SQL: :n binds, fetch first, table aliases without as', () => {
    const query = changedClients('oracle', since);
    expect(query.sql).toBe(
      'select "c"."CLIENT_ID", "c"."NAME", "k"."TARIFF" from "REGISTRY"."LEGAL_CLIENTS" "c" ' +
        'inner join "REGISTRY"."CONTRACTS" "k" on "k"."CLIENT_ID" = "c"."CLIENT_ID" ' +
        'where "c"."UPDATED_AT" > :1 order by "c"."CLIENT_ID" fetch first :2 rows only',
    );
    expect(query.parameters).toEqual([since, 100]);
  });

  it('refuses offset for Oracle rather than compiling something Oracle would reject', () => {
    expect(() =>
      queryBuilder<Registry>('oracle').selectFrom('REGISTRY.CONTRACTS').selectAll().offset(5).compile(),
    ).toThrow(/offset is not supported/);
  });

  it('compiles an incremental extraction with an explicit timestamp format for Oracle', () => {
    const spec = {
      table: 'REGISTRY.LEGAL_CLIENTS',
      columns: ['CLIENT_ID', 'NAME'],
      cursor: { column: 'UPDATED_AT', from: '2026-01-02 00:00:00', to: '2026-01-04 00:00:00' },
    };
    const oracle = extractionQuery('oracle', spec);
    expect(oracle.sql).toBe(
      'select "CLIENT_ID", "NAME" from "REGISTRY"."LEGAL_CLIENTS" ' +
        `where "UPDATED_AT" >= to_timestamp(:1, 'YYYY-MM-DD HH24:MI:SS') and "UPDATED_AT" < to_timestamp(:2, 'YYYY-MM-DD HH24:MI:SS')`,
    );
    expect(oracle.parameters).toEqual(['2026-01-02 00:00:00', '2026-01-04 00:00:00']);
    expect(extractionQuery('postgres', spec).sql).toContain('"UPDATED_AT" >= cast($1 as timestamp)');
    expect(() => extractionQuery('oracle', { ...spec, cursor: { column: 'X', from: "1' or 1=1" } })).toThrow(
      /expected a timestamp/,
    );
  });

  it('compiles the same extraction for MySQL, and with the timestamps inlined for COPY', () => {
    const spec = {
      table: 'b_crm_deal',
      columns: ['ID', 'TITLE'],
      cursor: { column: 'DATE_MODIFY', from: '2026-01-02 00:00:00', to: '2026-01-04 00:00:00' },
    };
    const mysql = extractionQuery('mysql', spec);
    expect(mysql.sql).toBe(
      'select `ID`, `TITLE` from `b_crm_deal` where `DATE_MODIFY` >= ? and `DATE_MODIFY` < ?',
    );
    expect(mysql.parameters).toEqual(['2026-01-02 00:00:00', '2026-01-04 00:00:00']);
    const copy = extractionQuery(
      'postgres',
      { ...spec, table: 'core.transactions' },
      { inlineTimestamps: true },
    );
    expect(copy.sql).toBe(
      'select "ID", "TITLE" from "core"."transactions" ' +
        `where "DATE_MODIFY" >= cast('2026-01-02 00:00:00' as timestamp) and "DATE_MODIFY" < cast('2026-01-04 00:00:00' as timestamp)`,
    );
    expect(copy.parameters).toEqual([]);
    expect(() =>
      extractionQuery(
        'postgres',
        { ...spec, cursor: { column: 'X', from: "1' or 1=1" } },
        { inlineTimestamps: true },
      ),
    ).toThrow(/expected a timestamp/);
  });

  describe('on the PostgreSQL stand-in', () => {
    let database: { url: string; drop: () => Promise<void> };
    let pool: pg.Pool;
    beforeAll(async () => {
      database = await tempDatabase('vitrina_registry');
      pool = new pg.Pool({ connectionString: database.url });
      await pool.query(`create schema "REGISTRY";
        create table "REGISTRY"."LEGAL_CLIENTS" ("CLIENT_ID" int primary key, "NAME" text, "UPDATED_AT" timestamptz);
        create table "REGISTRY"."CONTRACTS" ("CONTRACT_ID" int primary key, "CLIENT_ID" int, "TARIFF" text);
        insert into "REGISTRY"."LEGAL_CLIENTS" values (1, 'ООО Альфа', '2026-01-01'), (2, 'ЗАО Бета', '2026-01-03'), (3, 'ИП Гамма', '2026-01-04');
        insert into "REGISTRY"."CONTRACTS" values (10, 1, 'basic'), (20, 2, 'business'), (30, 3, 'premium');`);
    });
    afterAll(async () => {
      await pool?.end();
      await database?.drop();
    });

    it('runs the compiled incremental extraction', async () => {
      const query = extractionQuery('postgres', {
        table: 'REGISTRY.LEGAL_CLIENTS',
        columns: ['CLIENT_ID'],
        cursor: { column: 'UPDATED_AT', from: '2026-01-02 00:00:00', to: '2026-01-04 00:00:00' },
      });
      const rows = [];
      for await (const batch of streamPostgresQuery(pool, query)) rows.push(...batch);
      expect(rows).toEqual([{ CLIENT_ID: 2 }]);
    });

    it('runs the same query, streamed through a cursor', async () => {
      const rows = [];
      for await (const batch of streamPostgresQuery(pool, changedClients('postgres', since), 1))
        rows.push(...batch);
      expect(rows).toEqual([
        { CLIENT_ID: 2, NAME: 'ЗАО Бета', TARIFF: 'business' },
        { CLIENT_ID: 3, NAME: 'ИП Гамма', TARIFF: 'premium' },
      ]);
    });
  });

  const oracleUrl = process.env.ORACLE_URL;
  describe.skipIf(!oracleUrl)('on a real Oracle (ORACLE_URL is not set here, so this is skipped)', () => {
    it('runs the same query', async () => {
      const rows = [];
      for await (const row of streamOracle(oracleConnection(oracleUrl!), changedClients('oracle', since)))
        rows.push(row);
      expect(Array.isArray(rows)).toBe(true);
    });
  });
});
