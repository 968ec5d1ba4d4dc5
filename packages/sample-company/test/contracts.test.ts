import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type SourceTable, type System, select, sourceSystems } from '../src/contracts.ts';
import { dayKey, dayNumber, generateSnapshot, sourceSchema } from '../src/index.ts';
import { generateDay, START, world } from './helpers.ts';

const schemaFiles: Record<System, string> = {
  crm: 'crm.mysql.sql',
  payments: 'payments.pg.sql',
  registry: 'registry.pg.sql',
};

interface SchemaTable {
  columns: string[];
  key: string[];
}

/** Splits at the commas outside parentheses: `numeric(5,2)` and `primary key (a, b)` stay whole. */
function topLevelItems(body: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of body) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      items.push(current.trim());
      current = '';
    } else current += char;
  }
  items.push(current.trim());
  return items.filter(Boolean);
}

const unquote = (name: string) => name.replaceAll('"', '').replaceAll('`', '');

/** The `create table` statements of a DDL file: each table's columns in order and its primary key. */
function schemaTables(file: string): Map<string, SchemaTable> {
  const ddl = readFileSync(sourceSchema(file), 'utf8').replace(/--[^\n]*/g, '');
  const tables = new Map<string, SchemaTable>();
  const create = /create table (?:if not exists )?([^\s(]+)\s*\(([\s\S]*?)\n\);/gi;
  for (const [, name, body] of ddl.matchAll(create)) {
    const table: SchemaTable = { columns: [], key: [] };
    for (const item of topLevelItems(body!)) {
      const constraint = /^primary key\s*\(([^)]*)\)/i.exec(item);
      if (constraint) table.key = constraint[1]!.split(',').map((column) => unquote(column.trim()));
      else if (/^(unique |constraint |foreign key |check |key |index )/i.test(item)) continue;
      else {
        const column = unquote(item.split(/\s+/)[0]!);
        table.columns.push(column);
        if (/\bprimary key\b/i.test(item)) table.key = [column];
      }
    }
    tables.set(unquote(name!), table);
  }
  return tables;
}

const contractTables = (system: System): SourceTable[] => Object.values(sourceSystems[system]);

describe('the source contract', () => {
  for (const system of Object.keys(schemaFiles) as System[]) {
    describe(`${system} (schema/${schemaFiles[system]})`, () => {
      const schema = schemaTables(schemaFiles[system]);

      it('has a table for every create table of the schema, and no other', () => {
        expect(schema.size).toBeGreaterThan(0);
        expect(
          contractTables(system)
            .map((table) => table.table)
            .sort(),
        ).toEqual([...schema.keys()].sort());
      });

      for (const table of contractTables(system)) {
        it(`${table.table}: the schema's columns in the schema's order, and its primary key`, () => {
          expect(table.system).toBe(system);
          const inSchema = schema.get(table.table);
          const file = `schema/${schemaFiles[system]}`;
          expect(inSchema, `${table.table} in ${file}`).toBeDefined();
          const against = `${table.table}: contracts.ts (received) against ${file} (expected)`;
          expect([...table.columns], against).toEqual(inSchema!.columns);
          expect([...(table.key ?? [])], `${against}, primary key`).toEqual(inSchema!.key);
        });
      }
    });
  }

  it('selects columns in the table’s order and refuses a column the table lacks', () => {
    const { cards } = sourceSystems.payments;
    expect(select(cards, ['status', 'card_id']).columns).toEqual(['card_id', 'status']);
    expect(() => select(cards, ['card_id', 'pan' as 'pan_masked'])).toThrow('core.cards has no column pan');
  });

  it('is what the generator writes: every table increment has its table’s columns, or a selection of them', () => {
    const tables = new Map(
      Object.values(sourceSystems).flatMap((system) =>
        Object.values<SourceTable>(system).map((table) => [table.table, table] as const),
      ),
    );
    const company = world();
    const increments = [generateSnapshot(company, dayKey(dayNumber(START) - 1)), generateDay(company, START)];
    for (const table of increments.flatMap((increment) => increment.tables)) {
      const contract = tables.get(table.table);
      expect(contract, table.table).toBeDefined();
      expect(table.system).toBe(contract!.system);
      if (table.mode.kind === 'update')
        expect([...table.columns]).toEqual(
          contract!.columns.filter((column) => table.columns.includes(column)),
        );
      else expect([...table.columns]).toEqual([...contract!.columns]);
      if (table.mode.kind === 'upsert') expect([...table.mode.key]).toEqual([...(contract!.key ?? [])]);
    }
  });
});
