/**
 * npm run test:docs — every Markdown file of the repository in step with the code:
 * links and anchors resolve, `npm run` names existing scripts, blocks tied to a file equal it,
 * TypeScript examples import the package by name and compile against the library (tsc, the
 * package name mapped to modules/index.ts; a block flagged `ts fragment` is only parsed), HCL blocks
 * parse with HashiCorp's HCL parser, JSON blocks parse, and every module `source` pointing at a release
 * archive is a published module of this version that real `terraform get` fetches (from a loopback
 * copy of the archive `npm run pack:modules` builds; skipped with one line when terraform is absent).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import * as ts from 'typescript';
import {
  blocksFor,
  fileBlockProblems,
  importProblems,
  linkProblems,
  scriptProblems,
  type DocProblem,
  type RepoView,
} from './check';
import { readMarkdown, type CodeBlock, type MarkdownFacts } from './markdown';
import { MODULES } from '../../terraform-modules';
import { archiveName, archiveUrl, moduleSource } from '../../terraform-modules/source';

const root = path.resolve(__dirname, '..', '..');
const scratch = path.join(root, '.build', 'docs-check');

/** Repository files: tracked, and new ones not ignored (what a clean clone would hold once committed). */
function repoFiles(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => f && fs.existsSync(path.join(root, f)));
}

function repoView(files: readonly string[], facts: Map<string, MarkdownFacts>): RepoView {
  const known = new Set(files);
  for (const f of files) for (let d = path.posix.dirname(f); d !== '.'; d = path.posix.dirname(d)) known.add(d);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    name: string;
    scripts: Record<string, string>;
  };
  return {
    exists: (p) => known.has(p),
    anchorsOf: (p) => facts.get(p)?.anchors ?? new Set(),
    read: (p) => (known.has(p) ? fs.readFileSync(path.join(root, p), 'utf8') : undefined),
    scripts: Object.keys(pkg.scripts),
    packageName: pkg.name,
  };
}

