import { createHash } from 'node:crypto';
import { createWorld, type DayIncrement, generateDay, type World } from '../src/index.ts';

export const START = '2026-10-05';

/** A fingerprint of everything a day's increment holds (tables, files, fixtures). */
export function checksum(increment: DayIncrement): string {
  const hash = createHash('sha256');
  for (const table of increment.tables) {
    hash.update(`${table.table}\n`);
    for (const generated of table.rows()) hash.update(`${JSON.stringify(generated)}\n`);
  }
  for (const file of increment.files) {
    hash.update(`${file.path}\n`);
    if (file.kind === 'csv' || file.kind === 'log')
      for (const line of file.lines()) hash.update(`${JSON.stringify(line)}\n`);
    else if (file.kind === 'xlsx') for (const row of file.rows()) hash.update(`${JSON.stringify(row)}\n`);
    else hash.update(file.paragraphs.join('\n'));
  }
  for (const fixture of increment.fixtures()) hash.update(`${fixture.path}${JSON.stringify(fixture.body)}\n`);
  return hash.digest('hex');
}

export function rowsOf(
  increment: DayIncrement,
  table: string,
  mode: 'upsert' | 'append' | 'update' = 'append',
) {
  const found = increment.tables.filter(
    (t) => t.table === table && (t.mode.kind === mode || (mode === 'append' && t.mode.kind === 'upsert')),
  );
  if (found.length === 0) throw new Error(`no ${table} in the increment`);
  return found.flatMap((t) => [...t.rows()]);
}

export function world(options: Partial<Parameters<typeof createWorld>[0]> = {}): World {
  return createWorld({ seed: 1, scale: 1, start: START, ...options });
}

export { generateDay };
