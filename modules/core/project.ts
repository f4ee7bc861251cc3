import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The project root: the nearest folder at or above `from` (default: the working directory) that
 * holds `cdktf.json`, which is where the cdktf CLI runs an app; without one, `from` itself.
 * Relative paths a construct takes (`TracedFunction`'s `entry`) are resolved against it, so they
 * mean the same whichever subfolder a synth is started from.
 */
export function projectRoot(from: string = process.cwd()): string {
  const start = path.resolve(from);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'cdktf.json'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}
