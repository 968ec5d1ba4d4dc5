import type { ColumnRef } from '@vitrina/core';

/** A column of a query's result and the upstream columns its value is computed from. */
export interface ColumnLineage {
  name: string;
  from: ColumnRef[];
}

/** The columns a table is known to have (a seed's header, another model's result), or null. */
export type KnownColumns = (table: string) => readonly string[] | null;

type Node = Record<string, unknown>;

/** What a name in a FROM clause stands for: a table, or a subquery or CTE with its own lineage. */
type Relation =
  | { kind: 'table'; key: string; columns: readonly string[] | null }
  | { kind: 'derived'; columns: ColumnLineage[] | null };

interface Scope {
  relations: Array<{ alias: string; relation: Relation }>;
  ctes: Map<string, ColumnLineage[] | null>;
  known: KnownColumns;
}

const child = (node: unknown, type: string): Node | undefined =>
  typeof node === 'object' && node !== null && type in node ? ((node as Node)[type] as Node) : undefined;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (node: unknown): string | undefined => {
  const string = child(node, 'String');
  return typeof string?.sval === 'string' ? string.sval : undefined;
};

function unique(refs: ColumnRef[]): ColumnRef[] {
  const seen = new Map(refs.map((ref) => [`${ref.asset}.${ref.column}`, ref]));
  return [...seen.values()].sort((a, b) => `${a.asset}.${a.column}`.localeCompare(`${b.asset}.${b.column}`));
}

function columnsOf(relation: Relation): readonly string[] | null {
  return relation.kind === 'table' ? relation.columns : (relation.columns?.map((c) => c.name) ?? null);
}

/** A relation's column as upstream columns: the table's own, or what the subquery computed it from. */
function sourcesOf(relation: Relation, column: string): ColumnRef[] {
  if (relation.kind === 'table') return [{ asset: relation.key, column }];
  return relation.columns?.find((c) => c.name === column)?.from ?? [];
}

function fromItem(item: unknown, scope: Scope, into: Scope['relations']): void {
  const range = child(item, 'RangeVar');
  if (range) {
    const name = String(range.relname);
    const alias = (range.alias as Node | undefined)?.aliasname;
    const shown = typeof alias === 'string' ? alias : name;
    if (typeof range.schemaname !== 'string' && scope.ctes.has(name)) {
      into.push({ alias: shown, relation: { kind: 'derived', columns: scope.ctes.get(name) ?? null } });
      return;
    }
    const key = `${String(range.schemaname)}.${name}`;
    into.push({ alias: shown, relation: { kind: 'table', key, columns: scope.known(key) } });
    return;
  }
  const join = child(item, 'JoinExpr');
  if (join) {
    fromItem(join.larg, scope, into);
    fromItem(join.rarg, scope, into);
    return;
  }
  const sub = child(item, 'RangeSubselect');
  if (sub) {
    const alias = String((sub.alias as Node | undefined)?.aliasname ?? '');
    into.push({ alias, relation: { kind: 'derived', columns: selectLineage(sub.subquery, scope) } });
    return;
  }
  const fn = child(item, 'RangeFunction');
  if (fn) {
    // generate_series(…) as d(day): columns computed from nothing upstream.
    const alias = fn.alias as Node | undefined;
    const names = list(alias?.colnames)
      .map(text)
      .filter((name): name is string => !!name);
    into.push({
      alias: String(alias?.aliasname ?? ''),
      relation: { kind: 'derived', columns: names.map((name) => ({ name, from: [] })) },
    });
  }
}

/** The upstream columns a column reference stands for, in a scope. */
function resolve(fields: unknown[], scope: Scope): ColumnRef[] {
  const names = fields.map(text);
  if (names.length >= 2 && names.every(Boolean)) {
    const [alias, column] = names.slice(-2) as [string, string];
    const found = scope.relations.find((r) => r.alias === alias);
    return found ? sourcesOf(found.relation, column) : [];
  }
  const column = names[0];
  if (names.length !== 1 || !column) return [];
  const having = scope.relations.filter((r) => columnsOf(r.relation)?.includes(column));
  if (having.length > 0) return having.flatMap((r) => sourcesOf(r.relation, column)); // USING: both sides
  const unknown = scope.relations.filter((r) => columnsOf(r.relation) === null);
  return unknown.length === 1 ? sourcesOf(unknown[0]!.relation, column) : [];
}

