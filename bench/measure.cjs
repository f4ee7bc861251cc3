/**
 * Measures one command: wall time, CPU time of its Node processes, and the peak RSS of its whole
 * process tree.
 *
 * Peak RSS is the sum over the tree's processes of each one's own peak (VmHWM): an upper bound
 * of the tree's simultaneous peak. Node processes report their exact peak at exit (report-rss.cjs
 * preloaded through NODE_OPTIONS); other processes (the esbuild service, a shell) are sampled from
 * /proc every 2 ms while they run. CPU (user + system) is what the Node processes report at exit: the
 * esbuild service process a cold synth starts is not in it. On a busy machine CPU moves less than wall.
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function children(pid) {
  const out = [];
  let tasks = [];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    } catch {
      /* the task ended */
    }
  }
  return out;
}

function hwm(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Runs argv in cwd with extra env; resolves { ms, cpuMs, peakKiB, code, stderr }. */
function measure(argv, { cwd, env = {} } = {}) {
  const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${Date.now()}`);
  const reporter = path.join(__dirname, 'report-rss.cjs');
  const childEnv = {
    ...process.env,
    ...env,
    BENCH_RSS_FILE: rssFile,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${reporter}`.trim(),
  };
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { cwd, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const peaks = new Map();
    const sample = () => {
      const stack = [child.pid];
      while (stack.length) {
        const pid = stack.pop();
        peaks.set(pid, Math.max(peaks.get(pid) ?? 0, hwm(pid)));
        stack.push(...children(pid));
      }
    };
    const timer = setInterval(sample, 2);
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      clearInterval(timer);
      let reported = '';
      try {
        reported = fs.readFileSync(rssFile, 'utf8');
        fs.rmSync(rssFile);
      } catch {
        /* no Node process reported */
      }
      let cpuMs = 0;
      for (const line of reported.trim().split('\n').filter(Boolean)) {
        const [pid, kib, cpuMicros] = line.split(' ').map(Number);
        peaks.set(pid, Math.max(peaks.get(pid) ?? 0, kib));
        cpuMs += cpuMicros / 1000;
      }
      const peakKiB = [...peaks.values()].reduce((a, b) => a + b, 0);
      resolve({ ms, cpuMs, peakKiB, code, stderr });
    });
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

module.exports = { measure, median };
