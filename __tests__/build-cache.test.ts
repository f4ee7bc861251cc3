import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { TracedFunction } from '../modules';
import { bundleHandler } from '../modules/traced-function/bundle';
import { BuildCache, buildInputs } from '../modules/core/build-cache';
import { testStack } from './helpers';
import { scratchDir } from './support/scratch';

const root = path.resolve(__dirname, '..');

/** Writes `files` (relative path -> content) under `dir`. */
function write(dir: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
}

/** A small npm project: a handler importing a dependency from node_modules. */
function project(): string {
  const dir = scratchDir('project-');
  write(dir, {
    'package.json': '{"name":"p","private":true}',
    'handlers/h.ts': "import { value } from 'dep';\nexport const handler = async () => value;\n",
    'node_modules/dep/package.json': '{"name":"dep","main":"index.js"}',
    'node_modules/dep/index.js': "exports.value = 'top-level copy' + require('x');\n",
    'node_modules/x/index.js': "module.exports = '!';\n",
  });
  return dir;
}

describe('BuildCache', () => {
  it('lives under the project, in node_modules/.cache, private to this user', () => {
    const cache = BuildCache.open('handlers', path.join(root, 'handlers')) as BuildCache;
    expect(cache.dir).toBe(path.join(root, 'node_modules', '.cache', 'cdktf-traced-serverless', 'handlers'));
    cache.lookup('nothing stored under this key');
    expect(fs.statSync(cache.dir).mode & 0o077).toBe(0);
  });

  it('reuses an entry until an input, its resolution or the stored output changes', () => {
    const dir = project();
    const cache = BuildCache.open('test', path.join(dir, 'handlers')) as BuildCache;
    // What esbuild read: the handler, dep (imported by the handler) and x (imported by dep).
    const { metafile } = bundleHandler({ entry: path.join(dir, 'handlers/h.ts'), target: 'node22' });
    const read = buildInputs(path.join(dir, 'handlers'), metafile);
    expect([...read.packages].sort()).toEqual([
      [path.join(dir, 'handlers'), 'dep'],
      [path.join(dir, 'node_modules/dep'), 'x'],
    ]);
    const stored = cache.store('k', read, { 'out.js': Buffer.from('built') });
    expect(cache.lookup('k')).toEqual(stored);

    // Files and packages module resolution does not read: still a hit.
    write(dir, { 'cdktf.out/manifest.json': '{}', 'terraform.dev.tfstate': '{}', 'handlers/README.md': '#' });
    write(dir, { 'node_modules/other/index.js': '', 'handlers/node_modules/other/index.js': '' });
    expect(cache.lookup('k')).toEqual(stored);

    // A nested copy of the dependency, nearer the handler: the same files, another resolution.
    write(dir, { 'handlers/node_modules/dep/index.js': "exports.value = 'nested copy';\n" });
    expect(cache.lookup('k')).toBeUndefined();
    fs.rmSync(path.join(dir, 'handlers/node_modules/dep'), { recursive: true });
    expect(cache.lookup('k')).toEqual(stored);

    // A nested copy of dep's own dependency inside dep's folder (where dep's imports resolve first).
    write(dir, { 'node_modules/dep/node_modules/x/index.js': '' });
    expect(cache.lookup('k')).toBeUndefined();
    fs.rmSync(path.join(dir, 'node_modules/dep/node_modules'), { recursive: true });
    expect(cache.lookup('k')).toEqual(stored);

    // A file that could shadow an import (foo.ts beside foo.js), a changed package.json, a changed input.
    write(dir, { 'handlers/h.js': '' });
    expect(cache.lookup('k')).toBeUndefined();
    fs.rmSync(path.join(dir, 'handlers/h.js'));
    write(dir, { 'node_modules/dep/package.json': '{"name":"dep","main":"other.js"}' });
    expect(cache.lookup('k')).toBeUndefined();
    write(dir, { 'node_modules/dep/package.json': '{"name":"dep","main":"index.js"}' });
    expect(cache.lookup('k')).toEqual(stored);
    write(dir, { 'node_modules/dep/index.js': "exports.value = 'changed';\n" });
    expect(cache.lookup('k')).toBeUndefined();

    // A stored output changed on disk.
    cache.store('k', read, { 'out.js': Buffer.from('built') });
    expect(cache.lookup('k')).toBeDefined();
    fs.writeFileSync(path.join((cache.lookup('k') as { dir: string }).dir, 'out.js'), 'planted');
    expect(cache.lookup('k')).toBeUndefined();
  });

  it('is right to: a nested copy changes what the handler bundle holds', () => {
    const dir = project();
    const entry = path.join(dir, 'handlers/h.ts');
    expect(bundleHandler({ entry, target: 'node22' }).code.toString()).toContain('top-level copy');
    write(dir, { 'handlers/node_modules/dep/index.js': "exports.value = 'nested copy';\n" });
    expect(bundleHandler({ entry, target: 'node22' }).code.toString()).toContain('nested copy');
  });

  it('refuses a folder that other users may write to, or that is not a real directory', () => {
    const dir = scratchDir('cache-');
    fs.chmodSync(dir, 0o777);
    expect(() => new BuildCache(dir).lookup('k')).toThrow(
      `build cache ${dir} may be written by other users (mode 777): remove it, the next synth recreates it`,
    );
    const link = path.join(scratchDir('cache-'), 'link');
    fs.symlinkSync(dir, link);
    expect(() => new BuildCache(link).lookup('k')).toThrow(`build cache ${link} is not a directory`);
  });
});

