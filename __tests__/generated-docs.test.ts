import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOCUMENTED, generatedFiles } from '../scripts/build-docs';
import * as ts from 'typescript';
import { text, type ObjectShape } from '../modules/core/inputs';
import { renderInterface } from '../modules/core/inputs-docs';

const root = path.resolve(__dirname, '..');

describe('npm run build:docs', () => {
  const files = generatedFiles();

  it('covers every construct folder', () => {
    const folders = fs
      .readdirSync(path.join(root, 'modules'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'core')
      .filter((d) => fs.existsSync(path.join(root, 'modules', d.name, 'inputs.ts')))
      .map((d) => d.name);
    expect(DOCUMENTED.map((d) => d.folder).sort()).toEqual(folders.sort());
  });

  it('left every props.ts and README inputs table as the inputs describe them (run npm run build:docs)', () => {
    const stale = Object.entries(files)
      .filter(([file, content]) => fs.readFileSync(file, 'utf8') !== content)
      .map(([file]) => path.relative(root, file));
    expect(stale).toEqual([]);
  });
});

describe('generated JSDoc', () => {
  it('keeps a "*/" in a doc, a link or a default inside the comment (it would end the comment and break props.ts)', () => {
    const shape = {
      typeName: 'Probe',
      doc: 'Matches `*/*` paths.',
      fields: {
        methodPath: text({
          doc: 'A method path: `*/*` for every method, or `chat/POST`.',
          see: 'https://example.com/a*/b',
          default: '*/*',
        }),
      },
    };
    const source = renderInterface(shape as unknown as ObjectShape<unknown>);
    const file = ts.createSourceFile('probe.ts', source, ts.ScriptTarget.ES2022, true);
    expect((file as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
    const decl = file.statements[0] as ts.InterfaceDeclaration;
    expect(file.statements).toHaveLength(1);
    expect(decl.members.map((m) => (m.name as ts.Identifier).text)).toEqual(['methodPath']);
    // The reader still sees the text as written.
    const [doc] = ts.getJSDocCommentsAndTags(decl.members[0]) as ts.JSDoc[];
    expect(ts.getTextOfJSDocComment(doc.comment)).toContain('`*\\/*` for every method');
    expect(source).toContain("@default '*\\/*'");
  });
});
