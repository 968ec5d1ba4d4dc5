import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import type { Generated, SqlValue, TableIncrement } from '../rows.ts';
import type { Tally } from '../summary.ts';

const BATCH_ROWS = 1000;

/** The DDL file's statements, without comments. */
function statements(ddl: string): string[] {
  return ddl
    .replace(/--[^\n]*/g, '')
    .split(';')
    .map((statement) => statement.trim())
    .filter(Boolean);
}

/** The Bitrix24 CRM on MySQL/MariaDB: database and tables created when missing; rows upserted in batches. */
export class MysqlWriter {
  private constructor(private readonly connection: mysql.Connection) {}

  static async open(url: string, ddlFile: string): Promise<MysqlWriter> {
    const parsed = new URL(url);
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (!/^[A-Za-z0-9_]+$/.test(database))
      throw new Error(`CRM database name "${database}" must be a plain identifier`);
    parsed.pathname = '/';
    const admin = await mysql.createConnection({ uri: parsed.toString() });
    await admin.query(`create database if not exists \`${database}\` character set utf8mb4`);
    await admin.end();
    const connection = await mysql.createConnection({ uri: url, charset: 'utf8mb4', dateStrings: true });
    for (const statement of statements(readFileSync(ddlFile, 'utf8'))) await connection.query(statement);
    return new MysqlWriter(connection);
  }

  async write(day: string, tables: readonly TableIncrement[], tally: Tally): Promise<void> {
    await this.connection.beginTransaction();
    try {
      for (const table of tables)
        await this.upsert(table, tally.count(day, table.system, table.table, table.rows()));
      await this.connection.commit();
    } catch (error) {
      await this.connection.rollback().catch(() => {});
      throw error;
    }
  }

  /** INSERT … ON DUPLICATE KEY UPDATE in batches: a re-seeded day rewrites the same rows. */
  private async upsert(
    table: TableIncrement,
    rows: Iterable<Generated<Record<string, SqlValue>>>,
  ): Promise<void> {
    if (table.mode.kind !== 'upsert') throw new Error(`${table.table}: the CRM writer only upserts`);
    const key = table.mode.key;
    const columns = table.columns.map((column) => `\`${column}\``).join(', ');
    const updates = table.columns
      .filter((column) => !key.includes(column))
      .map((column) => `\`${column}\` = VALUES(\`${column}\`)`)
      .join(', ');
    const sql = `insert into \`${table.table}\` (${columns}) values ? on duplicate key update ${updates}`;
    let batch: SqlValue[][] = [];
    for (const { row } of rows) {
      batch.push(table.columns.map((column) => row[column] ?? null));
      if (batch.length >= BATCH_ROWS) {
        await this.connection.query(sql, [batch]);
        batch = [];
      }
    }
    if (batch.length > 0) await this.connection.query(sql, [batch]);
  }

  async close(): Promise<void> {
    await this.connection.end();
  }
}
