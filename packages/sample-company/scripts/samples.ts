/**
 * Regenerates the sample data files in `samples/` at the repository's root (README.md is kept):
 *   node --import tsx packages/sample-company/scripts/samples.ts
 */
import { resolve } from 'node:path';
import { regenerateSamples, SAMPLE } from '../src/samples.ts';

const root = resolve(import.meta.dirname, '../../../samples');
const files = await regenerateSamples(root);
console.log(
  `samples: ${files.length} files for ${SAMPLE.day} (seed ${SAMPLE.seed}, scale ${SAMPLE.scale}, start ${SAMPLE.start}) in ${root}`,
);
