import { DefinitionError } from '@vitrina/core';
import { loadModule, parseSync } from 'libpg-query';

/** A node of PostgreSQL's parse tree as libpg-query gives it: `{ NodeType: { …fields } }`. */
type ParseTree = unknown;

let loaded: Promise<void> | null = null;

/** Loads the parser (PostgreSQL's own, compiled to WebAssembly) once per process. */
export function loadParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

/** Where a statement failed to parse: PostgreSQL's message, with the line and column of the cursor. */
function parseError(file: string, sql: string, error: unknown): DefinitionError {
  const message = error instanceof Error ? error.message : String(error);
  const cursor = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition;
  if (cursor === undefined) return new DefinitionError(`${file}: ${message}`);
  const before = sql.slice(0, cursor);
  const line = before.split('\n').length;
  const column = cursor - before.lastIndexOf('\n');
  return new DefinitionError(`${file}: line ${line}, column ${column}: ${message}`);
}

/** Parses one SELECT (a model's query); anything else, or more than one statement, is an error. */
export function parseQuery(file: string, sql: string): ParseTree {
  let tree: { stmts?: Array<{ stmt?: Record<string, unknown> }> };
  try {
    tree = parseSync(sql) as typeof tree;
  } catch (error) {
    throw parseError(file, sql, error);
  }
  const statements = tree.stmts ?? [];
  if (statements.length !== 1)
    throw new DefinitionError(`${file}: a model is one query; found ${statements.length} statements`);
  const statement = statements[0]!.stmt ?? {};
  if (!('SelectStmt' in statement))
    throw new DefinitionError(
      `${file}: a model is a SELECT (or WITH … SELECT); found ${Object.keys(statement)[0] ?? 'nothing'}`,
    );
  return statement;
}

/** Calls `visit` on every object node of a parse tree, depth first. */
export function walk(node: ParseTree, visit: (type: string, fields: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [type, fields] of Object.entries(node)) {
    if (typeof fields === 'object' && fields !== null && !Array.isArray(fields) && /^[A-Z]/.test(type))
      visit(type, fields as Record<string, unknown>);
    walk(fields, visit);
  }
}

/**
 * The tables a query reads, schema-qualified, from the parse tree: every relation in a FROM, JOIN
 * or subquery that is not one of the query's own CTEs. An unqualified name that is no CTE is an
 * error: lineage must not depend on the search path.
 */
export function tablesRead(file: string, tree: ParseTree): string[] {
  const ctes = new Set<string>();
  const relations: Array<{ schema: string | null; name: string }> = [];
  walk(tree, (type, fields) => {
    if (type === 'CommonTableExpr' && typeof fields.ctename === 'string') ctes.add(fields.ctename);
    if (type === 'RangeVar' && typeof fields.relname === 'string')
      relations.push({
        schema: typeof fields.schemaname === 'string' ? fields.schemaname : null,
        name: fields.relname,
      });
  });
  const read = new Set<string>();
  for (const { schema, name } of relations) {
    if (schema === null) {
      if (ctes.has(name)) continue;
      throw new DefinitionError(
        `${file}: reads "${name}" without a schema; write it as schema.${name} (a model's lineage does not depend on the search path)`,
      );
    }
    read.add(`${schema}.${name}`);
  }
  return [...read].sort();
}
