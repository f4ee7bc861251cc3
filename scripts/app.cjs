#!/usr/bin/env node
/**
 * cdktf.json's `app`: runs main.ts without type-checking on the hot path.
 *
 * main.ts and everything it imports (cdktf and the provider's deep imports included) are bundled
 * by esbuild into one CommonJS file under .build/, then required. One file loads several times
 * faster than the thousands Node would resolve one by one. The bundle is reused while every file
 * it was built from has the same content (sha256 of each input, from esbuild's metafile), so a
 * warm run pays no build at all. Type-checking is `npm run typecheck`, part of `npm test`.
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const buildDir = path.join(root, '.build');
const bundle = path.join(buildDir, 'main.cjs');
const inputsFile = path.join(buildDir, 'main.inputs.json');
const INSTALLED = 'node_modules/.package-lock.json';

function digest(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function isFresh() {
  let inputs;
  try {
    inputs = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
    fs.accessSync(bundle);
  } catch {
    return false;
  }
  if (inputs.node !== process.version) return false;
  for (const [file, hash] of Object.entries(inputs.files)) {
    try {
      if (digest(path.join(root, file)) !== hash) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function build() {
  const esbuild = require('esbuild');
  fs.mkdirSync(buildDir, { recursive: true });
  const result = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: ['main.ts'],
    outfile: bundle,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Native or self-locating packages stay real requires.
    external: ['esbuild'],
    // A linked map: stack traces point into the .ts sources with NODE_OPTIONS=--enable-source-maps
    // (off by default: parsing the map costs more than the synth itself).
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  });
  const files = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    if (!input.startsWith('node_modules/')) files[input] = digest(path.join(root, input));
  }
  // Installed packages change only through npm, which rewrites this file each time.
  files[INSTALLED] = digest(path.join(root, INSTALLED));
  // Write then rename, so a concurrent run never requires a half-written bundle.
  for (const out of result.outputFiles.sort((a, b) => b.path.length - a.path.length)) {
    const tmp = `${out.path}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, out.contents);
    fs.renameSync(tmp, out.path);
  }
  fs.writeFileSync(inputsFile, JSON.stringify({ node: process.version, files }));
}

if (!isFresh()) build();
require(bundle);
