import { resolve } from 'node:path';
import { colour } from '../format.ts';

/**
 * `vitrina init <folder>`: writes a new project there (a seed, two SQL models with checks, a code
 * location, its settings and README). A relative folder is taken from where the user typed the
 * command (pnpm runs scripts from the repository's root and says where it was called from in
 * INIT_CWD).
 */
export async function initCommand(folder: string): Promise<number> {
  const { scaffoldProject } = await import('@vitrina/models'); // only this command needs it
  const target = resolve(process.env.INIT_CWD ?? process.cwd(), folder);
  const today = new Date().toISOString().slice(0, 10);
  const files = await scaffoldProject(target, today);
  console.log(colour.green(`A new Vitrina project in ${target}:`));
  for (const file of files) console.log(`  ${file}`);
  console.log(
    [
      '',
      'Next:',
      `  cd ${target}`,
      "  vitrina plan '*'          # what is stale and why",
      "  vitrina materialize '*'   # build the seed and the models",
      "  vitrina test '*'          # run the checks on the tables as they are",
    ].join('\n'),
  );
  return 0;
}
