import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleHandler, crc32, deterministicZip, packageBundle } from '../modules';
import { unzip } from './support/zip';

const root = path.resolve(__dirname, '..');
const fixture = (name: string) => path.join(__dirname, 'fixtures', name);

describe('crc32', () => {
  it('matches the reference check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});

describe('deterministicZip', () => {
  it('round-trips, sorted, with fixed dates and 0644', () => {
    const zip = deterministicZip([
      { name: 'b.txt', data: Buffer.from('bee') },
      { name: 'a.txt', data: Buffer.from('a'.repeat(1000)) },
    ]);
    expect(unzip(zip)).toEqual([
      { name: 'a.txt', mode: 0o100644, date: 33, crcOk: true, data: Buffer.from('a'.repeat(1000)) },
      { name: 'b.txt', mode: 0o100644, date: 33, crcOk: true, data: Buffer.from('bee') },
    ]);
  });

  it('depends only on names and contents', () => {
    const files = [
      { name: 'x', data: Buffer.from('1') },
      { name: 'y', data: Buffer.from('2') },
    ];
    expect(deterministicZip(files).equals(deterministicZip([...files].reverse()))).toBe(true);
  });
});

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

  it('is byte-identical when built twice, and so is its zip', () => {
    const again = bundleHandler({ entry: path.join(root, 'handlers', 'chatbot.ts'), target: 'node22' });
    expect(again.code.equals(bundle.code)).toBe(true);
    expect(packageBundle(again).sha256).toBe(packageBundle(bundle).sha256);
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

    it('fails at load, with the reason, when the entry has no such export', () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      expect(() => require(load('none', fixture('no-handler.ts')))).toThrow(
        'no-handler.ts does not export a function named handler',
      );
    });
  });
});
