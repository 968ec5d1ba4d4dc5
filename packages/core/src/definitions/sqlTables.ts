/**
 * Schema-qualified tables that a SQL text reads (after FROM or JOIN), so a test can prove an
 * asset's declared upstreams match its SQL and lineage cannot lie.
 */
export function tablesReadBy(sql: string): string[] {
  const found = new Set<string>();
  // `a is [not] distinct from t.column` compares values: its `from` names no table.
  const pattern = /\b(?<!distinct\s+)(?:from|join)\s+([a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*)/gi;
  for (const match of sql.replace(/--[^\n]*/g, '').matchAll(pattern)) found.add(match[1]!.toLowerCase());
  return [...found].sort();
}
