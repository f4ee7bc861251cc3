/**
 * The cdktf app (run by cdktf.json's `app`, see scripts/app.cjs): builds one stack per
 * environment and synthesizes them. Invalid configuration or props end the process with their
 * message, not a stack trace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { App } from 'cdktf';
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

/** Prints the synth's warnings and notes (policy findings, suppressions), as the cdktf CLI would. */
function printAnnotations(app: App): void {
  for (const [stack, manifest] of Object.entries(app.manifest.stacks)) {
    for (const a of manifest.annotations) {
      const level = a.level.replace('@cdktf/', '').toUpperCase();
      if (level !== 'ERROR') process.stderr.write(`[${level}] ${stack}: ${a.constructPath}: ${a.message}\n`);
    }
  }
}

try {
  const app = createApp({ projectRoot: projectRoot(__dirname) });
  app.synth();
  printAnnotations(app);
} catch (error) {
  const annotated = error instanceof Error && error.message.startsWith('Encountered Annotations with level "ERROR"');
  if (error instanceof ValidationError || error instanceof ConfigError || annotated) {
    process.stderr.write(`${(error as Error).message.trim()}\n`);
    process.exit(1);
  }
  throw error;
}
