/**
 * npm run bench:handlers — each handler bundle's size (minified code, source map, zip) and the time
 * a fresh Node process takes to `require` it (cold), median of several runs, next to an empty
 * process. Goal: under 100 KB each, not counting the AWS SDK the Lambda runtime provides.
 *
 *   npm run bench:handlers [-- runs=9]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleHandler } from '../modules/traced-function';

const root = path.resolve(__dirname, '..');
const runs = Number(process.argv[2] ?? 9);
const handlers = fs.readdirSync(path.join(root, 'handlers')).filter((f) => f.endsWith('.ts'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-handlers-'));
// The SDK resolves from the project's node_modules, as it does from /var/runtime in Lambda.
fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Milliseconds a fresh process spends in `require(file)` (0 for an empty script). */
function coldRequireMs(file: string | null): number {
  const script = file
    ? `const t = process.hrtime.bigint(); require(${JSON.stringify(file)}); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`
    : 'process.stdout.write("0")';
  return Number(
    execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }),
  );
}

function wallMs(file: string | null): number {
  const t = process.hrtime.bigint();
  execFileSync(process.execPath, ['-e', file ? `require(${JSON.stringify(file)})` : ''], { cwd: dir, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log(`handler bundles: node ${process.version}, ${runs} cold runs each (median), SDK external`);
console.log(
  `${'handler'.padEnd(18)} ${'code'.padStart(9)} ${'map'.padStart(9)} ${'zip'.padStart(9)} ${'require'.padStart(9)} ${'process'.padStart(9)}  goal`,
);
const emptyWall = median(Array.from({ length: runs }, () => wallMs(null)));
let ok = true;
for (const h of handlers) {
  const bundle = bundleHandler({ entry: path.join(root, 'handlers', h), target: 'node22' });
  const { zip } = bundle;
  const file = path.join(dir, h.replace(/\.ts$/, ''), 'index.js');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bundle.code);
  fs.writeFileSync(`${file}.map`, bundle.map);
  const requireMs = median(Array.from({ length: runs }, () => coldRequireMs(file)));
  const processMs = median(Array.from({ length: runs }, () => wallMs(file)));
  const met = bundle.code.length < 100 * 1024;
  ok &&= met;
  console.log(
    `${h.padEnd(18)} ${kb(bundle.code.length).padStart(9)} ${kb(bundle.map.length).padStart(9)} ${kb(zip.length).padStart(9)} ${`${requireMs.toFixed(1)} ms`.padStart(9)} ${`${processMs.toFixed(0)} ms`.padStart(9)}  ${met ? 'met' : 'NOT met'}`,
  );
}
console.log(
  `empty node process: ${emptyWall.toFixed(0)} ms. "require" includes loading the AWS SDK clients the bundle needs from node_modules.`,
);
console.log(ok ? 'goals: met (< 100 KB each)' : 'goals: NOT met');
fs.rmSync(dir, { recursive: true, force: true });
