/**
 * Bundles a TypeScript Lambda handler with esbuild and packs it into a byte-reproducible zip.
 * No cdktf here: the construct calls it, tests call it directly.
 */
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

/**
 * Packages the Lambda Node.js runtime ships (AWS SDK for JavaScript v3 and its Smithy core).
 * They stay `require`s in the bundle so the ADOT layer's aws-sdk instrumentation, which hooks
 * `require`, sees them: an inlined SDK produces no SQS or Bedrock spans.
 */
export const RUNTIME_PROVIDED = ['@aws-sdk/*', '@smithy/*'];

export interface BundleOptions {
  /** Absolute path of the handler's .ts file. */
  readonly entry: string;
  /** The exported handler function. @default 'handler' */
  readonly handlerExport?: string;
  /** esbuild target, e.g. 'node22'. */
  readonly target: string;
  /**
   * Keep the AWS SDK out of the bundle (see {@link RUNTIME_PROVIDED}).
   * `false` inlines it: only for demonstrating what that breaks.
   * @default true
   */
  readonly externalSdk?: boolean;
}

export interface HandlerBundle {
  /** The minified CommonJS bundle, `index.js` in the zip. */
  readonly code: Buffer;
  /** Its source map, `index.js.map` in the zip. */
  readonly map: Buffer;
  /** Source files the bundle was built from, relative to the entry's folder. */
  readonly inputs: string[];
}

/** The Lambda handler string for a bundle made by {@link bundleHandler}. */
export function lambdaHandler(handlerExport = 'handler'): string {
  return `index.${handlerExport}`;
}

/**
 * Bundles `entry` into one minified CommonJS file whose `module.exports` is a plain object
 * holding the handler. esbuild's own CommonJS output defines exports as non-configurable getters,
 * which the aws-lambda instrumentation cannot wrap (`TypeError: Cannot redefine property: handler`
 * at cold start); re-exporting through a plain object keeps the handler patchable.
 */
export function bundleHandler(options: BundleOptions): HandlerBundle {
  // Loaded on demand: esbuild starts a service process, which synth pays only with functions in it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const handlerExport = options.handlerExport ?? 'handler';
  const dir = path.dirname(options.entry);
  const result = esbuild.buildSync({
    stdin: {
      contents: [
        `const impl = require(${JSON.stringify(`./${path.basename(options.entry)}`)});`,
        `if (typeof impl[${JSON.stringify(handlerExport)}] !== 'function') throw new Error(${JSON.stringify(`${path.basename(options.entry)} does not export a function named ${handlerExport}`)});`,
        `module.exports = { ${JSON.stringify(handlerExport)}: impl[${JSON.stringify(handlerExport)}] };`,
      ].join('\n'),
      resolveDir: dir,
      sourcefile: '<lambda-entry>',
      loader: 'js',
    },
    absWorkingDir: dir,
    // Not written (write: false): sets the source map's relative paths and file name.
    outfile: path.join(dir, 'index.js'),
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: options.target,
    minify: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'eof',
    external: options.externalSdk === false ? [] : RUNTIME_PROVIDED,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
  if (!code || !map) throw new Error(`esbuild produced no bundle for ${options.entry}`);
  return {
    code: Buffer.from(code.contents),
    map: Buffer.from(map.contents),
    inputs: Object.keys(result.metafile.inputs).sort(),
  };
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * A zip archive whose bytes depend only on the files' names and contents: entries sorted by name,
 * timestamps fixed at 1980-01-01 00:00, Unix mode 0644, deflate level 9.
 */
export function deterministicZip(files: { name: string; data: Buffer }[]): Buffer {
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  const DOS_TIME = 0;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const name = Buffer.from(file.name, 'utf8');
    const compressed = zlib.deflateRawSync(file.data, { level: 9 });
    const crc = crc32(file.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(file.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(file.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((0o100644 << 16) >>> 0) as number, 38); // regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** The zip Lambda receives for a bundle: `index.js` and `index.js.map`. */
export function packageBundle(bundle: HandlerBundle): { zip: Buffer; sha256: string } {
  const zip = deterministicZip([
    { name: 'index.js', data: bundle.code },
    { name: 'index.js.map', data: bundle.map },
  ]);
  return { zip, sha256: crypto.createHash('sha256').update(zip).digest('base64') };
}
