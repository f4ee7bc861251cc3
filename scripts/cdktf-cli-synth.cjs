#!/usr/bin/env node
/**
 * npm run check:cdktf-cli — the cdktf CLI (what `cdktf deploy` runs, through cdktf.json's `app`)
 * synthesizes byte for byte what `npm run synth` does. Both write to sibling folders under .build/ (the
 * stacks' relative state paths depend on the folder's depth), compared file by file, then removed.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
fs.mkdirSync(path.join(root, '.build'), { recursive: true });
const work = fs.mkdtempSync(path.join(root, '.build', 'cdktf-cli-'));
const viaNpm = path.join(work, 'npm');
const viaCli = path.join(work, 'cli');

function files(dir, rel = '') {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]))
    .sort();
}

function step(what, command, args, env) {
  const r = spawnSync(command, args, {
    cwd: root,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
}

let failed = false;
try {
  step('node scripts/app.cjs', process.execPath, [path.join(root, 'scripts', 'app.cjs')], { CDKTF_OUTDIR: viaNpm });
  step('cdktf synth', path.join(root, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', viaCli]);
  const a = files(viaNpm);
  const b = files(viaCli);
  const differ = [
    ...a.filter((f) => !b.includes(f)).map((f) => `only from npm run synth: ${f}`),
    ...b.filter((f) => !a.includes(f)).map((f) => `only from cdktf synth: ${f}`),
    ...a
      .filter((f) => b.includes(f))
      .filter((f) => !fs.readFileSync(path.join(viaNpm, f)).equals(fs.readFileSync(path.join(viaCli, f))))
      .map((f) => `differs: ${f}`),
  ];
  if (differ.length > 0) {
    failed = true;
    console.error(
      `check:cdktf-cli: the cdktf CLI synthesizes other bytes than npm run synth:\n  ${differ.join('\n  ')}`,
    );
  } else {
    console.log(`check:cdktf-cli: cdktf synth and npm run synth write the same ${a.length} files`);
  }
} catch (error) {
  failed = true;
  console.error(`check:cdktf-cli: ${error.message}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
