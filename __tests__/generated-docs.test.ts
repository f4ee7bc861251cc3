import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOCUMENTED, generatedFiles } from '../scripts/build-docs';

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
