/**
 * npm run test:consumer — the library as another team gets it, proved with the real tools:
 *
 * 1. `npm pack --dry-run --json` (prepack builds lib/): the file list must be exactly lib/, the
 *    READMEs and the licence; dependencies exactly what lib/ requires; peers caret ranges.
 * 2. `npm pack` into a temp folder; the tarball holds exactly the files the dry run listed.
 * 3. For the newest versions the peer ranges allow and for the lowest: a fresh cdktf project from
 *    `consumer/template/` (its own package.json, caret ranges; exact lowest versions for the second
 *    run), `npm install --prefer-offline` (the npm cache first, the registry only for what it lacks),
 *    one copy of each peer in the tree, `tsc` (the cdktf template's tsconfig; the lowest run also
 *    with node16 resolution, which reads the exports map), `cdktf synth`, then checks of the
 *    synthesized stack and our policy rules, run from the installed package; the package's bin,
 *    `npx cdktf-traced check-plan`, on a seeded plan.
 * 4. The temp folder is removed (`--keep` keeps it and prints where).
 *
 *   node --import tsx consumer/run.ts [--only newest|lowest] [--keep]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  expectedFiles,
  fileProblems,
  lowestOf,
  manifestProblems,
  requiredPackages,
  satisfiesCaret,
  sourceMapProblems,
  type PackageJson,
} from './package-contents';

const root = path.resolve(__dirname, '..');
const template = path.join(__dirname, 'template');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const PEERS = ['cdktf', 'constructs', '@cdktf/provider-aws'] as const;

/** The environment for child tools: no npm_package_* / lifecycle variables from our own `npm run`. */
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_(package_|lifecycle_|config_local_prefix$)/.test(k)),
  ),
  CHECKPOINT_DISABLE: '1',
  CI: '1',
};

class ConsumerTestFailure extends Error {}

function fail(what: string, problems: string[]): never {
  throw new ConsumerTestFailure(`${what}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/** Runs a command; its output is shown only when it fails. */
function run(cmd: string, argv: string[], cwd: string): string {
  const r = spawnSync(cmd, argv, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trim();
    fail(`\`${[cmd, ...argv].join(' ')}\` in ${cwd} failed (exit ${r.status ?? r.signal})`, [output]);
  }
  return r.stdout;
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

function timed<T>(label: string, fn: () => T): T {
  const start = performance.now();
  const result = fn();
  process.stdout.write(`  ${label} (${((performance.now() - start) / 1000).toFixed(1)} s)\n`);
  return result;
}

