/**
 * Runs once before every jest run:
 * - gives the run its own temporary folder, `traced-jest-*` in the OS temp folder (TMPDIR, inherited
 *   by the workers: `os.tmpdir()` and cdktf's `Testing.app()` write there, global-teardown.ts checks
 *   it is empty at the end and removes it);
 * - synthesizes the reference app once, with `node scripts/app.cjs` (the app cdktf runs), into
 *   `.build/reference-app-*`, for the suites that read it (support/reference-app.ts).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { REFERENCE_APP_ENV } from './reference-app';

const root = path.resolve(__dirname, '..', '..');

export default async function globalSetup(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'traced-jest-'));
  // In the project, as `npm run synth` writes it: the local backend's state path is relative to it.
  fs.mkdirSync(path.join(root, '.build'), { recursive: true });
  const outdir = fs.mkdtempSync(path.join(root, '.build', 'reference-app-'));
  process.env.TMPDIR = tmp;
  process.env[REFERENCE_APP_ENV] = outdir;
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('TRACED_') && !k.startsWith('CDKTF_')),
  );
  await promisify(execFile)(process.execPath, ['scripts/app.cjs'], {
    cwd: root,
    env: { ...env, CDKTF_OUTDIR: outdir },
  });
}
