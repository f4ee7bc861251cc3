/**
 * `npm run test:browser`: the browser checks, a step of `npm test` apart from jest. Skips with one
 * line when there is no Chromium (Debian's `chromium` package; .ci/run installs it).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { INSTALL_HINT, findChromium } from '../../trace/chromium';

const chromium = findChromium();
if (!chromium) {
  process.stdout.write(`browser tests skipped: no Chromium found (${INSTALL_HINT}, or set CHROMIUM_PATH)\n`);
  process.exit(0);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', path.join(__dirname, 'trace-report.browser.ts')],
  { stdio: 'inherit', env: { ...process.env, CHROMIUM_PATH: chromium } },
);
process.exit(result.status ?? 1);
