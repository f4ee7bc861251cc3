#!/usr/bin/env node
/**
 * npm run bench:synth — wall time and peak RSS of the synth app (cdktf.json's `app`, all default
 * stacks) next to the baseline (plain node importing the provider barrel to synthesize ONE SQS
 * queue), in one run with alternating repetitions. Goal: app <= 0.3x baseline wall, < 250 MB.
 *
 *   node bench/synth.cjs [repetitions=7]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { measure, median } = require('./measure.cjs');

const root = path.resolve(__dirname, '..');
const reps = Number(process.argv[2] ?? 7);
const appArgv = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8')).app.split(/\s+/);
const baselineArgv = [process.execPath, path.join(__dirname, 'baseline-barrel.cjs')];
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TRACED_')));

async function run(argv, label) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const r = await measure(argv, { cwd: root, env: { ...env, CDKTF_OUTDIR: outdir } });
  fs.rmSync(outdir, { recursive: true, force: true });
  if (r.code !== 0) throw new Error(`${label} failed (exit ${r.code}):\n${r.stderr}`);
  return r;
}

(async () => {
  // Cold: the app's esbuild bundle is rebuilt (first run after any source change).
  fs.rmSync(path.join(root, '.build', 'main.cjs'), { force: true });
  const cold = await run(appArgv, 'app (cold)');
  const app = [];
  const base = [];
  for (let i = 0; i < reps; i++) {
    app.push(await run(appArgv, 'app'));
    base.push(await run(baselineArgv, 'baseline'));
  }
  const row = (label, rs) =>
    `${label.padEnd(34)} ${median(rs.map((r) => r.ms))
      .toFixed(0)
      .padStart(7)} ms ${Math.min(...rs.map((r) => r.ms))
      .toFixed(0)
      .padStart(7)} ms ${(Math.max(...rs.map((r) => r.peakKiB)) / 1024).toFixed(0).padStart(7)} MB`;
  console.log(`synth benchmark: ${reps} alternating repetitions, node ${process.version}, ${os.cpus().length} CPUs`);
  console.log(`app: ${appArgv.join(' ')}`);
  console.log(`${''.padEnd(34)} ${'median'.padStart(10)} ${'min'.padStart(10)} ${'peak RSS'.padStart(10)}`);
  console.log(row('app, all default stacks (warm)', app));
  console.log(row('app, all default stacks (cold)', [cold]));
  console.log(row('baseline: barrel + one SQS queue', base));
  const ratio = median(app.map((r) => r.ms)) / median(base.map((r) => r.ms));
  const coldRatio = cold.ms / median(base.map((r) => r.ms));
  const peak = Math.max(cold.peakKiB, ...app.map((r) => r.peakKiB)) / 1024;
  console.log(`wall ratio app/baseline: ${ratio.toFixed(2)}x warm, ${coldRatio.toFixed(2)}x cold (goal <= 0.30x)`);
  console.log(`app peak RSS: ${peak.toFixed(0)} MB (goal < 250 MB)`);
  console.log(ratio <= 0.3 && coldRatio <= 0.3 && peak < 250 ? 'goals: met' : 'goals: NOT met');
})().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
