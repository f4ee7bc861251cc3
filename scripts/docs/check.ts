/**
 * The checks that keep every Markdown file in step with the code, as functions over parsed
 * Markdown (no file system): links and anchors resolve, `npm run` names a script that exists,
 * examples import the package by name, and a block tied to a file (`<!-- file: path -->`) is that
 * file. `scripts/docs/main.ts` runs them on the repository, plus the compilers: tsc for TypeScript
 * blocks, HashiCorp's HCL parser for HCL blocks.
 */
import * as path from 'node:path';
import type { CodeBlock, MarkdownFacts } from './markdown';

export interface DocProblem {
  /** Repository path of the Markdown file. */
  readonly doc: string;
  readonly line: number;
  readonly message: string;
}

export interface RepoView {
  /** Whether a repository path (file or folder) exists. */
  exists(repoPath: string): boolean;
  /** The heading anchors of a Markdown file, by repository path. */
  anchorsOf(repoPath: string): Set<string>;
  /** Contents of a repository file, or undefined. */
  read(repoPath: string): string | undefined;
  /** The npm scripts of package.json. */
  readonly scripts: readonly string[];
  /** The npm package name (examples import it by this name). */
  readonly packageName: string;
}

/** Relative links resolve to a file or folder of the repository, and `#anchors` to a heading. */
export function linkProblems(doc: string, facts: MarkdownFacts, repo: RepoView): DocProblem[] {
  const problems: DocProblem[] = [];
  for (const { target, line } of facts.links) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: ... (offline: not fetched)
    const [file, anchor] = target.split('#', 2) as [string, string | undefined];
    const resolved =
      file === '' ? doc : path.posix.normalize(path.posix.join(path.posix.dirname(doc), decodeURI(file)));
    if (resolved.startsWith('..')) {
      problems.push({ doc, line, message: `link ${target} leaves the repository` });
    } else if (!repo.exists(resolved)) {
      problems.push({ doc, line, message: `link ${target}: ${resolved} does not exist` });
    } else if (anchor !== undefined && resolved.endsWith('.md') && !repo.anchorsOf(resolved).has(anchor)) {
      problems.push({ doc, line, message: `link ${target}: ${resolved} has no heading with the anchor #${anchor}` });
    }
  }
  return problems;
}

const TYPESCRIPT = new Set(['ts', 'typescript']);

/** `npm run <name>` anywhere in a document names a script of package.json (`bench:*`: at least one). */
export function scriptProblems(doc: string, source: string, repo: RepoView): DocProblem[] {
  const problems: DocProblem[] = [];
  source.split('\n').forEach((text, i) => {
    for (const m of text.matchAll(/\bnpm run(?: -s)? ([a-z][\w:.-]*\*?)/g)) {
      const known = m[1].endsWith('*')
        ? repo.scripts.some((s) => s.startsWith(m[1].slice(0, -1)))
        : repo.scripts.includes(m[1]);
      if (!known) problems.push({ doc, line: i + 1, message: `npm run ${m[1]}: package.json has no such script` });
    }
  });
  return problems;
}

/**
 * TypeScript examples import the library the way a user does: by package name, never by a
 * relative path into this repository (`'../modules'` works only here).
 */
export function importProblems(doc: string, blocks: readonly CodeBlock[], repo: RepoView): DocProblem[] {
  const problems: DocProblem[] = [];
  for (const block of blocks.filter((b) => TYPESCRIPT.has(b.lang) && !b.file)) {
    block.code.split('\n').forEach((text, i) => {
      const m = /\bfrom\s+['"](\.{1,2}\/[^'"]*)['"]/.exec(text);
      if (m && /(^|\/)modules(\/|$)/.test(m[1]))
        problems.push({
          doc,
          line: block.line + 1 + i,
          message: `imports ${m[1]}: examples import the library as '${repo.packageName}'`,
        });
    });
  }
  return problems;
}

/** A block after `<!-- file: path -->` is exactly that file (so the file's own checks cover the block). */
export function fileBlockProblems(doc: string, blocks: readonly CodeBlock[], repo: RepoView): DocProblem[] {
  const problems: DocProblem[] = [];
  for (const block of blocks.filter((b) => b.file)) {
    const content = repo.read(block.file!);
    if (content === undefined) problems.push({ doc, line: block.line, message: `${block.file} does not exist` });
    else if (content !== block.code)
      problems.push({ doc, line: block.line, message: `the block differs from ${block.file}: copy the file into it` });
  }
  return problems;
}

/** Which blocks a compiler checks: TypeScript (compiled unless flagged `fragment` or tied to a file), HCL, JSON. */
export function blocksFor(kind: 'typescript' | 'hcl' | 'json', blocks: readonly CodeBlock[]): CodeBlock[] {
  if (kind === 'typescript') return blocks.filter((b) => TYPESCRIPT.has(b.lang) && !b.file);
  if (kind === 'hcl') return blocks.filter((b) => b.lang === 'hcl' || b.lang === 'terraform');
  return blocks.filter((b) => b.lang === 'json');
}
