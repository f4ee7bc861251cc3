/**
 * Runs the real terraform binary on our configurations, in scratch copies, never in the user's
 * folders and never with the user's CLI configuration. See terraform/README.md for the API.
 *
 * - `openToolchain()` finds terraform (TERRAFORM, else PATH) and an AWS provider filesystem mirror
 *   (TF_PROVIDER_MIRROR, else the usual places), and writes a CLI config file of its own in a scratch
 *   folder: with a mirror, aws comes from it and nothing from the network; without one (a GitHub
 *   runner), terraform downloads providers into a plugin cache under node_modules/.cache.
 * - `prepare()` copies a root module and whatever it references into the scratch folder, keeping their
 *   relative paths, and applies the provider shim (terraform/shim.ts) only where the mirror's provider
 *   is older than the configuration asks for.
 * - `init()`, `validate()`, `planOffline()`, `showJson()` run terraform there, each time-boxed; a
 *   timeout kills terraform's whole process group (its provider plugins too).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ANSWERED, startStandIn, type AwsCall } from './aws-stand-in';
import { awsConstraint, parseVersion, shimFile, shimNeeded, type ShimChange } from './shim';

export interface Terraform {
  /** The binary's path. */
  readonly bin: string;
  /** e.g. `1.11.4` */
  readonly version: string;
}

export interface ProviderMirror {
  /** The folder holding `registry.terraform.io/`. */
  readonly dir: string;
  /** The newest hashicorp/aws version in it, e.g. `5.100.0`. */
  readonly aws: string;
}

export interface Toolchain {
  readonly terraform: Terraform;
  /** The provider mirror in use; undefined where terraform downloads providers (a GitHub runner). */
  readonly mirror: ProviderMirror | undefined;
  /** The scratch folder: the CLI config and every prepared workspace live here. */
  readonly scratch: string;
  /** The CLI config file this toolchain wrote (TF_CLI_CONFIG_FILE of every run). */
  readonly cliConfig: string;
  /** The environment every terraform run gets. */
  readonly env: NodeJS.ProcessEnv;
  /** Removes the scratch folder. */
  dispose(): void;
}

export class TerraformError extends Error {
  constructor(
    message: string,
    /** terraform's combined output. */
    readonly output: string,
  ) {
    super(message);
    this.name = 'TerraformError';
  }
}

const root = path.resolve(__dirname, '..');

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The terraform binary: $TERRAFORM, else the first `terraform` on PATH; undefined when there is none. */
export function findTerraformBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TERRAFORM) return isExecutable(env.TERRAFORM) ? path.resolve(env.TERRAFORM) : undefined;
  const name = process.platform === 'win32' ? 'terraform.exe' : 'terraform';
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

function newestVersion(names: string[]): string | undefined {
  const versions = names.filter((n) => /^\d+\.\d+\.\d+$/.test(n));
  const key = (v: string) => parseVersion(v);
  return versions.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  })[versions.length - 1];
}

