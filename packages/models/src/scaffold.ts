import { cp, mkdir, readdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '@vitrina/core';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const TEMPLATE = join(PACKAGE, 'template');
const ROOT = resolve(PACKAGE, '..', '..');

/** A project's name as a database and location name: lower case, letters, digits and `_`. */
export function projectName(folder: string): string {
  const name = basename(resolve(folder))
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^[^a-z]+/, '');
  return name || 'project';
}

async function isEmpty(folder: string): Promise<boolean> {
  try {
    return (await readdir(folder)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/**
 * The packages the project imports, linked from this checkout into its `node_modules`, so it runs at
 * once without an install (the packages are not on npm).
 */
async function linkPackages(folder: string): Promise<void> {
  const links: Record<string, string> = {
    '@vitrina/core': join(ROOT, 'packages/core'),
    '@vitrina/io': join(ROOT, 'packages/io'),
    '@vitrina/models': PACKAGE,
    pg: await realpath(join(PACKAGE, 'node_modules/pg')),
    tsx: await realpath(join(ROOT, 'node_modules/tsx')),
  };
  await mkdir(join(folder, 'node_modules/@vitrina'), { recursive: true });
  for (const [name, target] of Object.entries(links))
    await symlink(target, join(folder, 'node_modules', name), 'dir');
}

/**
 * `vitrina init <folder>`: a new project — a code location with one seed and two SQL models with
 * checks, a README, the settings and a `vitrina` script — that plan, materialize and test run at once
 * on the embedded run storage. Refuses a folder that is not empty. Returns the files written.
 */
export async function scaffoldProject(folder: string, today: string): Promise<string[]> {
  const target = resolve(folder);
  if (!(await isEmpty(target)))
    throw new UserError(
      `${target} is not empty: vitrina init writes a new project into an empty or new folder`,
    );
  const name = projectName(target);
  const warehouse = `postgres://postgres@127.0.0.1:5432/${name}`;
  const start = new Date(Date.parse(`${today}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
  const fill = (text: string) =>
    text
      .replaceAll('__NAME__', name)
      .replaceAll('__START__', start)
      .replaceAll('__WAREHOUSE__', warehouse)
      .replaceAll('__DOCS__', join(PACKAGE, 'README.md'));
  await mkdir(target, { recursive: true });
  await cp(join(TEMPLATE, 'models'), join(target, 'models'), { recursive: true });
  const written: Record<string, string> = {
    'location.ts': fill(await readFile(join(TEMPLATE, 'location.ts.template'), 'utf8')),
    'README.md': fill(await readFile(join(TEMPLATE, 'README.md.template'), 'utf8')),
    '.env': `VITRINA_DEFINITIONS=location.ts\nWAREHOUSE_URL=${warehouse}\n`,
    '.gitignore': '.vitrina/\nnode_modules/\n',
    'package.json': `${JSON.stringify(
      {
        name,
        private: true,
        type: 'module',
        scripts: {
          vitrina: join(ROOT, 'bin/vitrina'),
        },
      },
      null,
      2,
    )}\n`,
  };
  for (const [file, text] of Object.entries(written)) await writeFile(join(target, file), text);
  await linkPackages(target);
  const models = (await readdir(join(target, 'models'), { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath.slice(target.length + 1), entry.name));
  return [...Object.keys(written), ...models].sort();
}
