import * as fs from 'node:fs';
import * as path from 'node:path';

/** Synthesized Terraform JSON, read loosely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** Where global-setup.ts synthesized the reference app, once for the whole jest run. */
export const REFERENCE_APP_ENV = 'REFERENCE_APP_OUTDIR';

/**
 * The reference app as `node scripts/app.cjs` synthesized it (all default stacks, no TRACED_*
 * configuration), shared by every suite that reads it: its output folder and each stack's JSON.
 */
export function referenceApp(): { outdir: string; stacks: Record<string, Json>; manifest: Json } {
  const outdir = process.env[REFERENCE_APP_ENV];
  if (!outdir) throw new Error(`${REFERENCE_APP_ENV} is not set: run the tests through jest (jest.config.js)`);
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8')) as Json;
  const manifest = read('manifest.json');
  const stacks = Object.fromEntries(
    Object.keys(manifest.stacks).map((name) => [name, read(manifest.stacks[name].synthesizedStackPath)]),
  );
  return { outdir, stacks, manifest };
}
