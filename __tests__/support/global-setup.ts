/**
 * Runs once before every jest run:
 * - gives the run its own temporary folder, `.build/jest-tmp-*` (TMPDIR, inherited by the workers,
 *   so `os.tmpdir()` and cdktf's `Testing.app()` write there and never to the OS temp folder);
 * - synthesizes the reference app once, with `node scripts/app.cjs` (the app cdktf runs), for the
 *   suites that read it (support/reference-app.ts).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { REFERENCE_APP_DIR, REFERENCE_APP_ENV } from './reference-app';

const root = path.resolve(__dirname, '..', '..');

export default async function globalSetup(): Promise<void> {
  fs.mkdirSync(path.join(root, '.build'), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(root, '.build', 'jest-tmp-'));
  const outdir = path.join(tmp, REFERENCE_APP_DIR);
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
