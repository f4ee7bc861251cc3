/**
 * npm run plan:summary [-- <outdir>] — what a reviewer reads before approving, per stack: from the
 * real plan `npm run plan:offline` saved when it is of the current configuration, else from the
 * synthesized stack (`npm run synth`), saying which (sources.ts). Offline: reads files only.
 */
import * as path from 'node:path';
import { ROOT } from '../units';
import { summaries } from './sources';

try {
  for (const text of summaries(ROOT, path.resolve(process.argv[2] ?? path.join(ROOT, 'cdktf.out'))))
    process.stdout.write(`${text}\n`);
} catch (error) {
  process.stderr.write(`plan:summary: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