/** `npm pack --json` output: one entry with the file list. */
function packJson(stdout: string): { filename: string; files: { path: string }[] } {
  return (JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[])[0];
}

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Checks the dry run's file list and package.json against lib/ as built; returns the file list. */
function checkPackage(): string[] {
  const dry = packJson(run('npm', ['pack', '--dry-run', '--json'], root));
  const packed = dry.files.map((f) => f.path).sort();
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
  const sources = walk(path.join(root, 'modules'))
    .map(rel)
    .filter((f) => (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.endsWith('.js'));
  const readmes = walk(path.join(root, 'modules'))
    .map(rel)
    .filter((f) => /^modules\/[^/]+\/README\.md$/.test(f));
  const libJs = packed.filter((f) => f.startsWith('lib/') && f.endsWith('.js'));
  const direct = [...new Set(libJs.flatMap((f) => requiredPackages(fs.readFileSync(path.join(root, f), 'utf8'))))];
  // A package lib/ requires may require its peers (ajv-draft-04 requires ajv): we must install those too.
  const peersOf = (name: string) =>
    Object.keys(readJson<PackageJson>(path.join(root, 'node_modules', name, 'package.json')).peerDependencies ?? {});
  const requires = [...new Set([...direct, ...direct.flatMap(peersOf)])].sort();
  const pkg = readJson<PackageJson>(path.join(root, 'package.json'));
  const problems = [
    ...fileProblems(packed, expectedFiles(sources, readmes)),
    ...manifestProblems(pkg, requires, packed),
    ...libJs.flatMap((f) => sourceMapProblems(f, fs.readFileSync(path.join(root, f), 'utf8'))),
  ];
  if (problems.length > 0) fail('npm pack --dry-run', problems);
  process.stdout.write(
    `  ${packed.length} files; lib/ requires ${requires.join(', ')}; peers ${PEERS.map((p) => `${p} ${pkg.peerDependencies?.[p]}`).join(', ')}\n`,
  );
  return packed;
}

/** Every installed copy of `name` under `dir`'s node_modules, nested ones included: version by folder. */
function copiesOf(dir: string, name: string): Record<string, string> {
  const found: Record<string, string> = {};
  const visit = (base: string) => {
    const modules = path.join(base, 'node_modules');
    if (!fs.existsSync(modules)) return;
    for (const entry of fs.readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      const names = entry.startsWith('@')
        ? fs.readdirSync(path.join(modules, entry)).map((n) => `${entry}/${n}`)
        : [entry];
      for (const n of names) {
        const pkgDir = path.join(modules, n);
        if (n === name)
          found[path.relative(dir, pkgDir)] = readJson<{ version: string }>(path.join(pkgDir, 'package.json')).version;
        visit(pkgDir);
      }
    }
  };
  visit(dir);
  return found;
}

interface Stack {
  terraform: { required_providers: { aws: { version: string } } };
  resource: Record<string, Record<string, Record<string, unknown>>>;
}

/** What the synthesized consumer stack must hold: our constructs' resources, traced, with their zips. */
function stackProblems(stackDir: string, stack: Stack, providerVersion: string): string[] {
  const problems: string[] = [];
  const count = (type: string) => Object.keys(stack.resource[type] ?? {}).length;
  const expectCount = (type: string, n: number) => {
    if (count(type) !== n) problems.push(`expected ${n} ${type}, got ${count(type)}`);
  };
  expectCount('aws_lambda_function', 2);
  expectCount('aws_sqs_queue', 2);
  expectCount('aws_lambda_event_source_mapping', 1);
  expectCount('aws_api_gateway_stage', 1);
  expectCount('aws_xray_sampling_rule', 2);
  for (const [id, fn] of Object.entries(stack.resource.aws_lambda_function ?? {})) {
    const f = fn as {
      tracing_config?: { mode?: string };
      layers?: string[];
      filename: string;
      source_code_hash: string;
    };
    if (f.tracing_config?.mode !== 'Active') problems.push(`aws_lambda_function.${id}: tracing is not Active`);
    if (!f.layers?.some((l) => l.includes(':layer:AWSOpenTelemetryDistroJs:')))
      problems.push(`aws_lambda_function.${id}: no ADOT layer`);
    const zip = path.join(stackDir, f.filename);
    if (!fs.existsSync(zip)) problems.push(`aws_lambda_function.${id}: no deployment zip at ${f.filename}`);
    else if (crypto.createHash('sha256').update(fs.readFileSync(zip)).digest('base64') !== f.source_code_hash)
      problems.push(`aws_lambda_function.${id}: source_code_hash does not match ${f.filename}`);
  }
  for (const [id, stage] of Object.entries(stack.resource.aws_api_gateway_stage ?? {})) {
    if (stage.xray_tracing_enabled !== true) problems.push(`aws_api_gateway_stage.${id}: X-Ray tracing off`);
  }
  const aws = stack.terraform.required_providers.aws.version;
  if (aws !== providerVersion)
    problems.push(
      `required_providers.aws.version is ${aws}, the installed @cdktf/provider-aws binds ${providerVersion}`,
    );
  return problems;
}

/** Our policy rules on the synthesized stack, run by the consumer's Node from the installed package. */
const POLICY_SCRIPT = `
const fs = require('node:fs');
const { StackView, evaluate, findingMessage } = require('cdktf-traced-serverless');
const { findings } = evaluate(new StackView(JSON.parse(fs.readFileSync(process.argv[1], 'utf8'))));
for (const f of findings) console.log(findingMessage(f));
process.exit(findings.length === 0 ? 0 : 1);
`;

interface Variant {
  name: 'newest' | 'lowest';
  /** Dependency versions written into the project's package.json. */
  versions: Record<string, string>;
}

function consumerProject(variant: Variant, tarball: string, tmp: string): string {
  const dir = path.join(tmp, variant.name);
  fs.cpSync(template, dir, { recursive: true });
  const pkgFile = path.join(dir, 'package.json');
  const pkg = readJson<{ dependencies: Record<string, string> }>(pkgFile);
  Object.assign(pkg.dependencies, variant.versions, { [ourName]: `file:${tarball}` });
  fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);

  process.stdout.write(`${variant.name}: ${PEERS.map((p) => `${p}@${variant.versions[p]}`).join(', ')}\n`);
  timed('npm install --prefer-offline', () =>
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], dir),
  );
  const resolved: Record<string, string> = {};
  const problems: string[] = [];
  for (const name of [...PEERS, 'esbuild']) {
    const copies = copiesOf(dir, name);
    if (Object.keys(copies).length !== 1)
      problems.push(`${name}: expected one copy in the tree, got ${JSON.stringify(copies)}`);
    resolved[name] = Object.values(copies)[0];
  }
  for (const p of PEERS) {
    const wanted = variant.versions[p];
    const ok = wanted.startsWith('^') ? satisfiesCaret(resolved[p], wanted) : resolved[p] === wanted;
    if (!ok) problems.push(`${p}: resolved ${resolved[p]}, which ${wanted} does not allow`);
  }
  if (problems.length > 0) fail(`${variant.name}: the installed tree`, problems);
  process.stdout.write(`  resolved ${[...PEERS, 'esbuild'].map((p) => `${p}@${resolved[p]}`).join(', ')}\n`);

  const tsc = path.join(dir, 'node_modules', '.bin', 'tsc');
  timed('tsc (the cdktf template tsconfig)', () => run(tsc, ['-p', '.'], dir));
  if (variant.name === 'lowest')
    timed('tsc --moduleResolution node16 (the exports map)', () =>
      run(tsc, ['-p', '.', '--noEmit', '--module', 'node16', '--moduleResolution', 'node16'], dir),
    );
  timed('cdktf synth', () => run(path.join(root, 'node_modules', '.bin', 'cdktf'), ['synth'], dir));

  const outdir = path.join(dir, 'cdktf.out');
  const manifest = readJson<{ stacks: Record<string, { synthesizedStackPath: string }> }>(
    path.join(outdir, 'manifest.json'),
  );
  const stackFile = path.join(outdir, manifest.stacks.orders.synthesizedStackPath);
  const providerVersion = readJson<{ cdktf: { provider: { version: string } } }>(
    path.join(dir, 'node_modules', '@cdktf', 'provider-aws', 'package.json'),
  ).cdktf.provider.version;
  const found = stackProblems(path.dirname(stackFile), readJson<Stack>(stackFile), providerVersion);
  if (found.length > 0) fail(`${variant.name}: the synthesized stack`, found);
  timed('policy rules from the installed package: no findings', () =>
    run(process.execPath, ['-e', POLICY_SCRIPT, stackFile], dir),
  );
  timed('npx cdktf-traced check-plan (the installed bin) on a seeded plan: exit 1, findings named', () => {
    const plan = path.join(root, '__tests__', 'fixtures', 'policy', 'small-plan', 'plan.json');
    const r = spawnSync('npx', ['--no-install', 'cdktf-traced', 'check-plan', plan], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    if (
      r.status !== 1 ||
      !/^ERROR \[TS-SG-2\] .* aws_security_group\.admin /m.test(out) ||
      !/^check-plan: \d+ error/m.test(out)
    )
      fail(`${variant.name}: npx cdktf-traced check-plan ${plan} (exit ${r.status ?? r.signal}, expected 1)`, [
        out.trim(),
      ]);
  });
  return dir;
}

