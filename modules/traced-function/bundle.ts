/**
 * Bundles TypeScript Lambda handlers with esbuild and packs each into a byte-reproducible zip.
 * No cdktf here: the construct calls it, tests call it directly.
 */
import * as path from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { BuildOptions, Message, Metafile } from 'esbuild';

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
  /** esbuild's metafile (paths relative to the entry's folder): what a build cache keys on. */
  readonly metafile: Metafile;
  /**
   * The zip Lambda receives: `index.js` and `index.js.map`, deflated (yazl, Node's zlib), dated
   * 1980-01-01 00:00 and mode 0644, so its bytes depend only on the bundle.
   */
  readonly zip: Buffer;
}

/** A handler that does not bundle: the entry and esbuild's first error, with its file:line:column. */
export class BundleError extends Error {
  constructor(
    /** The handler entry that failed. */
    public readonly entry: string,
    /** esbuild's first error, with its file:line:column. */
    public readonly detail: string,
  ) {
    super(`${entry} does not bundle: ${detail}`);
    this.name = 'BundleError';
  }
}

/** A handler whose entry (an ES module) does not export the function Lambda is to run. */
export class MissingExportError extends BundleError {
  constructor(
    entry: string,
    public readonly handlerExport: string,
    /** What the entry does export. */
    public readonly exported: readonly string[],
  ) {
    super(entry, `it exports no ${handlerExport} (its exports: ${exported.join(', ') || 'none'})`);
    this.name = 'MissingExportError';
  }
}

/** esbuild's options to list an entry's exports: the file alone, as an ES module, nothing written. */
function exportsProbe(options: BundleOptions): BuildOptions {
  return {
    entryPoints: [options.entry],
    outdir: path.dirname(options.entry),
    bundle: false,
    write: false,
    format: 'esm',
    platform: 'node',
    metafile: true,
    logLevel: 'silent',
  };
}

/** The Lambda handler string for a bundle made by {@link bundleHandler}. */
export function lambdaHandler(handlerExport = 'handler'): string {
  return `index.${handlerExport}`;
}