/** Compiles every TypeScript block as a module of its own, the package name mapped to the library source. */
function typescriptProblems(blocks: { doc: string; block: CodeBlock }[], packageName: string): DocProblem[] {
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  const byFile = new Map<string, { doc: string; block: CodeBlock }>();
  const problems: DocProblem[] = [];
  for (const entry of blocks) {
    const { doc, block } = entry;
    if (block.flags.includes('fragment')) {
      const out = ts.transpileModule(block.code, { reportDiagnostics: true, fileName: 'fragment.ts' });
      for (const d of out.diagnostics ?? []) problems.push(problemOf(d, doc, block));
      continue;
    }
    const file = path.join(scratch, `${doc.replace(/[/.]/g, '_')}_L${block.line}.ts`);
    fs.writeFileSync(file, `${block.code}\nexport {};\n`);
    byFile.set(path.resolve(file), entry);
  }
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config as object;
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const program = ts.createProgram([...byFile.keys()], {
    ...options,
    noEmit: true,
    // Examples declare what they use and need not use all of it.
    noUnusedLocals: false,
    noUnusedParameters: false,
    types: ['node'],
    paths: { [packageName]: [path.join(root, 'modules', 'index.ts')] },
  });
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const entry = d.file ? byFile.get(path.resolve(d.file.fileName)) : undefined;
    if (entry) problems.push(problemOf(d, entry.doc, entry.block));
    else problems.push({ doc: '(tsc)', line: 0, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') });
  }
  fs.rmSync(scratch, { recursive: true, force: true });
  return problems;
}

function problemOf(d: ts.Diagnostic, doc: string, block: CodeBlock): DocProblem {
  const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
  return {
    doc,
    line: block.line + 1 + line,
    message: `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
  };
}

interface ModuleSourceUse {
  doc: string;
  line: number;
  source: string;
}

/** Parses every HCL block; returns the problems and the release-archive module sources it uses. */
async function hclProblems(blocks: { doc: string; block: CodeBlock }[]): Promise<[DocProblem[], ModuleSourceUse[]]> {
  const problems: DocProblem[] = [];
  const sources: ModuleSourceUse[] = [];
  const published = new Set(MODULES.map((m) => moduleSource(m.name)));
  const releases = archiveUrl().slice(0, archiveUrl().indexOf('/releases/') + '/releases/'.length);
  for (const { doc, block } of blocks) {
    let json: { module?: Record<string, { source?: string }[]> };
    try {
      json = (await parseHcl(`${doc}:${block.line}.tf`, block.code)) as typeof json;
    } catch (e) {
      problems.push({ doc, line: block.line, message: `HCL does not parse: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    for (const [name, [mod]] of Object.entries(json.module ?? {})) {
      const source = mod?.source ?? '';
      if (!source.startsWith(releases)) continue;
      if (published.has(source)) sources.push({ doc, line: block.line, source });
      else
        problems.push({
          doc,
          line: block.line,
          message: `module "${name}": source ${source} is not a published module of this release (${moduleSource('<name>')})`,
        });
    }
  }
  return [problems, sources];
}

/**
 * Real terraform fetches every release-archive source the docs use: `npm run pack:modules` builds the
 * archive the release uploads, a loopback server serves it under the release URL's path, and
 * `terraform get` must unpack each module folder with its main.tf.json.
 */
async function fetchProblems(uses: ModuleSourceUse[]): Promise<DocProblem[]> {
  if (uses.length === 0) return [];
  const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  if (terraform.error) {
    process.stdout.write('docs: terraform is not on PATH: module sources checked for their form only, not fetched\n');
    return [];
  }
  execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'terraform-modules', 'pack.ts')], {
    cwd: root,
    stdio: 'ignore',
  });
  const archive = fs.readFileSync(path.join(root, 'dist', archiveName()));
  const urlPath = new URL(archiveUrl()).pathname;
  const server = http.createServer((req, res) => {
    if (req.url === urlPath) res.writeHead(200, { 'content-type': 'application/gzip' }).end(archive);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = fs.mkdtempSync(path.join(root, '.build', 'docs-sources-'));
  try {
    const distinct = [...new Set(uses.map((u) => u.source))];
    const local = (source: string) => source.replace(/^https:\/\/github\.com/, base);
    fs.writeFileSync(
      path.join(dir, 'main.tf'),
      distinct.map((source, i) => `module "m${i}" {\n  source = "${local(source)}"\n}\n`).join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'empty.tfrc'), '');
    const env = { ...process.env, TF_CLI_CONFIG_FILE: path.join(dir, 'empty.tfrc'), CHECKPOINT_DISABLE: '1' };
    const get = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn('terraform', ['get', '-no-color'], { cwd: dir, env });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d));
      child.stderr.on('data', (d: Buffer) => (output += d));
      child.on('close', (code) => resolve({ code, output }));
    });
    if (get.code !== 0) return [{ doc: '(terraform get)', line: 0, message: get.output.trim() }];
    const installed = JSON.parse(fs.readFileSync(path.join(dir, '.terraform', 'modules', 'modules.json'), 'utf8')) as {
      Modules: { Source: string; Dir: string }[];
    };
    return uses.flatMap((u) => {
      const m = installed.Modules.find((x) => x.Source === local(u.source));
      return m && fs.existsSync(path.join(dir, m.Dir, 'main.tf.json'))
        ? []
        : [{ doc: u.doc, line: u.line, message: `terraform get did not unpack a module at ${u.source}` }];
    });
  } finally {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const files = repoFiles();
  const docs = files.filter((f) => f.endsWith('.md'));
  const sources = new Map(docs.map((d) => [d, fs.readFileSync(path.join(root, d), 'utf8')]));
  const facts = new Map(docs.map((d) => [d, readMarkdown(sources.get(d)!)]));
  const repo = repoView(files, facts);
  const all = (kind: 'typescript' | 'hcl' | 'json') =>
    docs.flatMap((doc) => blocksFor(kind, facts.get(doc)!.blocks).map((block) => ({ doc, block })));

  const problems: DocProblem[] = docs.flatMap((doc) => {
    const f = facts.get(doc)!;
    return [
      ...linkProblems(doc, f, repo),
      ...scriptProblems(doc, sources.get(doc)!, repo),
      ...importProblems(doc, f.blocks, repo),
      ...fileBlockProblems(doc, f.blocks, repo),
    ];
  });
  for (const { doc, block } of all('json')) {
    try {
      JSON.parse(block.code);
    } catch (e) {
      problems.push({ doc, line: block.line, message: `JSON does not parse: ${(e as Error).message}` });
    }
  }
  const [hcl, moduleSources] = await hclProblems(all('hcl'));
  problems.push(...hcl, ...(await fetchProblems(moduleSources)));
  const tsBlocks = all('typescript');
  problems.push(...typescriptProblems(tsBlocks, repo.packageName));

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`${p.doc}:${p.line}: ${p.message}\n`);
    process.stderr.write(`docs: ${problems.length} problem(s) in ${docs.length} Markdown files (${seconds} s)\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(
    `docs: ${docs.length} Markdown files in step: links, npm scripts, ${tsBlocks.length} TypeScript, ${all('hcl').length} HCL (${moduleSources.length} release-archive module sources fetched by terraform get) and ${all('json').length} JSON blocks (${seconds} s)\n`,
  );
}

void main();
