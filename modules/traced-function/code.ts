/**
 * The deployment zips of TracedFunctions. A function asks for its handler's zip when it is
 * constructed and gets it when first needed (at synth): by then every function of the app has
 * asked, so all the handlers not in the build cache are bundled at once, concurrently, in one
 * esbuild process ({@link bundleHandlers}). The zips live in the project's build cache
 * (`modules/core/build-cache.js`), so an unchanged handler is never bundled again.
 */
import * as path from 'node:path';
import type { IConstruct } from 'constructs';
import { BuildCache, buildInputs } from '../core/build-cache';
import { ValidationError, describeConstruct } from '../core/validation';
import { BundleError, MissingExportError, bundleHandlers, bundleKey, type BundleOptions } from './bundle';

/** A handler's deployment zip, in the build cache. */
export interface FunctionPackage {
  /** The zip's path. */
  readonly file: string;
  /** Its SHA-256, hex. */
  readonly hex: string;
  /** Its SHA-256, base64 (`source_code_hash`). */
  readonly sha256: string;
}

interface Request {
  readonly options: BundleOptions;
  readonly key: string;
  /** The first function that asked: errors name it. */
  readonly scope: IConstruct;
  built?: FunctionPackage;
  /** Why it did not build: thrown again on every later use. */
  error?: Error;
}

/** Every request of this process by key: two stacks with the same handler build it once. */
const requests = new Map<string, Request>();
let pending: Request[] = [];

/**
 * Asks for the zip of a handler; returns a function that gives it, building it (and every other
 * zip asked for by then) on its first call.
 */
export function requestPackage(scope: IConstruct, options: BundleOptions): () => FunctionPackage {
  const key = bundleKey(options);
  let request = requests.get(key);
  if (!request) {
    request = { options, key, scope };
    requests.set(key, request);
    pending.push(request);
  }
  const r = request;
  return () => {
    if (!r.built && !r.error) buildPending();
    if (r.error) throw r.error;
    return r.built as FunctionPackage;
  };
}

const ZIP = 'function.zip';

function buildPending(): void {
  const misses: { request: Request; cache: BuildCache }[] = [];
  for (const request of pending) {
    const cache = BuildCache.open('handlers', path.dirname(request.options.entry));
    if (!cache) {
      throw new ValidationError(describeConstruct('TracedFunction', request.scope), [
        `entry ${request.options.entry} is in no npm project (no package.json with a node_modules folder above it) to keep its build in`,
      ]);
    }
    const hit = cache.lookup(request.key);
    if (hit) request.built = packageOf(hit.dir, hit.files);
    else misses.push({ request, cache });
  }
  pending = [];
  let bundles;
  try {
    bundles = bundleHandlers(misses.map((m) => m.request.options));
  } catch (error) {
    const failed = error instanceof BundleError && misses.find((m) => m.request.options.entry === error.entry);
    if (!failed) throw error;
    const entry = path.relative(process.cwd(), error.entry);
    failed.request.error = new ValidationError(describeConstruct('TracedFunction', failed.request.scope), [
      error instanceof MissingExportError
        ? `handlerExport must be one of the exports of ${entry} (${error.exported.join(', ') || 'none'}), got ${JSON.stringify(error.handlerExport)}`
        : `entry ${entry} does not bundle: ${error.detail}`,
    ]);
    // The others wait for the next use.
    pending = misses.filter((m) => m !== failed).map((m) => m.request);
    throw failed.request.error;
  }
  misses.forEach(({ request, cache }, i) => {
    const read = buildInputs(path.dirname(request.options.entry), bundles[i].metafile);
    const stored = cache.store(request.key, read, { [ZIP]: bundles[i].zip });
    request.built = packageOf(stored.dir, stored.files);
  });
}

function packageOf(dir: string, files: Record<string, string>): FunctionPackage {
  const hex = files[ZIP];
  return { file: path.join(dir, ZIP), hex, sha256: Buffer.from(hex, 'hex').toString('base64') };
}
