/**
 * Runs once after every jest run: removes the shared reference app and the run's temporary
 * folder, and fails the run if a test
 * left anything in the run's temporary folder (every test cleans up after itself).
 */
import * as fs from 'node:fs';
import { REFERENCE_APP_ENV } from './reference-app';

export default function globalTeardown(): void {
  fs.rmSync(process.env[REFERENCE_APP_ENV] as string, { recursive: true, force: true });
  const tmp = process.env.TMPDIR as string;
  const left = fs.readdirSync(tmp);
  fs.rmSync(tmp, { recursive: true, force: true });
  if (left.length > 0) {
    throw new Error(`tests left ${left.length} temporary folder(s) behind: ${left.sort().join(', ')}`);
  }
}
