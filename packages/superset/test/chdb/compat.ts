/**
 * The marts on a current ClickHouse: what the pipeline sent to ClickHouse 18.16 while the real marts
 * were built (recorded by `recorder.ts`) is replayed in order on chdb — every mart's DDL, the
 * transfers' staging tables and their `INSERT … FORMAT TabSeparated` with the rows PostgreSQL's
 * COPY produced, `REPLACE PARTITION`, the reconciliation's queries and inserts — and every answer
 * 18.16 gave is compared with chdb's. Then every DDL file of sql/clickhouse/ runs on its own, every
 * table's contents and structure are compared, and the SQL Superset generates for every dataset and
 * every chart of the dashboards runs on both with the same rows required.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../../src/index.ts';
import { type Context, compareAnswers, onlyTiesDiffer, parseJsonEachRow } from './answers.ts';
import { type ChdbAnswer, type ChdbStatement, runOnChdb } from './chdb.ts';
import type { Exchange } from './recorder.ts';

export type Kind =
  | 'mart DDL'
  | 'transfer insert'
  | 'transfer statement'
  | 'reconciliation'
  | 'other pipeline statement'
  | 'DDL file'
  | 'table structure'
  | 'table contents'
  | 'dataset SQL'
  | 'dataset SQL without its LIMIT'
  | 'chart SQL'
  | 'chart SQL without its LIMIT';

/** What 18.16 answered: the text in a format, or the error it failed with. */
type Expected = { format: string; text: string } | { error: string } | null;

export interface Check extends ChdbStatement {
  kind: Kind;
  label: string;
  /** What 18.16 answered; null when there is nothing to compare (the statement must only succeed). */
  expected: Expected;
  /**
   * For a query ending in `LIMIT n`: the check running it without the LIMIT, and the
   * output columns its ORDER BY sorts by (empty without ORDER BY). Rows tied at the limit may be
   * picked differently by each engine; nothing else may differ.
   */
  limited?: { unlimited: Check; limit: number; orderBy: string[] | null };
}

export interface Failure {
  kind: Kind;
  label: string;
  problem: string;
  sql: string;
}

export interface CompatReport {
  chdb: string;
  chdbCore: string;
  clickhouse: string;
  /** Statements checked on chdb, by kind. */
  counts: Partial<Record<Kind, number>>;
  /** Statements whose answer was compared with 18.16's, by kind. */
  compared: Partial<Record<Kind, number>>;
  /** Values equal only within the float tolerance. */
  floatTolerated: number;
  /** Queries whose top rows differ only by how rows tied at their LIMIT were picked. */
  tiesAtLimit: string[];
  failures: Failure[];
  /** Requests 18.16 itself refused during the build (not replayed). */
  refusedBy18: number;
  ms: number;
}

const SQL_DIR = join(REPOSITORY_ROOT, 'sql/clickhouse');

/**
 * For the answers this test asks for itself (tables, datasets, charts): 64-bit integers quoted in
 * JSON, as 18.16 prints them by default, so they are compared exactly (current releases print them
 * bare, which JavaScript reads as doubles). Only the answer's printing changes.
 */
const EXACT_JSON = { output_format_json_quote_64bit_integers: '1' };

/** URL parameters of ClickHouse's HTTP interface that are not settings. */
const NOT_SETTINGS = new Set([
  'query',
  'database',
  'query_id',
  'session_id',
  'session_timeout',
  'session_check',
  'default_format',
  'user',
  'password',
  'compress',
  'decompress',
  'enable_http_compression',
  'http_zlib_compression_level',
  'buffer_size',
  'wait_end_of_query',
  'send_progress_in_http_headers',
  'http_headers_progress_interval_ms',
]);

/** The mart DDL files: sql/clickhouse/*.sql but the PostgreSQL sources. */
export function ddlFiles(): Array<{ file: string; sql: string }> {
  return readdirSync(SQL_DIR)
    .filter((file) => file.endsWith('.sql') && !file.endsWith('.source.sql'))
    .sort()
    .map((file) => ({ file, sql: readFileSync(join(SQL_DIR, file), 'utf8') }));
}