/** esbuild's options for one handler (see {@link bundleHandlers}). */
function buildOptions(options: BundleOptions): BuildOptions {
  const handlerExport = options.handlerExport ?? 'handler';
  const dir = path.dirname(options.entry);
  const file = path.basename(options.entry);
  return {
    stdin: {
      contents: [
        `const impl = require(${JSON.stringify(`./${file}`)});`,
        `if (typeof impl[${JSON.stringify(handlerExport)}] !== 'function') throw new Error(${JSON.stringify(`${file} does not export a function named ${handlerExport}`)});`,
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
  };
}

/**
 * esbuild's first error as `file:line:column: text` (column from 1, as editors count), the file
 * relative to the working folder.
 */
function firstError(entry: string, errors: Message[] | undefined, fallback: string): string {
  const e = errors?.[0];
  if (!e) return fallback;
  const at = e.location;
  const file = at && path.relative(process.cwd(), path.resolve(path.dirname(entry), at.file));
  return at ? `${file}:${at.line}:${at.column + 1}: ${e.text}` : e.text;
}

/**
 * Every zip entry's options (yazl): the DOS date fields read 1980-01-01 00:00 in every time zone
 * (a local-time Date), no extended timestamp, mode 0644, deflate level 9.
 */
const ZIP_ENTRY = {
  mtime: new Date(1980, 0, 1),
  forceDosTimestamp: true,
  mode: 0o100644,
  compress: true,
  compressionLevel: 9,
};

type WorkerResult =
  | { code: Uint8Array; map: Uint8Array; zip: Uint8Array; metafile: Metafile; exports: string[] | null }
  | { errors: Message[] | undefined; message: string };

/**
 * Runs in a worker thread: every build at once on esbuild's asynchronous API (one esbuild
 * process, all cores), each bundle zipped as it comes (yazl on Node's zlib), then wakes the
 * waiting main thread.
 */
const WORKER = `
const { workerData } = require('node:worker_threads');
const { esbuildPath, yazlPath, zipEntry, builds, probes, port, signal } = workerData;
const esbuild = require(esbuildPath);
const running = builds.map((options) => esbuild.build(options));
// The entry alone, not bundled: esbuild lists the exports of an ES module (null for CommonJS).
const exportsOf = (options) => esbuild.build(options).then(
  (r) => {
    const input = Object.values(r.metafile.inputs)[0];
    return input && input.format === 'esm' ? Object.values(r.metafile.outputs)[0].exports : null;
  },
  () => null,
);
const yazl = require(yazlPath);
const zip = (files) => new Promise((resolve, reject) => {
  const z = new yazl.ZipFile();
  for (const [name, data] of files) z.addBuffer(Buffer.from(data), name, zipEntry);
  z.end();
  const chunks = [];
  z.outputStream.on('data', (c) => chunks.push(c)).on('error', reject).on('end', () => resolve(Buffer.concat(chunks)));
});
Promise.all(running.map((build, i) => build.then(
  async (r) => {
    const code = r.outputFiles.find((f) => f.path.endsWith('.js')).contents;
    const map = r.outputFiles.find((f) => f.path.endsWith('.map')).contents;
    const archive = await zip([['index.js', code], ['index.js.map', map]]);
    return { code, map, zip: archive, metafile: r.metafile, exports: await exportsOf(probes[i]) };
  },
  (e) => ({ errors: e.errors, message: String(e.message) }),
))).then((results) => {
  esbuild.stop();
  port.postMessage(results);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

/**
 * Bundles each handler into one minified CommonJS file whose `module.exports` is a plain object
 * holding the handler, and zips it. esbuild's own CommonJS output defines exports as
 * non-configurable getters, which the aws-lambda instrumentation cannot wrap (`TypeError: Cannot
 * redefine property: handler` at cold start); re-exporting through a plain object keeps the
 * handler patchable.
 *
 * Synchronous (constructs call it), yet all bundles build concurrently: esbuild's asynchronous API
 * runs in a worker thread while this thread waits, as esbuild's own `buildSync` does for one.
 * Throws a {@link BundleError} for the first handler that does not bundle.
 */
export function bundleHandlers(handlers: readonly BundleOptions[]): HandlerBundle[] {
  if (handlers.length === 0) return [];
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      esbuildPath: require.resolve('esbuild'),
      yazlPath: require.resolve('yazl'),
      zipEntry: ZIP_ENTRY,
      builds: handlers.map(buildOptions),
      probes: handlers.map(exportsProbe),
      port: port2,
      signal,
    },
    transferList: [port2],
  });
  worker.unref();
  try {
    Atomics.wait(signal, 0, 0);
  } finally {
    void worker.terminate();
  }
  const results = receiveMessageOnPort(port1)?.message as WorkerResult[] | undefined;
  port1.close();
  if (!results) throw new Error('esbuild ended without a result');
  return results.map((result, i) => {
    if ('errors' in result)
      throw new BundleError(handlers[i].entry, firstError(handlers[i].entry, result.errors, result.message));
    const { code, map, zip, metafile, exports } = result;
    const handlerExport = handlers[i].handlerExport ?? 'handler';
    if (exports && !exports.includes(handlerExport))
      throw new MissingExportError(handlers[i].entry, handlerExport, exports);
    const inputs = Object.keys(metafile.inputs).sort();
    return { code: Buffer.from(code), map: Buffer.from(map), zip: Buffer.from(zip), inputs, metafile };
  });
}

/** Bundles one handler (see {@link bundleHandlers}). */
export function bundleHandler(options: BundleOptions): HandlerBundle {
  return bundleHandlers([options])[0];
}

/**
 * What a handler's bundle depends on besides its source files: esbuild's options and version, the
 * zip's settings and yazl's version. A build cache keys on it.
 */
export function bundleKey(options: BundleOptions): string {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return JSON.stringify({
    build: buildOptions(options),
    esbuild: (require('esbuild/package.json') as { version: string }).version,
    yazl: (require('yazl/package.json') as { version: string }).version,
    zip: ZIP_ENTRY,
  });
  /* eslint-enable @typescript-eslint/no-require-imports */
}
