import { randomUUID } from 'node:crypto';
import { type CheckDefinition, DefinitionError, describeIssues, type StepContext } from '@vitrina/core';
import pg from 'pg';
import { checkedColumn, checkedTable, quoteColumn } from '../identifiers.ts';
import { compile } from './compile.ts';
import { type CheckSpec, checkSpecSchema } from './spec.ts';

export interface CheckTarget<R> {
  /** Schema-qualified. */
  table: string;
  db: (resources: R) => pg.Pool;
  /** The rows a step checks: a SQL boolean condition (e.g. "day = '2026-11-01'") or null for the whole table. */
  scope: (ctx: StepContext<R>) => string | null;
}

/**
 * Runs one query. node-postgres takes no AbortSignal, so an abort asks PostgreSQL to cancel the
 * query, found by a tag in its text (a bind parameter of the cancelling query, so it cannot cancel
 * itself), over a connection of its own: the pool may have none to spare while its checks run. The
 * step then fails with the signal's reason, not "canceling statement".
 */
async function query(
  pool: pg.Pool,
  sql: string,
  values: string[],
  signal: AbortSignal,
): Promise<Array<Record<string, unknown>>> {
  signal.throwIfAborted();
  const tag = `vitrina check ${randomUUID()}`;
  const cancel = () => {
    const client = new pg.Client(pool.options);
    client
      .connect()
      .then(() =>
        client.query('select pg_cancel_backend(pid) from pg_stat_activity where position($1 in query) > 0', [
          tag,
        ]),
      )
      .catch(() => {}) // then the query runs to its end, and the step still fails as aborted
      .finally(() => client.end().catch(() => {}));
  };
  signal.addEventListener('abort', cancel, { once: true });
  try {
    const result = await pool.query<Record<string, unknown>>(`/* ${tag} */ ${sql}`, values);
    signal.throwIfAborted();
    return result.rows;
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw error;
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

/** A check of `target.table` that runs one PostgreSQL query finding the rows that break it. */
export function genericCheck<R>(spec: CheckSpec, target: CheckTarget<R>): CheckDefinition<R> {
  const table = checkedTable(target.table);
  const parsed = checkSpecSchema.safeParse(spec);
  if (!parsed.success) throw new DefinitionError(describeIssues(`check on ${table}`, parsed.error));
  const valid = parsed.data;
  const compiled = compile(valid, table);
  const run: CheckDefinition<R>['run'] = async (ctx) => {
    const { sql, values, evaluate } = compiled.query(target.scope(ctx));
    return evaluate(await query(target.db(ctx.resources), sql, values, ctx.signal));
  };
  // An asset's code version hashes its checks' source, and every generic check shares this closure:
  // the spec must be in that source for a changed check to make the asset stale.
  const source = `genericCheck(${JSON.stringify(valid)}, ${table}, ${String(target.scope)})`;
  Object.defineProperty(run, 'toString', { value: () => source });
  return {
    name: valid.name ?? compiled.name,
    severity: valid.severity ?? 'error',
    description: compiled.description,
    run,
  };
}

/** Tables a check reads besides its own (relationships' `to`), so the loader can add them to the lineage. */
export function referencedTables(spec: CheckSpec): string[] {
  const parsed = checkSpecSchema.parse(spec);
  return 'relationships' in parsed ? [parsed.relationships.to] : [];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The scope of a daily asset: the step's day in `column`, or the whole table when unpartitioned. */
export function partitionScope<R>(column: string): CheckTarget<R>['scope'] {
  const quoted = quoteColumn(checkedColumn(column));
  return ({ partition }) => {
    if (!partition) return null;
    if (!DAY.test(partition)) throw new Error(`partition "${partition}" is not a day (YYYY-MM-DD)`);
    return `${quoted} = '${partition}'`;
  };
}