/** The newest hashicorp/aws in a mirror folder (unpacked `aws/<v>/<os_arch>/` or packed `aws/terraform-provider-aws_<v>_<os_arch>.zip`). */
export function mirrorAwsVersion(dir: string): string | undefined {
  const platform = `${process.platform === 'win32' ? 'windows' : process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
  const awsDir = path.join(dir, 'registry.terraform.io', 'hashicorp', 'aws');
  let entries: string[];
  try {
    entries = fs.readdirSync(awsDir);
  } catch {
    return undefined;
  }
  const unpacked = entries.filter((v) => fs.existsSync(path.join(awsDir, v, platform)));
  const packed = entries
    .map((f) => new RegExp(`^terraform-provider-aws_(\\d+\\.\\d+\\.\\d+)_${platform}\\.zip$`).exec(f)?.[1])
    .filter((v): v is string => v !== undefined);
  return newestVersion([...unpacked, ...packed]);
}

/**
 * The AWS provider mirror: $TF_PROVIDER_MIRROR (a folder holding registry.terraform.io/; `off` for
 * none), else the first of terraform's implied local mirror folders or /opt/<name>/ that holds
 * hashicorp/aws.
 */
export function findMirror(env: NodeJS.ProcessEnv = process.env): ProviderMirror | undefined {
  const explicit = env.TF_PROVIDER_MIRROR;
  if (explicit === 'off') return undefined;
  const home = os.homedir();
  const candidates = explicit
    ? [explicit]
    : [
        path.join(home, '.terraform.d', 'plugins'),
        path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'terraform', 'plugins'),
        '/usr/local/share/terraform/plugins',
        '/usr/share/terraform/plugins',
        ...(fs.existsSync('/opt') ? fs.readdirSync('/opt').map((n) => path.join('/opt', n)) : []),
      ];
  for (const dir of candidates) {
    const aws = mirrorAwsVersion(dir);
    if (aws !== undefined) return { dir: path.resolve(dir), aws };
  }
  if (explicit) throw new Error(`TF_PROVIDER_MIRROR=${explicit} holds no registry.terraform.io/hashicorp/aws`);
  return undefined;
}

/** Why terraform cannot run here, or undefined when it can. */
export function terraformAbsence(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (findTerraformBinary(env) !== undefined) return undefined;
  return env.TERRAFORM
    ? `TERRAFORM=${env.TERRAFORM} is not an executable file`
    : 'no terraform binary on PATH (install terraform >= 1.9, or set TERRAFORM=<path>)';
}

/** The CLI config: providers from the mirror when there is one, else downloads cached under `cacheDir`. */
export function cliConfigText(mirror: ProviderMirror | undefined, cacheDir: string): string {
  const q = (s: string) => JSON.stringify(s);
  if (mirror === undefined)
    return [
      '# Written by terraform/runner.ts for this run only.',
      `plugin_cache_dir = ${q(cacheDir)}`,
      // Our lock files live in scratch copies and are thrown away, so the cache may not record every
      // platform's hash in them.
      'plugin_cache_may_break_dependency_lock_file = true',
      '',
    ].join('\n');
  return [
    '# Written by terraform/runner.ts for this run only: hashicorp/aws from the local mirror, no network for it.',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${q(mirror.dir)}`,
    '    include = ["registry.terraform.io/hashicorp/aws"]',
    '  }',
    '  direct {',
    '    exclude = ["registry.terraform.io/hashicorp/aws"]',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** The environment of every terraform run: ours, minus the caller's TF_* settings that would change results. */
export function terraformEnv(base: NodeJS.ProcessEnv, cliConfig: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (/^TF_(CLI_|DATA_DIR|WORKSPACE|VAR_|PLUGIN_CACHE|INPUT|IN_AUTOMATION)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
}

export interface ToolchainOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Where the scratch folder is made. @default os.tmpdir() */
  readonly scratchParent?: string;
}

/** Finds terraform and the mirror and writes the CLI config; throws when terraform is absent (see terraformAbsence). */
export async function openToolchain(options: ToolchainOptions = {}): Promise<Toolchain> {
  const env = options.env ?? process.env;
  const bin = findTerraformBinary(env);
  if (bin === undefined) throw new Error(`terraform: ${terraformAbsence(env)}`);
  const { stdout } = await run(bin, ['version', '-json'], { cwd: root, env: { ...env, CHECKPOINT_DISABLE: '1' } });
  const version = (JSON.parse(stdout) as { terraform_version: string }).terraform_version;
  const mirror = findMirror(env);
  const scratch = fs.mkdtempSync(path.join(options.scratchParent ?? os.tmpdir(), 'traced-tf-'));
  const cacheDir = path.join(root, 'node_modules', '.cache', 'terraform-plugins');
  if (mirror === undefined) fs.mkdirSync(cacheDir, { recursive: true });
  const cliConfig = path.join(scratch, 'terraform.tfrc');
  fs.writeFileSync(cliConfig, cliConfigText(mirror, cacheDir));
  return {
    terraform: { bin, version },
    mirror,
    scratch,
    cliConfig,
    env: terraformEnv(env, cliConfig),
    dispose: () => fs.rmSync(scratch, { recursive: true, force: true }),
  };
}

export interface RunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Kill the process group after this long. @default 300000 */
  readonly timeoutMs?: number;
  /** Also write the output here as it comes. */
  readonly echo?: NodeJS.WritableStream;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

// The process groups of running commands: an interrupted or exiting parent takes them with it
// (each runs in its own group, so a terminal's Ctrl-C does not reach terraform's plugins by itself).
const live = new Set<number>();
let watching = false;

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
  } catch {
    // already gone
  }
}

