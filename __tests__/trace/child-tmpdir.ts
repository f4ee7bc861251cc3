import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

/**
 * The temporary folder of the Node processes the trace tests start with tsx: tsx keeps its compile
 * cache there, so it lives beside the build cache (kept between runs) rather than in the run's
 * private TMPDIR (which must be empty at the end, and would make every child compile afresh).
 */
export function childTmpdir(): string {
  const dir = path.join(root, 'node_modules', '.cache', 'cdktf-traced-serverless', 'child-tmp');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
