/**
 * What we run terraform on, and how to build it first:
 * - every synthesized stack of the reference app (`npm run synth` -> cdktf.out/stacks/<name>/) and of
 *   the example app examples/traced-api;
 * - every published module (`npm run build:modules` -> dist/terraform-modules/<name>/), through its
 *   examples/<example>/ root module (`terraform validate` of a root checks every module it calls);
 * - examples/terraform-full-architecture, which composes the built modules in plain HCL.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PrepareOptions } from './runner';

export const ROOT = path.resolve(__dirname, '..');

export interface Unit extends PrepareOptions {
  /** Root variables an offline plan passes (-var), relative paths resolved against the root module. */
  readonly planVars?: Readonly<Record<string, string>>;
}

/** Every stack in a cdktf output folder's manifest, as a unit named `stack <name>` (or `<prefix> <name>`). */
export function stackUnits(outdir: string, prefix = 'stack'): Unit[] {
  const manifestFile = path.join(outdir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
    stacks: Record<string, { workingDirectory: string }>;
  };
  return Object.entries(manifest.stacks).map(([name, stack]) => ({
    name: `${prefix} ${name}`,
    base: outdir,
    module: stack.workingDirectory,
  }));
}

/** Every published module's examples (each a root module calling `../..`). */
export function moduleExampleUnits(root = ROOT): Unit[] {
  const dist = path.join(root, 'dist', 'terraform-modules');
  if (!fs.existsSync(dist)) throw new Error('no dist/terraform-modules; run npm run build:modules first');
  const units: Unit[] = [];
  for (const name of fs.readdirSync(dist).sort()) {
    const examples = path.join(dist, name, 'examples');
    if (!fs.existsSync(examples)) throw new Error(`${path.relative(root, dist)}/${name} has no examples/`);
    for (const example of fs.readdirSync(examples).sort())
      units.push({
        name: `module ${name} (examples/${example})`,
        base: root,
        module: `dist/terraform-modules/${name}/examples/${example}`,
        include: [`dist/terraform-modules/${name}`],
      });
  }
  return units;
}

/** The function zips `npm run synth` built for a stack: { chatbot_code: <path>, ... } relative to `root`. */
export function stackZips(root: string, stack: string): Record<string, string> {
  const assets = path.join(root, 'cdktf.out', 'stacks', stack, 'assets');
  const zips: Record<string, string> = {};
  for (const asset of fs.existsSync(assets) ? fs.readdirSync(assets) : []) {
    for (const hash of fs.readdirSync(path.join(assets, asset))) {
      const zip = path.join(assets, asset, hash, 'function.zip');
      if (fs.existsSync(zip)) zips[asset] = path.relative(root, zip);
    }
  }
  return zips;
}

/** The name `npm run plan:offline` knows the full-architecture example by. */
export const FULL_ARCHITECTURE = 'full-architecture';

/**
 * examples/terraform-full-architecture with the built modules and, for a plan, the dev stack's
 * function zips and a stand-in Bedrock agent.
 */
export function fullArchitectureUnit(root = ROOT): Unit {
  const module = 'examples/terraform-full-architecture';
  if (!fs.existsSync(path.join(root, 'dist', 'terraform-modules')))
    throw new Error(`${FULL_ARCHITECTURE}: no dist/terraform-modules; run npm run build:modules first`);
  const zips = stackZips(root, 'dev');
  const fromModule = (p: string) => path.relative(path.join(root, module), path.join(root, p));
  return {
    name: FULL_ARCHITECTURE,
    base: root,
    module,
    include: [
      ...fs
        .readdirSync(path.join(root, 'dist', 'terraform-modules'))
        .sort()
        .map((name) => `dist/terraform-modules/${name}/main.tf.json`),
      ...Object.values(zips),
    ],
    planVars:
      zips.chatbot_code && zips.consumer_code
        ? {
            chatbot_zip: fromModule(zips.chatbot_code),
            consumer_zip: fromModule(zips.consumer_code),
            bedrock_agent_id: 'AGENTSTAND',
            bedrock_agent_alias_id: 'ALIASSTAND',
          }
        : undefined,
  };
}

function npmRun(script: string, cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const child = spawn(npm, ['run', '-s', script], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm run ${script} failed (exit ${code}):\n${stderr}`)),
    );
  });
}

/** Where examples/traced-api synthesizes to (its main.ts's default). */
export const EXAMPLE_OUTDIR = 'cdktf.out.example';

function synthExample(): Promise<void> {
  const outdir = path.join(ROOT, EXAMPLE_OUTDIR);
  fs.rmSync(outdir, { recursive: true, force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/traced-api/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`synthesizing examples/traced-api failed (exit ${code}):\n${stderr}`)),
    );
  });
}

/**
 * Builds what the units read: `npm run synth` (cdktf.out), `npm run build:modules`
 * (dist/terraform-modules), and examples/traced-api (cdktf.out.example); with `onlyMissing`, only
 * those not there yet (--no-build: validate exactly what was built).
 */
export async function buildAll(options: { onlyMissing?: boolean } = {}): Promise<void> {
  const missing = (rel: string) => !options.onlyMissing || !fs.existsSync(path.join(ROOT, rel));
  await Promise.all([
    missing('cdktf.out/manifest.json') ? npmRun('synth', ROOT) : undefined,
    missing('dist/terraform-modules') ? npmRun('build:modules', ROOT) : undefined,
    missing(`${EXAMPLE_OUTDIR}/manifest.json`) ? synthExample() : undefined,
  ]);
}

/** Our own HCL files for `terraform fmt -check`: every .tf outside node_modules, build output and dot folders. */
export function ownHclFiles(root = ROOT): string[] {
  const skip = new Set(['node_modules', 'cdktf.out', 'cdktf.out.example', 'lib', 'coverage', 'plans']);
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || skip.has(entry.name)) continue;
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.tf') || entry.name.endsWith('.tfvars')) out.push(path.relative(root, file));
    }
  };
  walk(root);
  return out.sort();
}

function sourceFiles(dir: string, base: string, out: Map<string, string>): void {
  if (!fs.existsSync(dir)) return;
  if (fs.statSync(dir).isFile()) {
    out.set(path.relative(base, dir).split(path.sep).join('/'), dir);
    return;
  }
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.')) sourceFiles(file, base, out);
    } else if (/\.tf(\.json)?$/.test(entry.name) || entry.name.endsWith('.zip')) {
      out.set(path.relative(base, file).split(path.sep).join('/'), file);
    }
  }
}

/** sha256 over a unit's configuration (every .tf, .tf.json and .zip it copies): a saved plan of other bytes is stale. */
export function sourceDigest(unit: PrepareOptions): string {
  const files = new Map<string, string>();
  for (const rel of [unit.module, ...(unit.include ?? [])]) sourceFiles(path.resolve(unit.base, rel), unit.base, files);
  const hash = createHash('sha256');
  for (const name of [...files.keys()].sort()) {
    hash.update(`${name}\0`);
    hash.update(fs.readFileSync(files.get(name) as string));
    hash.update('\0');
  }
  return hash.digest('hex');
}