function watchSignals(): void {
  if (watching) return;
  watching = true;
  process.on('exit', () => live.forEach((pid) => killGroup(pid, 'SIGKILL')));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.once(signal, () => {
      live.forEach((pid) => killGroup(pid, 'SIGTERM'));
      process.exit(128 + (os.constants.signals[signal] ?? 1));
    });
}

/** Runs a command in its own process group; rejects with TerraformError on a non-zero exit or timeout. */
export function run(bin: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      options.echo?.write(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      options.echo?.write(d);
    });
    const kill = (signal: NodeJS.Signals) => killGroup(child.pid, signal);
    if (child.pid !== undefined) live.add(child.pid);
    watchSignals();
    const timer = setTimeout(() => {
      timedOut = true;
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), 5000).unref();
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      if (child.pid !== undefined) live.delete(child.pid);
    };
    child.on('error', (error) => {
      done();
      reject(error);
    });
    child.on('close', (code, signal) => {
      done();
      const what = `${path.basename(bin)} ${args.join(' ')} (in ${options.cwd})`;
      if (timedOut) reject(new TerraformError(`${what} did not finish within ${timeoutMs / 1000} s`, stdout + stderr));
      else if (code !== 0) reject(new TerraformError(`${what} failed (${signal ?? `exit ${code}`})`, stdout + stderr));
      else resolve({ code: 0, stdout, stderr });
    });
  });
}

export interface Workspace {
  /** A short name for messages, e.g. `stack dev`. */
  readonly name: string;
  /** The root module's folder inside the scratch copy. */
  readonly dir: string;
  /** The scratch copy (remove it when done). */
  readonly root: string;
  /** What the provider shim changed in the copy (empty when it did not run). */
  readonly shim: readonly ShimChange[];
}

export interface PrepareOptions {
  /** A short name for messages. */
  readonly name: string;
  /** The folder the paths below are relative to. */
  readonly base: string;
  /** The root module, relative to `base`. */
  readonly module: string;
  /** Folders the root module references (local module sources, files), relative to `base`. @default [] */
  readonly include?: readonly string[];
}

function tfFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tfFiles(file));
    else if (/\.tf(\.json)?$/.test(entry.name)) out.push(file);
  }
  return out;
}

const LEFTOVERS = new Set(['.terraform', '.terraform.lock.hcl', 'terraform.tfstate', 'terraform.tfstate.backup']);

/**
 * Copies a root module (and what it references) into a fresh folder under the toolchain's scratch,
 * keeping relative paths, and runs the provider shim on the copy when the mirror needs it.
 */
export function prepare(tc: Toolchain, options: PrepareOptions): Workspace {
  const copyRoot = fs.mkdtempSync(path.join(tc.scratch, `${options.name.replace(/[^\w.-]+/g, '-')}-`));
  for (const rel of [options.module, ...(options.include ?? [])]) {
    const from = path.resolve(options.base, rel);
    if (!fs.existsSync(from)) throw new Error(`${options.name}: ${from} does not exist`);
    fs.mkdirSync(path.dirname(path.join(copyRoot, rel)), { recursive: true });
    fs.cpSync(from, path.join(copyRoot, rel), {
      recursive: true,
      filter: (src) => !LEFTOVERS.has(path.basename(src)) && !/\.tfstate(\.|$)/.test(path.basename(src)),
    });
  }
  const files = tfFiles(copyRoot);
  const shim: ShimChange[] = [];
  const mirror = tc.mirror;
  if (mirror !== undefined) {
    const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
    const constraints = [...texts].flatMap(([f, t]) => awsConstraint(path.relative(copyRoot, f), t) ?? []);
    if (shimNeeded(mirror.aws, constraints)) {
      for (const [file, text] of texts) {
        const result = shimFile(path.relative(copyRoot, file), text, mirror.aws);
        if (result.changes.length > 0) fs.writeFileSync(file, result.text);
        shim.push(...result.changes);
      }
    }
  }
  return { name: options.name, dir: path.join(copyRoot, options.module), root: copyRoot, shim };
}

