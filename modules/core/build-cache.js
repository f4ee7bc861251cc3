/**
 * The build cache of the synth: the app bundle of `scripts/app.cjs` and the Lambda handler zips of
 * `TracedFunction`. Plain JavaScript so that `scripts/app.cjs` loads it before anything is compiled.
 *
 * It lives under the project, `<project>/node_modules/.cache/cdktf-traced-serverless/<kind>`,
 * never in the OS temp folder: there another user can pre-create the folder and plant an index and
 * a zip with matching hashes, which a synth would then deploy as Lambda code. The folder must be
 * a real directory owned by this user and writable by no one else, or the cache refuses it.
 *
 * An entry is reused only while (1) every input file has the same sha256, (2) module resolution
 * would pick the same files: every bare import still resolves to the same package folder (a new
 * nested copy of a dependency nearer the importer changes that), the names a relative import could
 * pick in the folders holding inputs are the same (a `foo.ts` next to a `foo.js`), and every
 * `package.json` / `tsconfig.json` on the inputs' paths is unchanged, and (3) the stored outputs
 * still hash to what the index recorded. Outputs are stored by content, in
 * a folder named by their hash, written then renamed: a concurrent synth never reads a half-written
 * file, and a folder never changes once it exists.
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const NAME = 'cdktf-traced-serverless';
/** File names module resolution can pick (extensions esbuild and Node try). */
const RESOLVABLE = /\.(?:[cm]?[jt]sx?|json|node)$/;

/** @param {string | Uint8Array} data */
const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