/**
 * Per table, the columns filled by `DEFAULT now()` (reconciliation.checked_at, …): their values
 * say when a row was written, so the replay on chdb holds other ones.
 */
export function volatileColumns(): Map<string, Set<string>> {
  return new Map(
    ddlFiles().map(({ file, sql }) => [
      file.replace(/\.sql$/, ''),
      new Set(
        [...sql.matchAll(/^\s*`?(\w+)`?\s+DateTime\w*(\([^)]*\))?\s+DEFAULT\s+now\(\)/gim)].map((m) => m[1]!),
      ),
    ]),
  );
}

const formatOf = (sql: string, fallback: string) => /\bFORMAT\s+(\w+)\s*;?\s*$/i.exec(sql)?.[1] ?? fallback;

/** What a recorded statement is, for the counts: by its text, and its body for an insert. */
function kindOf(sql: string, data: Buffer | undefined, file: string | undefined): Kind {
  if (file) return 'mart DDL';
  const insert = /^\s*INSERT\s+INTO\s+(\S+)/i.exec(sql)?.[1];
  if (insert && /(^|\.)reconciliation$/.test(insert)) return 'reconciliation';
  if (insert && /__staging_/.test(insert) && /FORMAT\s+TabSeparated/i.test(sql) && data)
    return 'transfer insert';
  if (/count_rows/.test(sql)) return 'reconciliation';
  if (/__staging_/.test(sql)) return 'transfer statement';
  return 'other pipeline statement';
}

/** The pipeline's requests as statements to replay, each with what 18.16 answered. */
export function replayChecks(exchanges: readonly Exchange[]): { checks: Check[]; refused: Exchange[] } {
  const ddl = new Map(ddlFiles().map(({ file, sql }) => [sql.trim(), file]));
  const checks: Check[] = [];
  const refused: Exchange[] = [];
  for (const exchange of exchanges) {
    const bodyText = exchange.body?.toString('utf8') ?? '';
    const sql = exchange.params.query ?? bodyText;
    if (exchange.failure)
      throw new Error(`request ${exchange.seq} was not recorded whole: ${exchange.failure}`);
    if (exchange.body === null || exchange.response === null)
      throw new Error(`request ${exchange.seq} came compressed in a way the recorder cannot undo`);
    if (!sql.trim()) continue; // /ping and the like
    if (exchange.status !== 200) {
      refused.push(exchange);
      continue;
    }
    const data = exchange.params.query !== undefined ? exchange.body : undefined;
    const settings = Object.fromEntries(
      Object.entries(exchange.params).filter(
        ([name]) => !NOT_SETTINGS.has(name) && !name.startsWith('param_'),
      ),
    );
    const file = ddl.get(sql.trim());
    const kind = kindOf(sql, data, file);
    const format = exchange.params.default_format ?? 'TabSeparated';
    const response = exchange.response?.toString('utf8') ?? '';
    checks.push({
      kind,
      label: file ? `sql/clickhouse/${file}` : `request ${exchange.seq}`,
      sql,
      ...(data ? { data } : {}),
      ...(exchange.params.database ? { database: exchange.params.database } : {}),
      settings,
      format,
      // An empty answer (DDL, INSERT) has nothing to compare; the statement must only succeed.
      expected: response.trim() === '' ? null : { format: formatOf(sql, format), text: response },
    });
  }
  return { checks, refused };
}

/**
 * fetch, again (up to three times) when the connection was closed under it: gunicorn closes an idle
 * keep-alive connection after 2 s and ClickHouse after 3 s, and a request sent on one as it closes
 * fails with "other side closed". Every request retried here only reads.
 */
export async function fetchRetrying(url: URL, init: RequestInit): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(120_000) });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (attempt >= 3 || !(code === 'UND_ERR_SOCKET' || code === 'ECONNRESET')) throw error;
    }
  }
}

