/**
 * Preloaded (NODE_OPTIONS=--require) into benchmarked Node processes: appends
 * "<pid> <maxRSS KiB> <user+system CPU µs>" at exit.
 */
'use strict';
const fs = require('node:fs');

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    fs.appendFileSync(file, `${process.pid} ${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}\n`);
  });
}
