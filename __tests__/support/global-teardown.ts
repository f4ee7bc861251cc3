/**
 * Runs once after every jest run: removes the run's temporary folder (and the shared reference
 * app in it), and fails the run if a test
 * left anything in the run's temporary folder (every test cleans up after itself).
 */
import * as fs from 'node:fs';
import { REFERENCE_APP_DIR } from './reference-app';

export default function globalTeardown(): void {
  const tmp = process.env.TMPDIR as string;
  const left = fs.readdirSync(tmp).filter((name) => name !== REFERENCE_APP_DIR);
  fs.rmSync(tmp, { recursive: true, force: true });
  if (left.length > 0) {
    throw new Error(`tests left ${left.length} temporary folder(s) behind: ${left.sort().join(', ')}`);
  }
}
