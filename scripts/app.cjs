#!/usr/bin/env node
/**
 * cdktf.json's `app`: runs main.ts without type-checking on the hot path.
 * `node scripts/app.cjs <file.ts> [args]` runs another entry the same way, with `args` as its own
 * (the benchmarks and `npm run plan|apply` do).
 *
 * main.ts and the project's own TypeScript it imports are transpiled and bundled by esbuild into one
 * CommonJS file (packages stay plain requires from node_modules), then required. The bundle is kept
 * in the project's build cache (modules/core/build-cache.js, under node_modules/.cache) and reused
 * while every file it was built from, and the module resolution around them, are unchanged: an
 * unchanged project pays no build at all. Type-checking is `npm run typecheck`, part of `npm test`.
 *
 * Measured (npm run bench:synth): bundling node_modules too made warm runs ~80 ms faster but cold
 * runs (every CI run, every run after an edit) ~200 ms slower and twice the peak memory.
 */
'use strict';
const path = require('node:path');
const { BuildCache, buildInputs } = require('../modules/core/build-cache.js');

const root = path.resolve(__dirname, '..');
// The entry's own arguments follow it: process.argv then reads as if the entry were run directly.
const entry = /\.[cm]?ts$/.test(process.argv[2] ?? '') ? process.argv.splice(2, 1)[0] : 'main.ts';
const BUNDLE = 'app.cjs';
const cache = BuildCache.open('app', root);
if (!cache) throw new Error(`no node_modules folder in or above ${root}: run npm ci`);

function build() {
  const esbuild = require('esbuild');
  const result = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: [entry],
    // Not written (write: false): sets the source map's relative paths, at the depth of the stored bundle.
    outfile: path.join(cache.dir, 'out', 'bundle', BUNDLE),
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    // A linked map: stack traces point into the .ts sources with NODE_OPTIONS=--enable-source-maps
    // (off by default: Node then parses the maps of every package too, +130 ms a synth).
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.fromEntries(result.outputFiles.map((f) => [path.basename(f.path), f.contents]));
  return cache.store(key, buildInputs(root, result.metafile), outputs);
}

const key = JSON.stringify([entry, BUNDLE, root, process.version, require('esbuild/package.json').version]);
require(path.join((cache.lookup(key) ?? build()).dir, BUNDLE));
