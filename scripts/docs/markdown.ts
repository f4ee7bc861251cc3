/**
 * What the docs check reads from a Markdown file, parsed by commonmark (the CommonMark reference
 * parser): fenced code blocks with their info string and line, links with their line, and the
 * anchors GitHub gives headings.
 */
import { Parser, type Node } from 'commonmark';

export interface CodeBlock {
  /** The first word of the info string (`ts`, `hcl`, `sh`), '' when none. Indented blocks are not read. */
  readonly lang: string;
  /** The rest of the info string: `fragment` marks a TypeScript block that is not compiled. */
  readonly flags: string[];
  readonly code: string;
  /** Line of the opening fence, 1-based. */
  readonly line: number;
  /** `path` of an `<!-- file: path -->` comment right before the block: the block must equal that file. */
  readonly file?: string;
}

export interface Link {
  readonly target: string;
  readonly line: number;
}

export interface MarkdownFacts {
  readonly blocks: CodeBlock[];
  readonly links: Link[];
  /** Anchors of the headings, as GitHub makes them (`## Use it: 3 steps` -> `use-it-3-steps`). */
  readonly anchors: Set<string>;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens (github-slugger's rule). */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

function textOf(node: Node): string {
  let text = '';
  const walker = node.walker();
  for (let e = walker.next(); e; e = walker.next()) {
    if (e.entering && (e.node.type === 'text' || e.node.type === 'code')) text += e.node.literal ?? '';
  }
  return text;
}

const FILE_COMMENT = /^<!--\s*file:\s*(\S+)\s*-->\s*$/;

export function readMarkdown(source: string): MarkdownFacts {
  const doc = new Parser().parse(source);
  const blocks: CodeBlock[] = [];
  const links: Link[] = [];
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const walker = doc.walker();
  let lastLine = 1;
  for (let e = walker.next(); e; e = walker.next()) {
    const node = e.node;
    if (!e.entering) continue;
    if (node.sourcepos) lastLine = node.sourcepos[0][0];
    if (node.type === 'code_block' && node.info !== null) {
      const [lang = '', ...flags] = (node.info ?? '').trim().split(/\s+/).filter(Boolean);
      const prev = node.prev;
      const comment = prev?.type === 'html_block' ? FILE_COMMENT.exec((prev.literal ?? '').trim()) : null;
      blocks.push({
        lang,
        flags,
        code: node.literal ?? '',
        line: node.sourcepos[0][0],
        ...(comment ? { file: comment[1] } : {}),
      });
    } else if (node.type === 'link' || node.type === 'image') {
      links.push({ target: node.destination ?? '', line: lastLine });
    } else if (node.type === 'heading') {
      const base = slug(textOf(node));
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
  }
  return { blocks, links, anchors };
}
