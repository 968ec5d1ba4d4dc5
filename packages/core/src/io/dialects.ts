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
