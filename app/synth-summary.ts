/**
 * What `npm run synth` prints on success: one short block per stack (resources, the Lambda zips,
 * the outputs worth knowing, warnings and notes) and the next step. `--quiet` prints only warnings.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { App } from 'cdktf';

/** One synthesized stack, as the summary reads it. */
export interface StackReport {
  readonly name: string;
  /** The stack's cdk.tf.json, relative to the project root. */
  readonly file: string;
  readonly config: {
    resource?: Record<string, Record<string, unknown>>;
    data?: Record<string, Record<string, unknown>>;
    output?: Record<string, { sensitive?: boolean }>;
  };
  /** Asset folders (the Lambda zips) and their size in bytes. */
  readonly assets: { name: string; bytes: number }[];
  /** `<construct path>: <message>` */
  readonly warnings: string[];
  /** Informational annotations (suppressed policy findings with their reasons). */
  readonly notes: string[];
}

/** Outputs a user reaches for after a deploy: endpoints and secrets. */
const WORTH_KNOWING = /_(url|endpoint)$/;

const count = (groups: Record<string, Record<string, unknown>> | undefined) =>
  Object.values(groups ?? {}).reduce((n, g) => n + Object.keys(g).length, 0);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function size(bytes: number): string {
  return bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${Math.round(bytes / 1024)} KiB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The block for one stack. */
export function stackSummary(r: StackReport): string {
  const outputs = Object.entries(r.config.output ?? {});
  const key = [
    ...outputs.filter(([name]) => WORTH_KNOWING.test(name)).map(([name]) => name),
    ...outputs.filter(([, o]) => o.sensitive).map(([name]) => `${name} (sensitive)`),
  ];
  const more = outputs.length - key.length;
  const lines = [
    `${r.name}: ${plural(count(r.config.resource), 'resource')}, ${plural(count(r.config.data), 'data source')} in ${r.file}`,
    `  assets    ${r.assets.length ? r.assets.map((a) => `${a.name} ${size(a.bytes)}`).join(', ') : 'none'}`,
    `  outputs   ${outputs.length === 0 ? 'none' : `${[...key, ...(more > 0 ? [`${more} more`] : [])].join(', ')}`}`,
    `  warnings  ${r.warnings.length === 0 ? 'none' : r.warnings.length}`,
    ...r.warnings.map((w) => `    ${w}`),
    ...(r.notes.length ? [`  notes     ${r.notes.length}`, ...r.notes.map((n) => `    ${n}`)] : []),
  ];
  return lines.join('\n');
}

/** The next commands, for the first stack. Every `npm run` named here is a script of package.json (a test checks). */
export function nextSteps(stack: string): string {
  return [
    'Next:',
    `  ${`npm run plan:offline ${stack}`.padEnd(26)} a real terraform plan, no AWS account needed`,
    `  npm run plan:summary       what a reviewer reads: IAM, security groups, suppressions, cost`,
    `  ${`npm run apply -- ${stack}`.padEnd(26)} plan, confirm and apply (AWS credentials, terraform >= 1.10)`,
  ].join('\n');
}

/** The whole report: every stack, then the next step. */
export function synthSummary(reports: readonly StackReport[], outdir: string, seconds: number): string {
  return [
    `Synthesized ${plural(reports.length, 'stack')} into ${outdir} in ${seconds.toFixed(1)} s`,
    ...reports.map(stackSummary),
    ...(reports.length ? [nextSteps(reports[0].name)] : []),
  ].join('\n\n');
}

/** Reads what `app.synth()` wrote: each stack's configuration, asset sizes and annotations. */
export function collectReports(app: App, projectRoot: string): StackReport[] {
  const outdir = path.resolve(projectRoot, app.outdir);
  return Object.entries(app.manifest.stacks).map(([name, stack]) => {
    const file = path.join(outdir, stack.synthesizedStackPath);
    const assetsDir = path.join(outdir, stack.workingDirectory, 'assets');
    const assets = fs.existsSync(assetsDir)
      ? fs
          .readdirSync(assetsDir)
          .sort()
          .map((asset) => ({ name: asset, bytes: folderBytes(path.join(assetsDir, asset)) }))
      : [];
    const annotated = (level: string) =>
      stack.annotations.filter((a) => a.level === level).map((a) => `${a.constructPath}: ${a.message}`);
    return {
      name,
      file: shown(projectRoot, file),
      config: JSON.parse(fs.readFileSync(file, 'utf8')) as StackReport['config'],
      assets,
      warnings: annotated('@cdktf/warn'),
      notes: annotated('@cdktf/info'),
    };
  });
}

/** A path as the user reads it: relative inside the project, absolute outside. */
export function shown(projectRoot: string, file: string): string {
  const rel = path.relative(projectRoot, file);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

function folderBytes(dir: string): number {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .reduce(
      (n, e) => n + (e.isDirectory() ? folderBytes(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size),
      0,
    );
}
