#!/usr/bin/env node
/**
 * npm run bench:synth — the synth of the reference app (cdktf.json's `app`, all default stacks),
 * warm and cold, beside the floor (node + cdktf + one deep-imported resource), the barrel baseline
 * (node + the provider barrel, one SQS queue) and the scaling curve (1, 5, 20, 50 chatbot paths,
 * bench/chatbot-paths.ts). Every sample of every row is taken in turn, round after round, so a drift
 * of the machine's speed moves them all. Prints median and min wall time, median CPU time and peak
 * RSS, the ratios and the goals of issue 15. It prints goals; it asserts nothing.
 *
 * Warm: the app bundle and the handler zips are in the project's build cache. Cold: no cache of any
 * kind. A cold sample runs in a copy of the project's sources whose node_modules links every package
 * of the project's node_modules, and whose own build cache (node_modules/.cache) is removed before
 * each sample: the app bundle and every handler are built, as on a fresh clone or in CI.
 *
 *   node bench/synth.cjs [samples=5]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { measure, median } = require('./measure.cjs');

const root = path.resolve(__dirname, '..');
const samples = Math.max(5, Number(process.argv[2] ?? 5));
const app = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8')).app.split(/\s+/);
const node = process.execPath;
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith('TRACED_') && !k.startsWith('CDKTF_')),
);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));

/** A copy of the sources the app reads, with a node_modules of links to the project's packages. */
function coldProject() {
  const dir = path.join(scratch, 'cold');
  for (const f of ['main.ts', 'cdktf.json', 'package.json', 'tsconfig.json', 'app', 'modules', 'handlers', 'scripts']) {
    fs.cpSync(path.join(root, f), path.join(dir, f), { recursive: true });
  }
  fs.mkdirSync(path.join(dir, 'node_modules'));
  for (const name of fs.readdirSync(path.join(root, 'node_modules'))) {
    if (name === '.cache' || name === '.bin') continue;
    fs.symlinkSync(path.join(root, 'node_modules', name), path.join(dir, 'node_modules', name));
  }
  return dir;
}

const cold = coldProject();
const PATHS = [1, 5, 20, 50];
const rows = [
  { label: 'app, warm (all default stacks)', argv: app, cwd: root },
  {
    label: 'app, cold (no cache of any kind)',
    argv: app,
    cwd: cold,
    before: () => fs.rmSync(path.join(cold, 'node_modules', '.cache'), { recursive: true, force: true }),
  },
  { label: 'floor: cdktf + one deep import', argv: [node, path.join(__dirname, 'floor.cjs')], cwd: root },
  { label: 'baseline: barrel + one SQS queue', argv: [node, path.join(__dirname, 'baseline-barrel.cjs')], cwd: root },
  ...PATHS.map((n) => ({
    label: `${n} chatbot path${n > 1 ? 's' : ''}, warm`,
    argv: [...app, 'bench/chatbot-paths.ts'],
    cwd: root,
    env: { BENCH_PATHS: String(n) },
  })),
];

async function run(row) {
  row.before?.();
  const outdir = path.join(scratch, 'out');
  const r = await measure(row.argv, { cwd: row.cwd, env: { ...env, ...row.env, CDKTF_OUTDIR: outdir } });
  fs.rmSync(outdir, { recursive: true, force: true });
  if (r.code !== 0) throw new Error(`${row.label} failed (exit ${r.code}):\n${r.stderr}`);
  return r;
}

(async () => {
  for (const row of rows) if (!row.before) await run(row); // warm the caches, not counted
  for (const row of rows) row.results = [];
  for (let i = 0; i < samples; i++) for (const row of rows) row.results.push(await run(row));

  const stat = (row) => {
    const ms = row.results.map((r) => r.ms);
    return {
      median: median(ms),
      min: Math.min(...ms),
      cpu: median(row.results.map((r) => r.cpuMs)),
      peakMB: Math.max(...row.results.map((r) => r.peakKiB)) / 1024,
    };
  };
  const s = Object.fromEntries(rows.map((row) => [row.label, stat(row)]));
  const [warm, coldRow, floor, base] = rows.map((row) => s[row.label]);
  const num = (n, unit = 'ms') => `${n.toFixed(0)} ${unit}`.padStart(10);
  console.log(`synth benchmark: ${samples} samples each, in turn; node ${process.version}, ${os.cpus().length} CPUs`);
  console.log(`app: ${app.join(' ')}`);
  console.log(
    `${''.padEnd(36)}${'median'.padStart(10)}${'min'.padStart(10)}${'CPU'.padStart(10)}${'peak RSS'.padStart(10)}`,
  );
  for (const row of rows) {
    const x = s[row.label];
    console.log(`${row.label.padEnd(36)}${num(x.median)}${num(x.min)}${num(x.cpu)}${num(x.peakMB, 'MB')}`);
  }
  const paths = PATHS.map((n) => s[rows[4 + PATHS.indexOf(n)].label].median);
  const perPath = (paths[2] - paths[0]) / (PATHS[2] - PATHS[0]);
  console.log(
    `scaling: ${PATHS.map((n, i) => `${n} -> ${paths[i].toFixed(0)} ms`).join(', ')}; +${perPath.toFixed(0)} ms per path (1..20)`,
  );
  const x = (a, b) => `${(a / b).toFixed(2)}x`;
  console.log(
    `ratios (medians): warm ${x(warm.median, floor.median)} the floor, ${x(warm.median, base.median)} the baseline; cold ${x(coldRow.median, base.median)} the baseline`,
  );
  console.log('AWS CDK peer: not installed (aws-cdk-lib adds ~190 MB to node_modules); see the notes of issue 15');
  const peak = Math.max(...rows.slice(0, 2).map((row) => s[row.label].peakMB));
  const goal = (text, ok) => console.log(`goal ${ok ? 'met    ' : 'NOT met'}  ${text}`);
  goal(`warm <= 600 ms (median ${warm.median.toFixed(0)} ms)`, warm.median <= 600);
  goal(`warm <= 1.5x the floor (${x(warm.median, floor.median)})`, warm.median <= 1.5 * floor.median);
  goal(`cold <= 900 ms (median ${coldRow.median.toFixed(0)} ms)`, coldRow.median <= 900);
  goal(`peak RSS <= 120 MB (${peak.toFixed(0)} MB)`, peak <= 120);
  goal(`50 chatbot paths warm <= 2500 ms (median ${paths[3].toFixed(0)} ms)`, paths[3] <= 2500);
})()
  .catch((e) => {
    console.error(e.message);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(scratch, { recursive: true, force: true }));
