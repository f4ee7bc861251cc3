/**
 * What the npm package must contain and declare, as pure functions over file lists and
 * package.json objects (no npm, no file system): `consumer/run.ts` applies them to the real
 * `npm pack` output, the unit tests to small fixtures.
 */

/** The parts of package.json these checks read. */
export interface PackageJson {
  name: string;
  version: string;
  main?: string;
  types?: string;
  bin?: string | Record<string, string>;
  exports?: unknown;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** Lifecycle scripts npm runs in the consumer's project on install: a library must not have them. */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];

/**
 * The exact file list of the package: for every library source `modules/<path>.ts` (or `.js`, plain
 * JavaScript that scripts load uncompiled) its compiled `lib/<path>.js` and `lib/<path>.d.ts`, every
 * module README, the root README, the licence and package.json. `sources` are repository paths of
 * the library's source files (no tests).
 */
export function expectedFiles(sources: readonly string[], readmes: readonly string[]): string[] {
  const files = new Set(['package.json', 'README.md', 'LICENSE', ...readmes]);
  for (const source of sources) {
    const m = /^modules\/(.+)\.[jt]s$/.exec(source);
    if (!m || source.endsWith('.d.ts')) throw new Error(`not a library source: ${source}`);
    files.add(`lib/${m[1]}.js`);
    files.add(`lib/${m[1]}.d.ts`);
  }
  return [...files].sort();
}

/** Files missing from the package and files it should not contain, one line each. */
export function fileProblems(packed: readonly string[], expected: readonly string[]): string[] {
  const have = new Set(packed);
  const want = new Set(expected);
  return [
    ...expected.filter((f) => !have.has(f)).map((f) => `missing from the package: ${f}`),
    ...packed.filter((f) => !want.has(f)).map((f) => `should not be in the package: ${f}`),
  ];
}

/** The package a bare module specifier belongs to (`@scope/name/lib/x` -> `@scope/name`), or undefined for builtins and relative paths. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every package that compiled JavaScript `require`s (string-literal specifiers only). */
export function requiredPackages(javascript: string): string[] {
  const found = new Set<string>();
  for (const m of javascript.matchAll(/\brequire\(\s*(['"])([^'"]+)\1\s*\)/g)) {
    const pkg = packageOf(m[2]);
    if (pkg) found.add(pkg);
  }
  return [...found].sort();
}

/** `[major, minor, patch]` of an exact `x.y.z` version, or undefined. */
function parseVersion(version: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** The lowest version a caret range `^x.y.z` allows (`x.y.z`), or undefined for any other form. */
export function lowestOf(range: string): string | undefined {
  return range.startsWith('^') && parseVersion(range.slice(1)) ? range.slice(1) : undefined;
}

/** Whether exact `version` satisfies caret `range` (npm's rules: `^0.y.z` stays within 0.y). */
export function satisfiesCaret(version: string, range: string): boolean {
  const low = lowestOf(range);
  const v = parseVersion(version);
  if (!low || !v) return false;
  const [a, b, c] = parseVersion(low)!;
  const atLeast = v[0] !== a ? v[0] > a : v[1] !== b ? v[1] > b : v[2] >= c;
  return atLeast && v[0] === a && (a !== 0 || v[1] === b);
}

/**
 * Problems with what package.json declares, given the packages `lib/` requires at run time:
 * each required package is a dependency or a peer; nothing else is a dependency; peers are caret
 * ranges that our exact-pinned devDependency satisfies; no install scripts; main, types, bin and
 * the exports map point at files in the package.
 */
export function manifestProblems(
  pkg: PackageJson,
  libRequires: readonly string[],
  packed: readonly string[],
): string[] {
  const problems: string[] = [];
  const deps = pkg.dependencies ?? {};
  const peers = pkg.peerDependencies ?? {};
  const dev = pkg.devDependencies ?? {};
  for (const name of libRequires) {
    if (!(name in deps) && !(name in peers))
      problems.push(`lib/ requires ${name}: declare it in dependencies or peerDependencies`);
  }
  for (const name of Object.keys(deps)) {
    if (!libRequires.includes(name)) problems.push(`dependency ${name} is never required by lib/: remove it`);
    if (name in peers) problems.push(`${name} is both a dependency and a peer dependency`);
  }
  for (const [name, range] of Object.entries(peers)) {
    if (!libRequires.includes(name)) problems.push(`peer dependency ${name} is never required by lib/`);
    if (!lowestOf(range)) problems.push(`peer dependency ${name} must be a caret range ^x.y.z, got ${range}`);
    else if (!dev[name] || !parseVersion(dev[name]))
      problems.push(`peer dependency ${name} needs an exact-pinned devDependency for our own build, got ${dev[name]}`);
    else if (!satisfiesCaret(dev[name], range))
      problems.push(`devDependency ${name}@${dev[name]} is outside its peer range ${range}`);
  }
  for (const script of INSTALL_SCRIPTS) {
    if (pkg.scripts?.[script]) problems.push(`scripts.${script} would run in every consumer's install: remove it`);
  }
  if (!pkg.scripts?.prepack?.includes('build:lib'))
    problems.push('scripts.prepack must build lib/ (npm run build:lib)');
  const has = new Set(packed);
  const targets: [string, string | undefined][] = [
    ['main', pkg.main],
    ['types', pkg.types],
    ...Object.entries(typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {})).map(
      ([name, file]): [string, string] => [`bin.${name}`, file],
    ),
    ...exportTargets(pkg.exports).map(([key, file]): [string, string] => [`exports${key}`, file]),
  ];
  if (pkg.exports === undefined) problems.push('package.json has no exports map');
  for (const [field, file] of targets) {
    if (!file) problems.push(`package.json has no ${field}`);
    else if (!has.has(file.replace(/^\.\//, '')))
      problems.push(`${field} points at ${file}, which is not in the package`);
  }
  return problems;
}

/** Every `[subpath or condition path, file]` of an exports map. */
function exportTargets(exports: unknown, key = '["."]'): [string, string][] {
  if (typeof exports === 'string') return [[key, exports]];
  if (!exports || typeof exports !== 'object') return [];
  return Object.entries(exports as Record<string, unknown>).flatMap(([k, v]) =>
    exportTargets(v, k.startsWith('.') ? `["${k}"]` : `${key}.${k}`),
  );
}

/**
 * The package ships no source maps (they would point at `.ts` files it does not ship), so compiled
 * JavaScript must not reference one.
 */
export function sourceMapProblems(file: string, javascript: string): string[] {
  return /\/\/# sourceMappingURL=/.test(javascript)
    ? [`${file} references a source map, but the package ships neither maps nor the .ts sources`]
    : [];
}
