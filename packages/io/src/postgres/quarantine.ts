import { storableText } from '@vitrina/core';
import type pg from 'pg';
import { decodeText } from '../files/text.ts';

/** Where rows that fail validation go, in the warehouse, with why and the raw row. */
export const QUARANTINE_TABLE = 'quarantine.rows';

/**
 * `raw` is the row as JSON, readable as text. PostgreSQL's jsonb (and text) cannot hold NUL and
 * jsonb no unpaired surrogate, so such characters are shown escaped there (`\x00`, `\xC3` for a
 * byte a reader could not decode) and `raw_exact` keeps the row exactly, for `restoreQuarantinedRaw`.
 */
export const quarantineDdl = `
create schema if not exists quarantine;
create table if not exists quarantine.rows (
  id bigserial primary key,
  source text not null,
  asset text not null,
  partition text not null,
  run_id text not null,
  reason text not null,
  raw jsonb not null,
  raw_exact text,
  quarantined_at timestamptz not null default now()
);
-- Tables made before raw_exact existed get it; checked first, as ALTER would lock the table each time.
do $$ begin
  if not exists (select from information_schema.columns
                 where table_schema = 'quarantine' and table_name = 'rows' and column_name = 'raw_exact') then
    alter table quarantine.rows add column if not exists raw_exact text;
  end if;
end $$;
create index if not exists rows_asset_partition on quarantine.rows (asset, partition);`;

export interface QuarantinedRow {
  reason: string;
  /** The row as received: any value, strings with NUL or undecodable bytes and raw bytes included. */
  raw: unknown;
  /** The partition the row belongs to, when it can be told; otherwise the scope's. */
  partition?: string;
}

export interface QuarantineScope {
  source: string;
  asset: string;
  /** The partition loaded (or the first of a range); '' for an unpartitioned asset. */
  partition: string;
  /** The last partition of a range loaded at once (a lookback), when there is one. */
  through?: string;
  /**
   * An incremental load re-reads only the rows whose cursor is from `from` on: the quarantined rows
   * of earlier reads stay, and those of the re-read window are replaced — so a re-run after the
   * watermark moved leaves the same quarantine as the first load did.
   */
  reRead?: { field: string; from: string };
  runId: string;
}

/** The row as jsonb-safe JSON text, and its exact JSON when that had to change anything. */
export function storableRaw(raw: unknown): { json: string; exact: string | null } {
  let changed = false;
  const seen = new WeakSet<object>();
  const readable = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const text = storableText(value);
      if (text !== value) changed = true;
      return text;
    }
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number' && !Number.isFinite(value)) {
      changed = true;
      return String(value);
    }
    if (value === null || typeof value !== 'object') return value;
    if (value instanceof Uint8Array) {
      changed = true;
      return storableText(decodeText(Buffer.from(value)).text);
    }
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (seen.has(value)) {
      changed = true;
      return '[circular]';
    }
    seen.add(value);
    if (Array.isArray(value)) return value.map((item) => readable(item) ?? null);
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const name = storableText(key);
      if (name !== key) changed = true;
      result[name] = readable(item);
    }
    return result;
  };
  const json = JSON.stringify(readable(raw) ?? null);
  return { json, exact: changed ? exactJson(raw) : null };
}

/**
 * JSON keeps NUL and lone surrogates as `\u0000` escapes, which a text column holds; bytes,
 * big integers and non-finite numbers, which JSON has not, are tagged.
 */
function exactJson(raw: unknown): string | null {
  try {
    return JSON.stringify(raw, function (this: Record<string, unknown>, key, value: unknown) {
      const original = this[key];
      if (original instanceof Uint8Array) return { $bytes: Buffer.from(original).toString('base64') };
      if (typeof original === 'bigint') return { $bigint: original.toString() };
      if (typeof original === 'number' && !Number.isFinite(original)) return { $number: String(original) };
      return value;
    });
  } catch {
    return null; // circular: the readable form is all there is
  }
}

/** The row exactly as it was quarantined, from `raw_exact` (bytes come back as Buffers). */
export function restoreQuarantinedRaw(exact: string): unknown {
  return JSON.parse(exact, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const tagged = value as Record<string, unknown>;
      const keys = Object.keys(tagged);
      if (keys.length === 1) {
        if (typeof tagged.$bytes === 'string') return Buffer.from(tagged.$bytes, 'base64');
        if (typeof tagged.$bigint === 'string') return BigInt(tagged.$bigint);
        if (typeof tagged.$number === 'string') return Number(tagged.$number);
      }
    }
    return value;
  });
}

/**
 * Replaces the quarantined rows of the partitions a load wrote (inside the caller's transaction),
 * so a re-run leaves exactly the rows its own load rejected.
 */
export async function replaceQuarantine(
  client: pg.ClientBase,
  scope: QuarantineScope,
  rows: readonly QuarantinedRow[],
): Promise<void> {
  const window = [scope.asset, scope.partition, scope.through ?? scope.partition];
  if (scope.reRead) {
    await client.query(
      `delete from ${QUARANTINE_TABLE} where asset = $1 and partition between $2 and $3 and raw ->> $4 >= $5`,
      [...window, scope.reRead.field, scope.reRead.from],
    );
  } else {
    await client.query(
      `delete from ${QUARANTINE_TABLE} where asset = $1 and partition between $2 and $3`,
      window,
    );
  }
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const values: unknown[] = [];
    const tuples = chunk.map((row, index) => {
      const { json, exact } = storableRaw(row.raw ?? null);
      values.push(row.partition ?? scope.partition, storableText(row.reason), json, exact);
      const at = 4 + index * 4;
      return `($1, $2, $${at}, $3, $${at + 1}, $${at + 2}::jsonb, $${at + 3})`;
    });
    await client.query(
      `insert into ${QUARANTINE_TABLE} (source, asset, partition, run_id, reason, raw, raw_exact) values ${tuples.join(', ')}`,
      [scope.source, scope.asset, scope.runId, ...values],
    );
  }
}