/** Every upstream column an expression reads, subqueries in it included. */
function expressionSources(expression: unknown, scope: Scope): ColumnRef[] {
  const found: ColumnRef[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const ref = child(node, 'ColumnRef');
    if (ref) {
      found.push(...resolve(list(ref.fields), scope));
      return;
    }
    const sublink = child(node, 'SubLink');
    if (sublink) {
      visit(sublink.testexpr);
      for (const column of selectLineage(sublink.subselect, scope) ?? []) found.push(...column.from);
      return;
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(expression);
  return found;
}

/** The name PostgreSQL gives a result column that has no `AS`. */
function defaultName(expression: unknown): string {
  const ref = child(expression, 'ColumnRef');
  if (ref) return text(list(ref.fields).at(-1)) ?? '?column?';
  const cast = child(expression, 'TypeCast');
  if (cast) return defaultName(cast.arg);
  const call = child(expression, 'FuncCall');
  if (call) return text(list(call.funcname).at(-1)) ?? '?column?';
  return '?column?';
}

function starColumns(fields: unknown[], scope: Scope): ColumnLineage[] {
  const alias = fields.length > 1 ? text(fields[0]) : undefined;
  const relations = alias ? scope.relations.filter((r) => r.alias === alias) : scope.relations;
  return relations.flatMap(({ relation }) =>
    (columnsOf(relation) ?? []).map((name) => ({ name, from: unique(sourcesOf(relation, name)) })),
  );
}

/**
 * The result columns of a SELECT and, for each, the upstream columns it is computed from: through
 * aliases, joins, CTEs, subqueries and set operations. Null when the node is no SELECT. A `*` over a
 * table whose columns are not known adds no column.
 */
export function selectLineage(
  node: unknown,
  outer: Omit<Scope, 'relations'> & Partial<Scope>,
): ColumnLineage[] | null {
  const select = child(node, 'SelectStmt');
  if (!select) return null;
  const ctes = new Map(outer.ctes);
  const base: Scope = { relations: [...(outer.relations ?? [])], ctes, known: outer.known };
  for (const cte of list((select.withClause as Node | undefined)?.ctes)) {
    const expr = child(cte, 'CommonTableExpr');
    if (expr) ctes.set(String(expr.ctename), selectLineage(expr.ctequery, { ctes, known: outer.known }));
  }
  if (select.op && select.op !== 'SETOP_NONE') {
    const left = selectLineage({ SelectStmt: select.larg }, base) ?? [];
    const right = selectLineage({ SelectStmt: select.rarg }, base) ?? [];
    return left.map((column, i) => ({
      name: column.name,
      from: unique([...column.from, ...(right[i]?.from ?? [])]),
    }));
  }
  const own: Scope['relations'] = [];
  for (const item of list(select.fromClause)) fromItem(item, base, own);
  const scope: Scope = { relations: [...own, ...base.relations], ctes, known: outer.known };
  const columns: ColumnLineage[] = [];
  for (const target of list(select.targetList)) {
    const res = child(target, 'ResTarget');
    if (!res) continue;
    const star = child(res.val, 'ColumnRef');
    const fields = list(star?.fields);
    if (star && fields.some((field) => child(field, 'A_Star'))) {
      columns.push(...starColumns(fields, { ...scope, relations: own }));
      continue;
    }
    const name = typeof res.name === 'string' ? res.name : defaultName(res.val);
    columns.push({ name, from: unique(expressionSources(res.val, scope)) });
  }
  return columns;
}

/** The result columns of a model's parsed query (see `parseQuery`) with their upstream columns. */
export function columnLineage(tree: unknown, known: KnownColumns): ColumnLineage[] {
  return selectLineage(tree, { ctes: new Map(), known }) ?? [];
}
