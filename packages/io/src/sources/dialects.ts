import {
  type AliasNode,
  type CompiledQuery,
  type DatabaseIntrospector,
  DefaultQueryCompiler,
  type Dialect,
  DummyDriver,
  Kysely,
  type LimitNode,
  MysqlQueryCompiler,
  type OffsetNode,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type RawBuilder,
  sql,
  TableNode,
} from 'kysely';

/**
 * Oracle's SQL from kysely's query tree: `:1`-style binds, `fetch first n rows only`, and table
 * aliases without `as` (which Oracle rejects). Enough for the extraction queries: selects with
 * filters, joins, ordering and a row limit.
 */
export class OracleQueryCompiler extends DefaultQueryCompiler {
  protected override getCurrentParameterPlaceholder(): string {
    return `:${this.numParameters}`;
  }

  protected override visitLimit(node: LimitNode): void {
    this.append('fetch first ');
    this.visitNode(node.limit);
    this.append(' rows only');
  }

  protected override visitOffset(_node: OffsetNode): void {
    throw new Error('offset is not supported in extraction queries for Oracle');
  }

  protected override visitAlias(node: AliasNode): void {
    if (TableNode.is(node.node)) {
      this.visitNode(node.node);
      this.append(' ');
      this.visitNode(node.alias);
      return;
    }
    super.visitAlias(node);
  }
}

/** `mysql` is the CRM's, `postgres` the payments core's and the registry stand-in's, `oracle` the registry's. */
export type SourceDialect = 'postgres' | 'oracle' | 'mysql';

const compilers: Record<SourceDialect, () => QueryCompiler> = {
  postgres: () => new PostgresQueryCompiler(),
  oracle: () => new OracleQueryCompiler(),
  mysql: () => new MysqlQueryCompiler(),
};

/**
 * A query builder that only compiles (it never connects): the same query yields the PostgreSQL
 * stand-in's SQL and Oracle's (and MySQL's), so one definition of an extraction serves every source.
 */
export function queryBuilder<DB>(dialect: SourceDialect): Kysely<DB> {
  const compileOnly: Dialect = {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db): DatabaseIntrospector => new PostgresIntrospector(db),
    createQueryCompiler: compilers[dialect],
  };
  return new Kysely<DB>({ dialect: compileOnly });
}

export type { CompiledQuery };

/** Rows whose cursor column is at or after `from` (and before `to`), timestamps as `YYYY-MM-DD HH:MM:SS`. */
export interface CursorRange {
  column: string;
  from: string;
  to?: string;
}

export interface ExtractionSpec {
  /** The table as the source names it: `b_crm_deal`, `core.transactions`, `REGISTRY.LEGAL_CLIENTS`. */
  table: string;
  columns: readonly string[];
  cursor?: CursorRange;
}

export interface ExtractionOptions {
  /**
   * Writes the cursor's timestamps into the SQL as literals instead of binding them, for
   * `COPY (…) TO STDOUT`, which takes no parameters. Safe because every timestamp is checked first.
   */
  inlineTimestamps?: boolean;
}

const timestampPattern = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** A cursor bound as the dialect compares it with a timestamp column, from its text. */
function timestampValue(dialect: SourceDialect, value: string, inline: boolean): RawBuilder<unknown> {
  if (!timestampPattern.test(value))
    throw new Error(`expected a timestamp as YYYY-MM-DD HH:MM:SS, got "${value}"`);
  const text = inline ? sql.lit(value) : sql.val(value);
  if (dialect === 'oracle') return sql`to_timestamp(${text}, 'YYYY-MM-DD HH24:MI:SS')`;
  if (dialect === 'postgres') return sql`cast(${text} as timestamp)`;
  return text; // MySQL converts the text itself when it compares it with a DATETIME
}

/**
 * The extraction query of one source table, compiled for the dialect from one definition.
 * Timestamps bind as text and are converted by the database, with an explicit format on Oracle so
 * the session's NLS settings do not matter.
 */
export function extractionQuery(
  dialect: SourceDialect,
  spec: ExtractionSpec,
  options: ExtractionOptions = {},
): CompiledQuery {
  const db = queryBuilder<Record<string, Record<string, unknown>>>(dialect);
  const timestamp = (value: string) => timestampValue(dialect, value, options.inlineTimestamps ?? false);
  const columns = sql.join(spec.columns.map((column) => sql.ref(column)));
  const conditions = spec.cursor
    ? [
        sql`${sql.ref(spec.cursor.column)} >= ${timestamp(spec.cursor.from)}`,
        ...(spec.cursor.to ? [sql`${sql.ref(spec.cursor.column)} < ${timestamp(spec.cursor.to)}`] : []),
      ]
    : [];
  const where = conditions.length > 0 ? sql` where ${sql.join(conditions, sql` and `)}` : sql``;
  return sql`select ${columns} from ${sql.table(spec.table)}${where}`.compile(db);
}
