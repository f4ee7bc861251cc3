/**
 * The review loop without the cdktf CLI (which costs ~6 s of CPU on every `cdktf diff|deploy`):
 *
 *   npm run plan -- <stack> [--skip-synth]
 *   npm run apply -- <stack> [--skip-synth] [--auto-approve]
 *
 * Both synthesize the app (`node scripts/app.cjs`, the app cdktf.json names) and then run the
 * terraform on PATH (or $TERRAFORM) directly in the stack's folder, `<outdir>/stacks/<stack>`, as
 * `cdktf diff|deploy` do: `terraform init` only when the folder was never initialized or its
 * providers, modules or backend changed; `terraform plan -out=tfplan`; and for apply, the plan shown
 * first, applied only after you type `yes` (or with --auto-approve), and exactly that saved plan.
 * Your own terraform configuration (credentials, ~/.terraformrc, TF_* variables) is used as is.
 * The command line is review-cli.ts.
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type ReviewCommand = 'plan' | 'apply';

export interface ReviewOptions {
  readonly command: ReviewCommand;
  readonly stack: string;
  /** Use the stack folder as it is (cdktf's --skip-synth). */
  readonly skipSynth: boolean;
  /** Apply without asking (cdktf's --auto-approve). */
  readonly autoApprove: boolean;
}

/** A mistake in how the script was called, or a state it cannot work from: printed without a stack trace. */
export class ReviewError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'ReviewError';
  }
}

const USAGE =
  'usage: npm run plan -- <stack> [--skip-synth] | npm run apply -- <stack> [--skip-synth] [--auto-approve]';

/** `plan|apply <stack> [flags]`, as package.json passes them. */
export function parseArgs(argv: readonly string[]): ReviewOptions {
  const [command, ...rest] = argv;
  if (command !== 'plan' && command !== 'apply') throw new ReviewError(USAGE, 2);
  const flags = rest.filter((a) => a.startsWith('-'));
  const stacks = rest.filter((a) => !a.startsWith('-'));
  const allowed = command === 'apply' ? ['--skip-synth', '--auto-approve'] : ['--skip-synth'];
  const unknown = flags.filter((f) => !allowed.includes(f));
  if (unknown.length > 0) throw new ReviewError(`unknown option ${unknown.join(', ')}\n${USAGE}`, 2);
  if (stacks.length !== 1) throw new ReviewError(`name exactly one stack\n${USAGE}`, 2);
  return {
    command,
    stack: stacks[0],
    skipSynth: flags.includes('--skip-synth'),
    autoApprove: flags.includes('--auto-approve'),
  };
}

/** Where `terraform init` records what it initialized the folder for (inside terraform's own `.terraform/`). */
const INIT_RECORD = path.join('.terraform', 'cdktf-traced-init.sha256');

/**
 * What `terraform init` depends on in a synthesized stack: the `terraform` block (required
 * providers, backend, cloud) and every module's source and version.
 */
export function initFingerprint(config: {
  terraform?: unknown;
  module?: Record<string, Record<string, unknown>>;
  [block: string]: unknown;
}): string {
  const modules = Object.entries(config.module ?? {})
    .map(([name, m]) => [name, m.source, m.version])
    .sort();
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([config.terraform ?? null, modules]))
    .digest('hex');
}

/** True when the stack folder needs `terraform init`: never initialized, or initialized for other providers/modules/backend. */
export function needsInit(stackDir: string, fingerprint: string): boolean {
  try {
    return fs.readFileSync(path.join(stackDir, INIT_RECORD), 'utf8') !== fingerprint;
  } catch {
    return true;
  }
}

/** The terraform binary: $TERRAFORM, else `terraform` on PATH. */
function terraformBinary(env: NodeJS.ProcessEnv): string {
  if (env.TERRAFORM) return env.TERRAFORM;
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, 'terraform');
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  throw new ReviewError('no terraform binary on PATH: install terraform >= 1.10, or set TERRAFORM=<path>');
}

/** The folder holding cdktf.json: the working folder or a parent. */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'cdktf.json'))) return dir;
    if (path.dirname(dir) === dir) throw new ReviewError(`no cdktf.json in ${from} or above: run this in the project`);
  }
}

/** Reads one line from standard input (a terminal or a pipe); undefined at end of input. */
function readLine(): string | undefined {
  const buf = Buffer.alloc(1);
  let line = '';
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buf, 0, 1, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      return line || undefined;
    }
    if (n === 0) return line || undefined;
    const c = buf.toString('utf8');
    if (c === '\n') return line;
    line += c;
  }
}

export function review(options: ReviewOptions, env: NodeJS.ProcessEnv = process.env): number {
  const root = projectRoot(process.cwd());
  const outdir = path.resolve(root, env.CDKTF_OUTDIR ?? 'cdktf.out');
  const run = (bin: string, args: string[], cwd: string) => {
    const r = spawnSync(bin, args, { cwd, env, stdio: 'inherit' });
    if (r.error) throw new ReviewError(`${path.basename(bin)} ${args[0]}: ${r.error.message}`);
    return r.status ?? 1;
  };

  if (!options.skipSynth) {
    const status = run(process.execPath, [path.join(root, 'scripts', 'app.cjs')], root);
    if (status !== 0) return status;
  }
  let manifest: { stacks: Record<string, { synthesizedStackPath: string; workingDirectory: string }> };
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  } catch {
    throw new ReviewError(`no synthesized app in ${path.relative(root, outdir) || '.'}: run without --skip-synth`);
  }
  const stack = manifest.stacks[options.stack];
  if (!stack) {
    const names = Object.keys(manifest.stacks).sort().join(', ');
    throw new ReviewError(`no stack "${options.stack}" in the app (stacks: ${names})`, 2);
  }
  const stackDir = path.join(outdir, stack.workingDirectory);
  const shown = path.relative(root, stackDir);
  const terraform = terraformBinary(env);

  const fingerprint = initFingerprint(
    JSON.parse(fs.readFileSync(path.join(outdir, stack.synthesizedStackPath), 'utf8')),
  );
  if (needsInit(stackDir, fingerprint)) {
    process.stderr.write(`terraform init in ${shown}\n`);
    const status = run(terraform, ['init', '-input=false'], stackDir);
    if (status !== 0) return status;
    fs.writeFileSync(path.join(stackDir, INIT_RECORD), fingerprint);
  }

  // -detailed-exitcode: 0 no changes, 1 error, 2 changes.
  const planned = run(terraform, ['plan', '-input=false', '-detailed-exitcode', '-out=tfplan'], stackDir);
  if (planned === 1 || planned > 2) return planned;
  if (options.command === 'plan') {
    process.stderr.write(
      `Plan saved to ${path.join(shown, 'tfplan')}; npm run apply -- ${options.stack} plans afresh and asks before applying.\n`,
    );
    return 0;
  }
  if (planned === 0) {
    process.stderr.write(`No changes: nothing to apply to ${options.stack}.\n`);
    return 0;
  }
  if (!options.autoApprove) {
    process.stderr.write(
      `\nApply this plan to stack "${options.stack}"? Only 'yes' will be accepted.\n  Enter a value: `,
    );
    if (readLine()?.trim() !== 'yes') {
      process.stderr.write('Apply cancelled.\n');
      return 1;
    }
  }
  return run(terraform, ['apply', '-input=false', 'tfplan'], stackDir);
}
