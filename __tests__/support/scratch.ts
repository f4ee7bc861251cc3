import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing, type App } from 'cdktf';

/**
 * Temporary folders that the test file importing this removes when it ends (afterAll). The OS temp
 * folder of a jest run is private to the run (see global-setup.ts), and global-teardown.ts fails the
 * run if anything is left in it.
 */
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh empty folder, removed after this test file. */
export function scratchDir(prefix = 'scratch-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** cdktf's `Testing.app()`, with its output folder removed after this test file (cdktf never removes it). */
export function testApp(options: Parameters<typeof Testing.app>[0] = {}): App {
  return Testing.app({ outdir: scratchDir('cdktf.outdir.'), ...options });
}
