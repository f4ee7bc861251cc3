import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleHandler, bundleHandlers } from '../modules/traced-function/bundle';
import { unzip } from './support/zip';

const root = path.resolve(__dirname, '..');
const fixture = (name: string) => path.join(__dirname, 'fixtures', name);

describe('bundleHandler', () => {
  const bundle = bundleHandler({ entry: path.join(root, 'handlers', 'chatbot.ts'), target: 'node22' });
  const code = bundle.code.toString();

  it('keeps the AWS SDK as runtime requires, so the ADOT layer can instrument it', () => {
    expect(code).toContain('require("@aws-sdk/client-bedrock-agent-runtime")');
    expect(code).toContain('require("@aws-sdk/client-sqs")');
    expect(bundle.inputs.some((i) => i.includes('node_modules/@aws-sdk'))).toBe(false);
    expect(bundle.code.length).toBeLessThan(100 * 1024);
  });

  it('links a source map with paths relative to the handler folder', () => {
    expect(code.trimEnd().endsWith('//# sourceMappingURL=index.js.map')).toBe(true);
    const map = JSON.parse(bundle.map.toString());
    expect(map.sources).toEqual(expect.arrayContaining(['chatbot.ts', 'lib/agent.ts']));
    expect(JSON.stringify(map)).not.toContain(root);
  });

  it('zips index.js and its map, sorted, dated 1980-01-01 00:00, mode 0644, CRCs right', () => {
    expect(unzip(bundle.zip)).toEqual([
      { name: 'index.js', mode: 0o100644, date: 33, crcOk: true, data: bundle.code },
      { name: 'index.js.map', mode: 0o100644, date: 33, crcOk: true, data: bundle.map },
    ]);
  });

  it('is byte-identical when built twice, alone or with others, and so is its zip', () => {
    const [again, other] = bundleHandlers([
      { entry: path.join(root, 'handlers', 'chatbot.ts'), target: 'node22' },
      { entry: path.join(root, 'handlers', 'sqs-consumer.ts'), target: 'node22' },
    ]);
    expect(again.code.equals(bundle.code)).toBe(true);
    expect(again.zip.equals(bundle.zip)).toBe(true);
    expect(other.code.equals(bundle.code)).toBe(false);
  });

  it('names the entry and the first esbuild error with its file:line:column', () => {
    expect(() => bundleHandler({ entry: fixture('unresolved-import.ts'), target: 'node22' })).toThrow(
      `${fixture('unresolved-import.ts')} does not bundle: __tests__/fixtures/unresolved-import.ts:3:25: Could not resolve "./no-such-module"`,
    );
  });

  it('inlines the SDK only when asked, which is what defeats instrumentation', () => {
    const inlined = bundleHandler({ entry: fixture('sdk-handler.ts'), target: 'node22', externalSdk: false });
    expect(inlined.code.toString()).not.toContain('require("@aws-sdk/client-sqs")');
    expect(inlined.inputs.some((i) => i.includes('node_modules/@aws-sdk/client-sqs'))).toBe(true);
  });

  describe('loaded the way Lambda loads it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    const load = (name: string, entry: string) => {
      const file = path.join(dir, name, 'index.js');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const b = bundleHandler({ entry, target: 'node22' });
      fs.writeFileSync(file, b.code);
      fs.writeFileSync(`${file}.map`, b.map);
      // Resolve the runtime-provided SDK from the project's node_modules, as Lambda resolves /var/runtime.
      fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, name, 'node_modules'), 'dir');
      return file;
    };

    /** Requires a bundle in a fresh Node process (not jest's module system) and reports what Lambda would see. */
    const inspect = (file: string) => {
      const script = `
        const Module = require('node:module');
        const requested = [];
        const original = Module._load;
        Module._load = function (request, ...rest) { requested.push(request); return original.call(this, request, ...rest); };
        const mod = require(${JSON.stringify(file)});
        Module._load = original;
        const d = Object.getOwnPropertyDescriptor(mod, 'handler');
        mod.handler = () => 'wrapped';
        console.log(JSON.stringify({ requested, writable: d.writable, configurable: d.configurable, type: typeof d.value, replaced: mod.handler() }));
      `;
      return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    };

    it('exports the handler as a plain writable property the ADOT wrapper can replace', () => {
      expect(inspect(load('sdk', fixture('sdk-handler.ts')))).toMatchObject({
        writable: true,
        configurable: true,
        type: 'function',
        replaced: 'wrapped',
      });
    });

    it('requires the SDK through Node module loading, where instrumentations hook in', () => {
      expect(inspect(load('hooked', fixture('sdk-handler.ts'))).requested).toContain('@aws-sdk/client-sqs');
    });

    it('refuses an ES module entry with no such export when bundling, listing what it exports', () => {
      expect(() => bundleHandler({ entry: fixture('no-handler.ts'), target: 'node22' })).toThrow(
        `${fixture('no-handler.ts')} does not bundle: it exports no handler (its exports: other)`,
      );
    });

    it('fails at load, with the reason, when a CommonJS entry has no such export', () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      expect(() => require(load('none', fixture('no-handler-cjs.js')))).toThrow(
        'no-handler-cjs.js does not export a function named handler',
      );
    });
  });
});
