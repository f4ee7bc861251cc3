import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { explicitExports, undocumentedMembers } from './support/public-api';

const root = path.resolve(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const LIST = '__tests__/public-api.txt';

/** Public classes whose JSDoc their owners are still writing; the test says when one is done. */
const PENDING_JSDOC = new Set<string>();

const index = explicitExports('modules/index.ts', read('modules/index.ts'));
const publicNames = new Set(index.names.map((n) => n.name));
const libraryFiles = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'modules'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && fs.existsSync(path.join(root, f)));

describe('the public API (modules/index.ts)', () => {
  it('is an explicit list, each name once, and every folder index lists its names too', () => {
    const folderIndexes = libraryFiles.filter((f) => /^modules\/[^/]+\/index\.ts$/.test(f));
    expect(folderIndexes).toContain('modules/network/index.ts');
    const problems = [
      ...index.problems,
      ...folderIndexes.flatMap((f) => explicitExports(f, read(f)).problems.filter((p) => p.includes('export *'))),
    ];
    expect(problems).toEqual([]);
  });

  it(`is the deliberate list in ${LIST}: a new or removed export is a conscious change`, () => {
    const committed = read(LIST)
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    const actual = index.names.map((n) => `${n.typeOnly ? 'type ' : ''}${n.name}`);
    const added = actual.filter((n) => !committed.includes(n));
    const removed = committed.filter((n) => !actual.includes(n));
    expect({ added, removed }).toEqual({ added: [], removed: [] }); // update public-api.txt if intended
  });

  it('reports an export * and a name exported twice', () => {
    const r = explicitExports(
      'x/index.ts',
      "export * from './a';\nexport { A, type B } from './b';\nexport { A } from './c';\nexport const C = 1;\n",
    );
    expect(r.names).toEqual([
      { name: 'A', typeOnly: false, from: './b' },
      { name: 'B', typeOnly: true, from: './b' },
      { name: 'A', typeOnly: false, from: './c' },
    ]);
    expect(r.problems).toEqual([
      "x/index.ts:1: `export *` from './a': list the public names explicitly",
      "x/index.ts:4: only `export { ... } from '...'` belongs in a public index",
      'x/index.ts: A is exported more than once',
    ]);
  });
});

describe('JSDoc on the public API', () => {
  it('covers every public member of every exported class and interface', () => {
    // Only files that declare a public class or interface are parsed.
    const declares = new RegExp(`\\bexport (?:abstract )?(?:class|interface) (?:${[...publicNames].join('|')})\\b`);
    const sources = libraryFiles.map((f) => ({ f, text: read(f) })).filter(({ text }) => declares.test(text));
    expect(sources.map(({ f }) => f)).toEqual(expect.arrayContaining(['modules/traced-queue/traced-queue.ts']));
    const missing = sources.flatMap(({ f, text }) => undocumentedMembers(f, text, publicNames));
    const pendingDone = [...PENDING_JSDOC].filter((name) => !missing.some((m) => m.startsWith(`${name}.`)));
    expect({
      missing: missing.filter((m) => !PENDING_JSDOC.has(m.slice(0, m.indexOf('.')))),
      pendingDone, // documented now: remove from PENDING_JSDOC
    }).toEqual({ missing: [], pendingDone: [] });
  });

  it('finds an undocumented property, getter, method, static and parameter property, and only public ones', () => {
    const source = [
      'export class Thing {',
      '  /** Documented. */',
      '  public readonly ok: string;',
      '  public readonly bare: string;',
      '  private readonly hidden = 1;',
      '  protected guarded = 2;',
      '  #secret = 3;',
      '  get size(): number { return 1; }',
      '  static fromName(): Thing { return new Thing("", ""); }',
      '  /** Grants. */',
      '  grant(): void {}',
      '  constructor(public readonly param: string, /** Documented. */ readonly named: string, private p = 1) {}',
      '}',
      'export interface IThing {',
      '  /** Yes. */',
      '  readonly a: string;',
      '  readonly b: string;',
      '  run(): void;',
      '}',
      'class Internal { bare = 1 }',
      'export class Elsewhere { bare = 1 }',
    ].join('\n');
    expect(undocumentedMembers('x.ts', source, new Set(['Thing', 'IThing', 'Internal']))).toEqual([
      'Thing.bare (x.ts:4)',
      'Thing.size (x.ts:8)',
      'Thing.fromName (x.ts:9)',
      'Thing.param (x.ts:12)',
      'IThing.b (x.ts:17)',
      'IThing.run (x.ts:18)',
    ]);
  });
});