const ourPkg = readJson<PackageJson>(path.join(root, 'package.json'));
const ourName = ourPkg.name;

function main(): void {
  const started = performance.now();
  const peers = ourPkg.peerDependencies ?? {};
  const templateDeps = readJson<{ dependencies: Record<string, string> }>(
    path.join(template, 'package.json'),
  ).dependencies;
  const drift = [...PEERS, ourName]
    .filter((p) => templateDeps[p] !== (p === ourName ? `^${ourPkg.version}` : peers[p]))
    .map(
      (p) =>
        `consumer/template/package.json asks for ${p} ${templateDeps[p]}, the package says ${p === ourName ? `^${ourPkg.version}` : peers[p]}`,
    );
  if (drift.length > 0) fail('template', drift);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'traced-consumer-'));
  const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      if (!keep) cleanup();
      process.exit(130);
    });
  try {
    process.stdout.write('package\n');
    const packed = timed('npm pack --dry-run --json (prepack builds lib/)', checkPackage);
    const tarball = timed('npm pack', () => {
      const out = packJson(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], root));
      const file = path.join(tmp, out.filename);
      const entries = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l && !l.endsWith('/'))
        .map((l) => l.replace(/^package\//, ''))
        .sort();
      const problems = fileProblems(entries, packed);
      if (problems.length > 0) fail('the tarball differs from the dry run', problems);
      return file;
    });
    const variants: Variant[] = [
      { name: 'newest', versions: Object.fromEntries(PEERS.map((p) => [p, peers[p]])) },
      { name: 'lowest', versions: Object.fromEntries(PEERS.map((p) => [p, lowestOf(peers[p])!])) },
    ];
    for (const variant of variants.filter((v) => !only || v.name === only)) consumerProject(variant, tarball, tmp);
    process.stdout.write(`consumer test passed in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (error) {
    if (!(error instanceof ConsumerTestFailure)) throw error;
    process.stderr.write(`consumer test failed: ${error.message}\n`);
    process.exitCode = 1;
  } finally {
    if (keep) process.stdout.write(`kept ${tmp}\n`);
    else cleanup();
  }
}

main();
