/** Preloaded (NODE_OPTIONS=--require) into benchmarked Node processes: appends "<pid> <maxRSS KiB>" at exit. */
'use strict';
const fs = require('node:fs');

const file = process.env.BENCH_RSS_FILE;
if (file) process.on('exit', () => fs.appendFileSync(file, `${process.pid} ${process.resourceUsage().maxRSS}\n`));