/** A query on the ClickHouse 18.16 server, answered in `format` (or the error). */
export async function on18(origin: string, database: string, sql: string, format: string): Promise<Expected> {
  const url = new URL(origin);
  url.searchParams.set('database', database);
  url.searchParams.set('default_format', format);
  const response = await fetchRetrying(url, { method: 'POST', body: sql });
  const text = await response.text();
  return response.ok ? { format: formatOf(sql, format), text } : { error: text.trim().split('\n')[0]! };
}

interface Column {
  name: string;
  type: string;
  default_type: string;
  default_expression: string;
}

/** Every DDL file on its own in an empty database, and every table's structure and contents on both. */
export async function tableChecks(origin: string, database: string): Promise<Check[]> {
  const checks: Check[] = [];
  const scratch = `${database}_ddl`;
  checks.push({
    kind: 'other pipeline statement',
    label: 'scratch database',
    sql: `CREATE DATABASE ${scratch}`,
    expected: null,
  });
  for (const { file, sql } of ddlFiles())
    checks.push({
      kind: 'DDL file',
      label: `sql/clickhouse/${file}`,
      sql,
      database: scratch,
      expected: null,
    });
  const tables = await json<{ name: string }>(
    origin,
    `SELECT name FROM system.tables WHERE database = '${database}' ORDER BY name`,
  );
  const describe = (db: string, table: string) => `DESCRIBE TABLE ${db}.${table} FORMAT JSONEachRow`;
  for (const { name } of tables) {
    const columns = await json<Column>(origin, `DESCRIBE TABLE ${database}.${name}`);
    const expected = await on18(origin, 'default', describe(database, name), 'JSONEachRow');
    checks.push({
      kind: 'table structure',
      label: `${name} as the pipeline made it`,
      sql: describe(database, name),
      expected,
    });
    if (ddlFiles().some(({ file }) => file === `${name}.sql`))
      checks.push({
        kind: 'table structure',
        label: `${name} from sql/clickhouse/${name}.sql alone`,
        sql: describe(scratch, name),
        expected,
      });
    // Columns filled by now() at insert time differ by when the statement ran, not by engine.
    const compared = columns.filter((column) => !/now\(\)/i.test(column.default_expression));
    const select = `SELECT ${compared.map((column) => `\`${column.name}\``).join(', ')} FROM ${name}`;
    checks.push({
      kind: 'table contents',
      label: name,
      sql: select,
      database,
      format: 'JSONCompact',
      settings: EXACT_JSON,
      expected: await on18(origin, database, select, 'JSONCompact'),
    });
  }
  return checks;
}

async function json<T>(origin: string, sql: string): Promise<T[]> {
  const answer = await on18(origin, 'default', `${sql} FORMAT JSONEachRow`, 'JSONEachRow');
  if (!answer || 'error' in answer) throw new Error(`ClickHouse 18.16: ${answer?.error}\n  in: ${sql}`);
  return parseJsonEachRow(answer.text) as T[];
}

export interface SupersetQuery {
  kind: 'dataset SQL' | 'chart SQL';
  label: string;
  sql: string;
  /** False where the answer depends on when rows were written (now() defaults): it must only succeed. */
  compare?: boolean;
}

const TRAILING_LIMIT = /\s+LIMIT\s+(\d+)\s*;?\s*$/i;

/** The output columns a Superset query's ORDER BY names (`alias` [ASC|DESC], …); null for an expression. */
function orderColumns(sql: string): string[] | null {
  const clause = /\bORDER\s+BY\s+([\s\S]+?)\s+LIMIT\s+\d+\s*;?\s*$/i.exec(sql)?.[1];
  if (clause === undefined) return [];
  const names: string[] = [];
  for (const item of clause.split(',')) {
    const name = /^\s*`?([A-Za-z_][A-Za-z0-9_]*)`?(\s+(ASC|DESC))?\s*$/i.exec(item)?.[1];
    if (!name) return null;
    names.push(name);
  }
  return names;
}

/** The SQL checks: each runs on 18.16 now, and on chdb after the replay; a LIMIT also without it. */
export async function sqlChecks(
  origin: string,
  database: string,
  queries: readonly SupersetQuery[],
): Promise<Check[]> {
  const checks: Check[] = [];
  for (const query of queries) {
    const expected = await on18(origin, database, query.sql, 'JSONCompact');
    const check: Check = {
      kind: query.kind,
      label: query.label,
      sql: query.sql,
      database,
      format: 'JSONCompact',
      settings: EXACT_JSON,
      expected: query.compare === false && expected && !('error' in expected) ? null : expected,
    };
    const limit = TRAILING_LIMIT.exec(query.sql);
    if (limit && query.compare !== false) {
      const sql = query.sql.replace(TRAILING_LIMIT, '');
      const unlimited: Check = {
        ...check,
        kind: query.kind === 'chart SQL' ? 'chart SQL without its LIMIT' : 'dataset SQL without its LIMIT',
        label: `${query.label} (without its LIMIT)`,
        sql,
        expected: await on18(origin, database, sql, 'JSONCompact'),
      };
      checks.push(unlimited);
      check.limited = { unlimited, limit: Number(limit[1]), orderBy: orderColumns(query.sql) };
    }
    checks.push(check);
  }
  return checks;
}

/**
 * Runs every check on chdb in one session, in order (with the time zone of the 18.16 server at
 * `origin`, so DateTime values print alike), and compares each answer with 18.16's.
 */
export async function runChecks(
  checks: readonly Check[],
  options: { origin: string; refusedBy18?: number },
): Promise<CompatReport> {
  const started = performance.now();
  const zone = await on18(options.origin, 'default', 'SELECT timezone()', 'TabSeparated');
  if (!zone || 'error' in zone) throw new Error(`ClickHouse 18.16 has no time zone: ${zone?.error}`);
  const timezone = zone.text.trim();
  const answer: ChdbAnswer = await runOnChdb(checks, { timezone });
  const report: CompatReport = {
    chdb: answer.chdb,
    chdbCore: answer.chdbCore,
    clickhouse: answer.clickhouse,
    counts: {},
    compared: {},
    floatTolerated: 0,
    tiesAtLimit: [],
    failures: [],
    refusedBy18: options.refusedBy18 ?? 0,
    ms: 0,
  };
  const context: Context = { report, timezone };
  const passed = new Set<Check>();
  checks.forEach((check, index) => {
    const result = answer.results[index]!;
    report.counts[check.kind] = (report.counts[check.kind] ?? 0) + 1;
    const fail = (problem: string) =>
      report.failures.push({ kind: check.kind, label: check.label, problem, sql: check.sql.slice(0, 1500) });
    if (check.expected && 'error' in check.expected) {
      fail(`ClickHouse 18.16 refused it: ${check.expected.error}`);
      return;
    }
    if (!result.ok) {
      fail(`chdb refused it: ${result.error.split('\n')[0]}`);
      return;
    }
    if (!check.expected) {
      passed.add(check);
      return;
    }
    report.compared[check.kind] = (report.compared[check.kind] ?? 0) + 1;
    const difference = compareAnswers(check.expected.format, check.expected.text, result.output, context);
    if (!difference) {
      passed.add(check);
      return;
    }
    const full = check.limited?.unlimited;
    if (
      check.limited &&
      full?.expected &&
      !('error' in full.expected) &&
      passed.has(full) &&
      onlyTiesDiffer(check.expected.text, result.output, full.expected.text, check.limited)
    ) {
      report.tiesAtLimit.push(check.label);
      passed.add(check);
      return;
    }
    fail(difference);
  });
  report.ms = Math.round(performance.now() - started);
  return report;
}

// ---------------------------------------------------------------------------------------------
// Comparing answers
