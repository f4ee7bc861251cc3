import * as fs from 'node:fs';
import * as path from 'node:path';
import { Lazy } from 'cdktf';
import { createApp } from '../app';
import { TOKEN_TRACES_ENV, configureTokenTraces } from '../modules';
import { referenceApp } from './support/reference-app';

const root = path.resolve(__dirname, '..');

/** The creation stack cdktf keeps for a new token. */
const creationStack = () => Lazy.anyValue({ produce: () => 1 }).creationStack;

/** Every file under `dir`, relative path -> content. */
function tree(dir: string): Map<string, Buffer> {
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(
    files.map((e) => [
      path.relative(dir, path.join(e.parentPath, e.name)),
      fs.readFileSync(path.join(e.parentPath, e.name)),
    ]),
  );
}

describe('token stack traces', () => {
  afterAll(() => configureTokenTraces({}));

  it('are off by default and back on with CDKTF_TOKEN_TRACES=1', () => {
    expect(configureTokenTraces({})).toBe(false);
    expect(creationStack()).toEqual([]);
    expect(configureTokenTraces({ [TOKEN_TRACES_ENV]: '1' })).toBe(true);
    expect(creationStack().join('\n')).toContain('token-traces.test.ts');
    expect(configureTokenTraces({ [TOKEN_TRACES_ENV]: '0' })).toBe(false);
    expect(creationStack()).toEqual([]);
  });

  it('change no byte of the synthesized app', () => {
    // The shared reference app was synthesized with traces off; this one with them on, at the same depth.
    const shared = referenceApp().outdir;
    const outdir = fs.mkdtempSync(path.join(path.dirname(shared), 'traces-on-'));
    let on: Map<string, Buffer>;
    try {
      createApp({ projectRoot: root, outdir, env: { [TOKEN_TRACES_ENV]: '1' } }).synth();
      on = tree(outdir);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
    expect(creationStack()).not.toEqual([]);
    const off = tree(shared);
    expect([...on.keys()].sort()).toEqual([...off.keys()].sort());
    expect(on.size).toBeGreaterThan(4);
    for (const [file, content] of on)
      expect({ file, same: content.equals(off.get(file) as Buffer) }).toEqual({ file, same: true });
  });
});
