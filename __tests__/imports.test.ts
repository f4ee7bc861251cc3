import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const BARREL = /(?:from\s+|require\(\s*|import\(\s*)['"]@cdktf\/provider-aws['"]/;

/** Every source file of the repository that git knows or would add (node_modules and outputs excluded). */
function sourceFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  });
  return out.split('\n').filter((f) => /\.(c|m)?[jt]s$/.test(f) && fs.existsSync(path.join(root, f)));
}

describe('imports', () => {
  it('finds the sources it checks', () => {
    expect(sourceFiles()).toEqual(expect.arrayContaining(['main.ts', 'modules/network/network.ts', 'scripts/app.cjs']));
  });

  it('never imports the @cdktf/provider-aws barrel, but in the benchmark baseline that measures it', () => {
    const offenders = sourceFiles().filter((f) => BARREL.test(fs.readFileSync(path.join(root, f), 'utf8')));
    expect(offenders).toEqual(['bench/baseline-barrel.cjs']);
  });
});
