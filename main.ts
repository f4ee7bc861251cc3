/**
 * The cdktf app (run by cdktf.json's `app`, see scripts/app.cjs): builds one stack per
 * environment, synthesizes them and prints a short summary of each with the next step
 * (`--quiet`: only warnings). Invalid configuration or props end the process with their message,
 * not a stack trace.
 */
import * as path from 'node:path';
import { createApp } from './app';
import { ConfigError } from './app/config';
import { collectReports, shown, synthSummary } from './app/synth-summary';
import { ValidationError, projectRoot } from './modules';

const quiet = process.argv.includes('--quiet');
// `npm run synth | head` closes the pipe early: the files are written, nothing to report.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

try {
  const root = projectRoot();
  const app = createApp({ projectRoot: root });
  app.synth();
  const reports = collectReports(app, root);
  if (quiet) {
    // Warnings are never silenced: they name what will go wrong at apply or in production.
    for (const r of reports) for (const w of r.warnings) process.stderr.write(`[WARN] ${w}\n`);
  } else {
    process.stdout.write(`${synthSummary(reports, shown(root, path.resolve(root, app.outdir)), process.uptime())}\n`);
  }
} catch (error) {
  const annotated = error instanceof Error && error.message.startsWith('Encountered Annotations with level "ERROR"');
  if (error instanceof ValidationError || error instanceof ConfigError || annotated) {
    process.stderr.write(`${(error as Error).message.trim()}\n`);
    process.exit(1);
  }
  throw error;
}