export interface StepOptions {
  /** @default 300000 */
  readonly timeoutMs?: number;
  readonly echo?: NodeJS.WritableStream;
}

/** `terraform init`; without a backend unless `backend` is true. */
export function init(
  tc: Toolchain,
  ws: Workspace,
  options: StepOptions & { backend?: boolean } = {},
): Promise<RunResult> {
  return run(tc.terraform.bin, ['init', '-input=false', '-no-color', ...(options.backend ? [] : ['-backend=false'])], {
    cwd: ws.dir,
    env: tc.env,
    ...options,
  });
}

/** `terraform validate`; rejects with terraform's diagnostics when the configuration is invalid. */
export function validate(tc: Toolchain, ws: Workspace, options: StepOptions = {}): Promise<RunResult> {
  return run(tc.terraform.bin, ['validate', '-no-color'], { cwd: ws.dir, env: tc.env, ...options });
}

/** `terraform fmt -check -diff` on the given files or folders (our own HCL, never node_modules). */
export function fmtCheck(tc: Toolchain, cwd: string, targets: readonly string[], options: StepOptions = {}) {
  return run(tc.terraform.bin, ['fmt', '-check', '-diff', '-no-color', ...targets], { cwd, env: tc.env, ...options });
}

/** `terraform show -json <plan>`: the machine-readable plan. */
export async function showJson(tc: Toolchain, ws: Workspace, planFile: string, options: StepOptions = {}) {
  const { stdout } = await run(tc.terraform.bin, ['show', '-json', planFile], {
    cwd: ws.dir,
    env: tc.env,
    ...options,
  });
  return stdout;
}

/** `terraform show <plan>`: the plan as a reviewer reads it. */
export async function showText(tc: Toolchain, ws: Workspace, planFile: string, options: StepOptions = {}) {
  const { stdout } = await run(tc.terraform.bin, ['show', '-no-color', planFile], {
    cwd: ws.dir,
    env: tc.env,
    ...options,
  });
  return stdout;
}

/** The name of the override file planOffline writes into the workspace. */
export const OFFLINE_OVERRIDE = 'offline_plan_override.tf.json';

/**
 * The override that points a root module at the stand-in: a local state in the workspace (whatever
 * backend it declares: an offline plan starts from nothing), static dummy credentials, no metadata
 * service, and sts/ec2/ssm endpoints on the loopback stand-in.
 */
export function offlineOverride(url: string): Record<string, unknown> {
  return {
    terraform: { backend: { local: { path: 'offline.tfstate' } } },
    provider: {
      aws: {
        access_key: 'offline-plan',
        secret_key: 'offline-plan',
        skip_credentials_validation: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
        endpoints: [{ sts: url, ec2: url, ssm: url }],
      },
    },
  };
}

/** The environment of an offline plan: no AWS_* settings of the caller, no proxy for the loopback. */
export function offlineEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith('AWS_')) out[k] = v;
  const noProxy = ['127.0.0.1', 'localhost', env.NO_PROXY ?? env.no_proxy].filter(Boolean).join(',');
  return { ...out, NO_PROXY: noProxy, no_proxy: noProxy, AWS_EC2_METADATA_DISABLED: 'true' };
}

async function providerAliases(dir: string): Promise<string[]> {
  const aliases: string[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => /\.tf(\.json)?$/.test(f))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    let json: { provider?: Record<string, unknown> };
    if (file.endsWith('.json')) json = JSON.parse(text) as typeof json;
    else {
      const { parse } = await import('@cdktf/hcl2json');
      json = (await parse(file, text)) as typeof json;
    }
    const aws = json.provider?.aws;
    for (const block of Array.isArray(aws) ? aws : aws ? [aws] : []) {
      const alias = (block as { alias?: string }).alias;
      if (alias !== undefined) aliases.push(alias);
    }
  }
  return aliases;
}

