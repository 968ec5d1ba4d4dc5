/** `pnpm bench <name>`: runs one benchmark from bench/<name>.ts; each writes bench/results/<name>.json. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const name = process.argv[2];
const available = ['engine', 'extract', 'ui', 'daily', 'transfer', 'marts', 'dashboards', 'faults', 'cli'];
if (!name || !available.includes(name)) {
  console.error(`usage: pnpm bench <${available.join('|')}>`);
  process.exit(2);
}
const file = resolve(import.meta.dirname, `${name}.ts`);
if (!existsSync(file)) throw new Error(`missing ${file}`);
await import(file);
