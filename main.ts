/**
 * The cdktf app (run by cdktf.json's `app`, see scripts/app.cjs): builds one stack per
 * environment and synthesizes them. Invalid configuration or props end the process with their
 * message, not a stack trace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createApp } from './app';
import { ConfigError } from './app/config';
import { ValidationError } from './modules';

/** The folder holding cdktf.json: this file's own, or (when run from the .build bundle) a parent. */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'cdktf.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no cdktf.json above ${from}`);
  }
}

try {
  createApp({ projectRoot: projectRoot(__dirname) }).synth();
} catch (error) {
  if (error instanceof ValidationError || error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