/** @param {string} file @returns {string | undefined} */
function digestFile(file) {
  try {
    return sha256(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

/**
 * The nearest folder at or above `from` holding a package.json and a node_modules folder: where
 * the cache lives (`node_modules/.cache/<name>`, the convention babel, eslint and others follow).
 * @param {string} from
 * @returns {string | undefined}
 */
function projectRoot(from) {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'node_modules'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The files a build read and the packages it resolved, from esbuild's metafile (paths in it are
 * relative to the build's working folder): every input, and every bare import of an input that
 * esbuild bundled, as [the importing file's folder, the package name].
 * @param {string} workingDir
 * @param {{ inputs: Record<string, { imports: { path: string, external?: boolean, original?: string }[] }> }} metafile
 * @returns {{ inputs: string[], packages: [string, string][] }}
 */
function buildInputs(workingDir, metafile) {
  const inputs = [];
  /** @type {[string, string][]} */
  const packages = [];
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    if (input.startsWith('<')) continue; // stdin
    const file = path.resolve(workingDir, input);
    inputs.push(file);
    for (const { external, original } of imports) {
      if (external || !original || original.startsWith('.') || path.isAbsolute(original)) continue;
      const parts = original.split('/');
      packages.push([path.dirname(file), parts.slice(0, original.startsWith('@') ? 2 : 1).join('/')]);
    }
  }
  return { inputs, packages };
}

/**
 * The folder `name` resolves to from `dir`: the nearest `node_modules/<name>` at or above it (how
 * Node and esbuild look up a package), or '' when there is none.
 * @param {string} dir
 * @param {string} name
 */
function nearestPackage(dir, name) {
  for (let at = dir; ; at = path.dirname(at)) {
    const candidate = path.join(at, 'node_modules', name);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(at) === at) return '';
  }
}

/**
 * What module resolution saw around a build, as lines: the file names a relative import could pick
 * in every folder holding an input, the package.json and tsconfig.json on every path to an input
 * (by content), and the folder each bare import resolves to.
 * @param {string[]} inputs absolute paths
 * @param {[string, string][]} [packages] [importing folder, package name]
 * @returns {string[]}
 */
function resolutionFingerprint(inputs, packages = []) {
  const holding = [...new Set(inputs.map((f) => path.dirname(f)))].sort();
  /** @type {Set<string>} */
  const onPaths = new Set();
  for (const dir of holding) {
    for (let at = dir; !onPaths.has(at); at = path.dirname(at)) {
      onPaths.add(at);
      if (path.dirname(at) === at) break;
    }
  }
  const lines = [];
  for (const dir of holding) {
    /** @type {string[]} */
    let names = [];
    try {
      names = fs
        .readdirSync(dir)
        .filter((n) => RESOLVABLE.test(n))
        .sort();
    } catch {
      // gone: the empty listing differs from the recorded one
    }
    lines.push(`${dir}: ${names.join(' ')}`);
  }
  for (const dir of [...onPaths].sort()) {
    for (const config of ['package.json', 'tsconfig.json']) {
      const hash = digestFile(path.join(dir, config));
      if (hash) lines.push(`${path.join(dir, config)} ${hash}`);
    }
  }
  const pairs = [...new Set(packages.map(([dir, name]) => `${dir}\0${name}`))].sort();
  for (const pair of pairs) {
    const [dir, name] = pair.split('\0');
    lines.push(`${dir} ${name} -> ${nearestPackage(dir, name)}`);
  }
  return lines;
}

/**
 * @typedef {object} CacheEntry
 * @property {string} dir the folder holding the outputs (never changes once written)
 * @property {Record<string, string>} files output name -> sha256 (hex)
 */

class BuildCache {
  /**
   * The cache of one kind of build (`app`, `handlers`) for the project around `from`, or
   * undefined when there is no project (no package.json with a node_modules folder) to keep it in.
   * Throws when the folder exists but is not private to this user.
   * @param {string} kind
   * @param {string} [from] @default process.cwd()
   * @returns {BuildCache | undefined}
   */
  static open(kind, from = process.cwd()) {
    const root = projectRoot(from);
    return root ? new BuildCache(path.join(root, 'node_modules', '.cache', NAME, kind)) : undefined;
  }

  /** @param {string} dir */
  constructor(dir) {
    /** The cache folder. */
    this.dir = dir;
    /** @private @type {boolean | undefined} */
    this.checked = undefined;
  }

  /**
   * The stored outputs for `key` when its inputs, their resolution and the outputs themselves
   * are unchanged; otherwise undefined.
   * @param {string} key
   * @returns {CacheEntry | undefined}
   */
  lookup(key) {
    let index;
    try {
      this.assertPrivate();
      index = JSON.parse(fs.readFileSync(this.indexFile(key), 'utf8'));
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('build cache ')) throw error;
      return undefined;
    }
    for (const [file, hash] of Object.entries(index.inputs)) if (digestFile(file) !== hash) return undefined;
    const resolution = resolutionFingerprint(Object.keys(index.inputs), index.packages);
    if (sha256(resolution.join('\n')) !== index.resolution) return undefined;
    const dir = path.join(this.dir, 'out', index.outputs);
    for (const [name, hash] of Object.entries(index.files))
      if (digestFile(path.join(dir, name)) !== hash) return undefined;
    return { dir, files: index.files };
  }

  /**
   * Stores `outputs` (name -> bytes) for `key`, built from `inputs` (absolute paths) with the bare
   * imports `packages` (see {@link buildInputs}).
   * @param {string} key
   * @param {{ inputs: string[], packages?: [string, string][] }} read
   * @param {Record<string, Uint8Array>} outputs
   * @returns {CacheEntry}
   */
  store(key, { inputs, packages = [] }, outputs) {
    this.assertPrivate();
    /** @type {Record<string, string>} */
    const files = {};
    for (const name of Object.keys(outputs).sort()) files[name] = sha256(outputs[name]);
    const id = sha256(JSON.stringify(files));
    const dir = path.join(this.dir, 'out', id);
    if (!fs.existsSync(dir)) {
      const tmp = `${dir}.${process.pid}.tmp`;
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
      for (const [name, data] of Object.entries(outputs)) fs.writeFileSync(path.join(tmp, name), data);
      try {
        fs.renameSync(tmp, dir);
      } catch (error) {
        // Another synth stored the same outputs first: theirs are identical.
        fs.rmSync(tmp, { recursive: true, force: true });
        if (!fs.existsSync(dir)) throw error;
      }
    }
    /** @type {Record<string, string>} */
    const hashes = {};
    for (const file of [...inputs].sort()) hashes[file] = digestFile(file) ?? '';
    const resolution = sha256(resolutionFingerprint(inputs, packages).join('\n'));
    const index = { inputs: hashes, packages, resolution, outputs: id, files };
    const indexFile = this.indexFile(key);
    fs.mkdirSync(path.dirname(indexFile), { recursive: true, mode: 0o700 });
    const tmp = `${indexFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(index));
    fs.renameSync(tmp, indexFile);
    return { dir, files };
  }

  /** @private @param {string} key */
  indexFile(key) {
    return path.join(this.dir, 'index', `${sha256(key)}.json`);
  }

  /**
   * Creates the folder (mode 0700) if needed; throws unless it is a real directory owned by this
   * user that no one else may write to.
   * @private
   */
  assertPrivate() {
    if (this.checked) return;
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(this.dir);
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    const problem = !stat.isDirectory()
      ? 'is not a directory'
      : uid !== undefined && stat.uid !== uid
        ? `belongs to user ${stat.uid}, not to this user (${uid})`
        : (stat.mode & 0o022) !== 0
          ? `may be written by other users (mode ${(stat.mode & 0o777).toString(8)})`
          : undefined;
    if (problem) throw new Error(`build cache ${this.dir} ${problem}: remove it, the next synth recreates it`);
    this.checked = true;
  }
}

module.exports = { BuildCache, buildInputs, resolutionFingerprint };
