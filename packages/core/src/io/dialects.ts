import {
  type AliasNode,
  type CompiledQuery,
  type DatabaseIntrospector,
  DefaultQueryCompiler,
  type Dialect,
  DummyDriver,
  Kysely,
  type LimitNode,
  type OffsetNode,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
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

export type SourceDialect = 'postgres' | 'oracle';

/**
 * A query builder that only compiles (it never connects): the same query yields the PostgreSQL
 * stand-in's SQL and Oracle's, so one definition of an extraction serves both.
 */
export function queryBuilder<DB>(dialect: SourceDialect): Kysely<DB> {
  const compiler = dialect === 'oracle' ? () => new OracleQueryCompiler() : () => new PostgresQueryCompiler();
  const compileOnly: Dialect = {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db): DatabaseIntrospector => new PostgresIntrospector(db),
    createQueryCompiler: compiler,
  };
  return new Kysely<DB>({ dialect: compileOnly });
}

export type { CompiledQuery };

export interface ExtractionSpec {
  /** Schema-qualified source table, e.g. `REGISTRY.LEGAL_CLIENTS`. */
  table: string;
  columns: readonly string[];
  /** Rows whose cursor column is at or after `from` (and before `to`), timestamps as `YYYY-MM-DD HH:MM:SS`. */
  cursor?: { column: string; from: string; to?: string };
}

const timestampPattern = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * The extraction query of one source table, compiled for Oracle or for its PostgreSQL stand-in from
 * one definition. Timestamps bind as text and are converted by the database, with an explicit
 * format on Oracle so the session's NLS settings do not matter.
 */
export function extractionQuery(dialect: SourceDialect, spec: ExtractionSpec): CompiledQuery {
  const db = queryBuilder<Record<string, Record<string, unknown>>>(dialect);
  const timestamp = (value: string) => {
    if (!timestampPattern.test(value))
      throw new Error(`expected a timestamp as YYYY-MM-DD HH:MM:SS, got "${value}"`);
    return dialect === 'oracle'
      ? sql`to_timestamp(${value}, 'YYYY-MM-DD HH24:MI:SS')`
      : sql`cast(${value} as timestamp)`;
  };
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
