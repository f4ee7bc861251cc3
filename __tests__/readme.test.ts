import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIELDS, envVarSuffix } from '../app/config';

const root = path.resolve(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const configuration = fs.readFileSync(path.join(root, 'docs', 'configuration.md'), 'utf8');

describe('README and docs/configuration.md', () => {
  it('has the two-command Quick start', () => {
    expect(readme).toContain('```sh\nnpm ci && npm run synth\nnpm test\n```');
  });

  it('documents every configuration field and its environment variable', () => {
    for (const field of Object.keys(FIELDS)) {
      expect({
        field,
        documented: configuration.includes(`\`${field}\``) && configuration.includes(envVarSuffix(field)),
      }).toEqual({
        field,
        documented: true,
      });
    }
  });

  it('documents every stack output', () => {
    const source = fs.readFileSync(path.join(root, 'app', 'chatbot-stack.ts'), 'utf8');
    const outputs = [...source.matchAll(/output\('([a-z_]+)'/g)].map((m) => m[1]);
    expect(outputs.length).toBeGreaterThan(10);
    for (const name of outputs)
      expect({ name, documented: configuration.includes(`\`${name}\``) }).toEqual({ name, documented: true });
  });

  it('links a README for every construct folder', () => {
    for (const dir of fs
      .readdirSync(path.join(root, 'modules'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'core')) {
      expect(fs.existsSync(path.join(root, 'modules', dir.name, 'README.md'))).toBe(true);
      expect(readme).toContain(`(modules/${dir.name}/README.md)`);
    }
  });
});