describe('TracedFunction code', () => {
  it('ignores an index and zip planted in the OS temp folder, where the cache used to be', () => {
    // What the old cache read: <tmp>/traced-function-assets/index/<key>.json naming a zip by its hash.
    const entry = path.join(root, 'handlers', 'sqs-consumer.ts');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuildVersion = (require('esbuild') as { version: string }).version;
    const sha = (data: Buffer | string) => crypto.createHash('sha256').update(data).digest('hex');
    const key = sha(JSON.stringify([entry, 'handler', 'node22', esbuildVersion]));
    const planted = Buffer.from('PK planted code');
    const staging = path.join(os.tmpdir(), 'traced-function-assets');
    write(staging, {
      [`index/${key}.json`]: JSON.stringify({ inputs: { [entry]: sha(fs.readFileSync(entry)) }, zipHex: sha(planted) }),
    });
    fs.mkdirSync(path.join(staging, sha(planted)));
    fs.writeFileSync(path.join(staging, sha(planted), 'function.zip'), planted);
    try {
      const { stack } = testStack();
      const fn = new TracedFunction(stack, 'fn', { functionName: 'planted', entry, region: 'us-west-2' });
      const json = JSON.parse(Testing.synth(stack));
      expect(fn.bundlePath.startsWith(path.join(root, 'node_modules', '.cache') + path.sep)).toBe(true);
      expect(fs.readFileSync(fn.bundlePath).equals(planted)).toBe(false);
      expect(json.resource.aws_lambda_function.fn_function.source_code_hash).toBe(fn.codeSha256);
      expect(fn.codeSha256).not.toBe(Buffer.from(sha(planted), 'hex').toString('base64'));
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  });

  it('builds every handler waiting when the first is needed, in one go', () => {
    const dir = scratchDir('handlers-');
    write(dir, {
      'package.json': '{"name":"p","private":true}',
      'node_modules/.keep': '',
      'a.ts': "export const handler = async () => 'a';\n",
      'b.ts': "export const handler = async () => 'b';\n",
    });
    const { stack } = testStack();
    const fn = (id: string) =>
      new TracedFunction(stack, id, { functionName: id, entry: path.join(dir, `${id}.ts`), region: 'us-west-2' });
    const [a, b] = [fn('a'), fn('b')];
    const index = path.join(dir, 'node_modules', '.cache', 'cdktf-traced-serverless', 'handlers', 'index');
    expect(fs.existsSync(index)).toBe(false); // nothing built at construction
    expect(a.codeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(fs.readdirSync(index)).toHaveLength(2); // b was built with a
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.aws_lambda_function.b_function.source_code_hash).toBe(b.codeSha256);
    expect(json.resource.aws_lambda_function.b_function.filename).toBe(
      `assets/b_code/${Buffer.from(b.codeSha256, 'base64').toString('hex').slice(0, 32)}/function.zip`,
    );
  });

  it('names the function, the entry and the first bundling error with its file:line:column', () => {
    const { stack } = testStack();
    const entry = path.join(__dirname, 'fixtures', 'unresolved-import.ts');
    new TracedFunction(stack, 'fn', { functionName: 'broken', entry, region: 'us-west-2' });
    expect(() => Testing.synth(stack)).toThrow(
      'TracedFunction "test/fn": entry __tests__/fixtures/unresolved-import.ts does not bundle: __tests__/fixtures/unresolved-import.ts:3:25: Could not resolve "./no-such-module"',
    );
  });
});
