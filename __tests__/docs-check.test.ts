import { fileBlockProblems, importProblems, linkProblems, scriptProblems, type RepoView } from '../scripts/docs/check';
import { readMarkdown, slug } from '../scripts/docs/markdown';

const doc = [
  '# Use it: in 3 steps',
  '',
  'See [the queue](../modules/traced-queue/README.md#inputs), [setup](#use-it-in-3-steps) and',
  '[gone](missing.md), [bad anchor](#nowhere), [web](https://example.com/x) and [up](../../etc/passwd).',
  '',
  '## Use it: in 3 steps',
  '',
  '```ts',
  "import { TracedQueue } from '../modules';",
  '```',
  '',
  '<!-- file: consumer/template/main.ts -->',
  '```ts',
  'main();',
  '```',
  '',
  '```sh',
  'npm run synth && npm run nope && npm run bench:*',
  '```',
  '',
  '    indented code is not a block we read',
].join('\n');

const repo: RepoView = {
  exists: (p) => ['docs/use.md', 'modules/traced-queue/README.md', 'consumer/template/main.ts'].includes(p),
  anchorsOf: (p) => (p === 'modules/traced-queue/README.md' ? new Set(['inputs']) : readMarkdown(doc).anchors),
  read: (p) => (p === 'consumer/template/main.ts' ? 'main();\n' : undefined),
  scripts: ['synth', 'bench:synth'],
  packageName: 'cdktf-traced-serverless',
};

describe('reading Markdown', () => {
  it('gives headings the anchors GitHub gives them, numbering repeats', () => {
    expect(slug('Use it: in 3 steps')).toBe('use-it-in-3-steps');
    expect(slug('The `entry` path (and project root)')).toBe('the-entry-path-and-project-root');
    expect([...readMarkdown(doc).anchors]).toEqual(['use-it-in-3-steps', 'use-it-in-3-steps-1']);
  });

  it('finds fenced blocks with their language, line and tied file, and every link', () => {
    const facts = readMarkdown(doc);
    expect(facts.blocks.map((b) => [b.lang, b.line, b.file])).toEqual([
      ['ts', 8, undefined],
      ['ts', 13, 'consumer/template/main.ts'],
      ['sh', 17, undefined],
    ]);
    expect(facts.links.map((l) => l.target)).toEqual([
      '../modules/traced-queue/README.md#inputs',
      '#use-it-in-3-steps',
      'missing.md',
      '#nowhere',
      'https://example.com/x',
      '../../etc/passwd',
    ]);
  });
});

describe('the docs checks', () => {
  const facts = readMarkdown(doc);

  it('resolve links and anchors inside the repository', () => {
    expect(linkProblems('docs/use.md', facts, repo).map((p) => p.message)).toEqual([
      'link missing.md: docs/missing.md does not exist',
      'link #nowhere: docs/use.md has no heading with the anchor #nowhere',
      'link ../../etc/passwd leaves the repository',
    ]);
  });

  it('name only npm scripts that exist', () => {
    expect(scriptProblems('docs/use.md', doc, repo)).toEqual([
      { doc: 'docs/use.md', line: 18, message: 'npm run nope: package.json has no such script' },
    ]);
  });

  it('import the library by its package name', () => {
    expect(importProblems('docs/use.md', facts.blocks, repo)).toEqual([
      {
        doc: 'docs/use.md',
        line: 9,
        message: "imports ../modules: examples import the library as 'cdktf-traced-serverless'",
      },
    ]);
  });

  it('keep a block tied to a file equal to it', () => {
    expect(fileBlockProblems('docs/use.md', facts.blocks, repo)).toEqual([]);
    const changed: RepoView = { ...repo, read: () => 'main(1);\n' };
    expect(fileBlockProblems('docs/use.md', facts.blocks, changed).map((p) => p.message)).toEqual([
      'the block differs from consumer/template/main.ts: copy the file into it',
    ]);
  });
});