export interface OfflinePlanOptions extends StepOptions {
  /** Root variables, passed as -var. @default {} */
  readonly vars?: Readonly<Record<string, string>>;
  /** The stand-in closes itself after this long. @default timeoutMs + 60 s */
  readonly standInLifetimeMs?: number;
  /**
   * Read the resources of a state put in the workspace (`offline.tfstate`) from AWS first. False plans
   * against that state as it is (`-refresh=false`): the stand-in answers no resource reads.
   * @default true
   */
  readonly refresh?: boolean;
}

export interface OfflinePlan {
  /** The saved plan, inside the workspace. */
  readonly planFile: string;
  /** `terraform show -json` of it. */
  readonly json: string;
  /** `terraform show` of it. */
  readonly text: string;
  /** The AWS calls the plan made, all answered by the stand-in. */
  readonly calls: readonly AwsCall[];
}

/**
 * A real `terraform plan` with no AWS account: init (local state), plan against the loopback
 * stand-in, save the plan, read it back as JSON and text. The stand-in starts and stops here; any
 * call it does not answer fails the plan with the call's name.
 */
export async function planOffline(
  tc: Toolchain,
  ws: Workspace,
  options: OfflinePlanOptions = {},
): Promise<OfflinePlan> {
  const aliases = await providerAliases(ws.dir);
  if (aliases.length > 0)
    throw new Error(
      `${ws.name}: aliased aws providers (${aliases.join(', ')}) would not reach the offline stand-in; an offline plan overrides only the default aws provider`,
    );
  const timeoutMs = options.timeoutMs ?? 300_000;
  const standIn = await startStandIn({ lifetimeMs: options.standInLifetimeMs ?? timeoutMs + 60_000 });
  const env = offlineEnv(tc.env);
  const step = { ...options, timeoutMs };
  try {
    fs.writeFileSync(path.join(ws.dir, OFFLINE_OVERRIDE), `${JSON.stringify(offlineOverride(standIn.url), null, 2)}\n`);
    await run(tc.terraform.bin, ['init', '-input=false', '-no-color', '-reconfigure'], { cwd: ws.dir, env, ...step });
    const vars = Object.entries(options.vars ?? {}).map(([k, v]) => `-var=${k}=${v}`);
    const planFile = path.join(ws.dir, 'offline.tfplan');
    let planned: RunResult;
    try {
      planned = await run(
        tc.terraform.bin,
        [
          'plan',
          '-input=false',
          '-no-color',
          '-lock=false',
          ...(options.refresh === false ? ['-refresh=false'] : []),
          `-out=${planFile}`,
          ...vars,
        ],
        { cwd: ws.dir, env, ...step },
      );
    } catch (error) {
      if (standIn.unanswered.length > 0) {
        const names = [...new Set(standIn.unanswered.map((c) => `${c.service}:${c.action}`))];
        throw new TerraformError(
          `${ws.name}: the plan called AWS APIs the offline stand-in does not answer: ${names.join(', ')} (it answers ${ANSWERED.join(', ')})`,
          error instanceof TerraformError ? error.output : String(error),
        );
      }
      throw error;
    }
    if (standIn.unanswered.length > 0)
      throw new Error(
        `${ws.name}: the plan called ${standIn.unanswered.map((c) => `${c.service}:${c.action}`).join(', ')}, which the stand-in refused`,
      );
    const json = await showJson(tc, ws, planFile, step);
    // The plan's own output after its data-source reads is what `terraform show <plan>` prints
    // (one provider start, ~2 s, saved); show it only when that part is not recognisable.
    const start = planned.stdout.search(/^(Terraform used the selected providers|No changes\.)/m);
    const text = start >= 0 ? planned.stdout.slice(start) : await showText(tc, ws, planFile, step);
    return { planFile, json, text, calls: [...standIn.calls] };
  } finally {
    await standIn.close();
  }
}

/** Runs `fn` over `items`, at most `limit` at a time, results in input order. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
