import { QUARANTINE_TABLE } from '@vitrina/io';
import pg from 'pg';

/** A column of a warehouse table as PostgreSQL describes it. */
export interface TableColumn {
  name: string;
  type: string;
  nullable: boolean;
  /** The column's comment (`comment on column`), if any. */
  comment: string | null;
}

export interface QuarantineFilter {
  source?: string | undefined;
  asset?: string | undefined;
  partition?: string | undefined;
  limit: number;
  offset: number;
}

const UNDEFINED_TABLE = '42P01';

/**
 * Reads the location's PostgreSQL warehouse for the API: the columns of an asset's table and the
 * quarantined rows. Without a warehouse (or before anything was quarantined) it answers empty.
 */
export class WarehouseReader {
  private pool: pg.Pool | null = null;

  constructor(private readonly url: string | null) {}

  private db(): pg.Pool | null {
    if (!this.url) return null;
    if (!this.pool) {
      this.pool = new pg.Pool({ connectionString: this.url, max: 2, application_name: 'vitrina api' });
      this.pool.on('error', () => {});
    }
    return this.pool;
  }

  /** The columns of an asset's table, in table order; null without a warehouse or without the table. */
  async columns(assetKey: string): Promise<TableColumn[] | null> {
    const db = this.db();
    const dot = assetKey.indexOf('.');
    if (!db || dot === -1) return null;
    const { rows } = await db.query<{ name: string; type: string; nullable: string; comment: string | null }>(
      `select column_name as name, data_type as type, is_nullable as nullable,
              col_description(format('%I.%I', table_schema, table_name)::regclass, ordinal_position::int) as comment
       from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position`,
      [assetKey.slice(0, dot), assetKey.slice(dot + 1)],
    );
    if (rows.length === 0) return null;
    return rows.map((row) => ({
      name: row.name,
      type: row.type,
      nullable: row.nullable === 'YES',
      comment: row.comment,
    }));
  }

  async quarantine(filter: QuarantineFilter) {
    const db = this.db();
    if (!db) return { rows: [], total: 0 };
    const conditions: string[] = [];
    const values: unknown[] = [];
    for (const column of ['source', 'asset', 'partition'] as const) {
      const value = filter[column];
      if (value === undefined) continue;
      values.push(value);
      conditions.push(`${column} = $${values.length}`);
    }
    const where = conditions.length ? `where ${conditions.join(' and ')}` : '';
    try {
      const [page, count] = await Promise.all([
        db.query<{
          id: string;
          source: string;
          asset: string;
          partition: string;
          run_id: string;
          reason: string;
          raw: unknown;
          quarantined_at: Date;
        }>(
          `select id::text, source, asset, partition, run_id, reason, raw, quarantined_at from ${QUARANTINE_TABLE} ${where}
           order by id desc limit $${values.length + 1} offset $${values.length + 2}`,
          [...values, filter.limit, filter.offset],
        ),
        db.query<{ total: number }>(
          `select count(*)::int as total from ${QUARANTINE_TABLE} ${where}`,
          values,
        ),
      ]);
      return {
        total: count.rows[0]?.total ?? 0,
        rows: page.rows.map((row) => ({
          id: row.id,
          source: row.source,
          asset: row.asset,
          partition: row.partition,
          runId: row.run_id,
          reason: row.reason,
          raw: row.raw,
          quarantinedAt: row.quarantined_at,
        })),
      };
    } catch (error) {
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return { rows: [], total: 0 };
      throw error;
    }
  }

  /** Quarantined rows counted per source, asset and partition (newest partitions first). */
  async quarantineSummary(filter: {
    source?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
  }) {
    const db = this.db();
    if (!db) return { groups: [] };
    const conditions: string[] = [];
    const values: unknown[] = [];
    const add = (condition: string, value: unknown) => {
      values.push(value);
      conditions.push(condition.replace('?', `$${values.length}`));
    };
    if (filter.source !== undefined) add('source = ?', filter.source);
    if (filter.from !== undefined) add('partition >= ?', filter.from);
    if (filter.to !== undefined) add('partition <= ?', filter.to);
    const where = conditions.length ? `where ${conditions.join(' and ')}` : '';
    try {
      const { rows } = await db.query<{
        source: string;
        asset: string;
        partition: string;
        rows: number;
        last: Date;
      }>(
        `select source, asset, partition, count(*)::int as rows, max(quarantined_at) as last
         from ${QUARANTINE_TABLE} ${where}
         group by source, asset, partition order by partition desc, source, asset limit 5000`,
        values,
      );
      return {
        groups: rows.map((row) => ({
          source: row.source,
          asset: row.asset,
          partition: row.partition,
          rows: row.rows,
          lastQuarantinedAt: row.last,
        })),
      };
    } catch (error) {
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return { groups: [] };
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.pool?.end();
    this.pool = null;
  }
}
