import type { ColumnSpec } from '@vitrina/core';

/**
 * The columns a mart's ClickHouse DDL creates, in order, with their types: what the asset page shows
 * (the API reads column types from PostgreSQL only). The table is created from this text and
 * re-created when it changes (`ensureMartTable`), so it describes the table as it is.
 */
export function ddlColumns(ddl: string): ColumnSpec[] {
  const text = ddl.replace(/--[^\n]*/g, '');
  const open = text.search(/CREATE\s+TABLE[^(]*\(/i);
  if (open === -1) throw new Error('no CREATE TABLE (…) in the DDL');
  const body = text.slice(text.indexOf('(', open) + 1);
  const definitions: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of body) {
    if (char === '(') depth++;
    if (char === ')' && depth-- === 0) break;
    if (char === ',' && depth === 0) {
      definitions.push(current);
      current = '';
    } else current += char;
  }
  definitions.push(current);
  return definitions
    .map((definition) => definition.trim().match(/^`?([a-z_][a-z0-9_]*)`?\s+(.+)$/is))
    .filter(
      (match): match is RegExpMatchArray =>
        match !== null && !/^(INDEX|PROJECTION|CONSTRAINT)$/i.test(match[1]!),
    )
    .map((match) => ({ name: match[1]!, type: typeOf(match[2]!) }));
}

/** The type of a column definition, without its DEFAULT, CODEC, TTL or COMMENT. */
function typeOf(definition: string): string {
  return definition
    .split(/\s+(?:DEFAULT|MATERIALIZED|ALIAS|EPHEMERAL|CODEC|TTL|COMMENT)\b/i)[0]!
    .replace(/\s+/g, ' ')
    .trim();
}
