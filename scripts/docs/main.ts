/**
 * npm run test:docs — every Markdown file of the repository in step with the code:
 * links and anchors resolve, `npm run` names existing scripts, blocks tied to a file equal it,
 * TypeScript examples import the package by name and compile against the library (tsc, the
 * package name mapped to modules/index.ts; a block flagged `ts fragment` is only parsed), HCL blocks
 * parse with HashiCorp's HCL parser, JSON blocks parse.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
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

async function hclProblems(blocks: { doc: string; block: CodeBlock }[]): Promise<DocProblem[]> {
  const problems: DocProblem[] = [];
  for (const { doc, block } of blocks) {
    try {
      await parseHcl(`${doc}:${block.line}.tf`, block.code);
    } catch (e) {
      problems.push({ doc, line: block.line, message: `HCL does not parse: ${(e as Error).message.split('\n')[0]}` });
    }
  }
  return problems;
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
  problems.push(...(await hclProblems(all('hcl'))));
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
    `docs: ${docs.length} Markdown files in step: links, npm scripts, ${tsBlocks.length} TypeScript, ${all('hcl').length} HCL and ${all('json').length} JSON blocks (${seconds} s)\n`,
  );
}

void main();
