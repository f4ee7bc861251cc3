/**
 * npm run plan:summary [-- <outdir>] — for every synthesized stack (run `npm run synth` first), what
 * a reviewer reads before approving: resources by type, IAM statements, security group rules,
 * suppressed policy findings and a rough monthly cost. Offline: reads cdktf.out only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planSummary } from './summary';

const outdir = path.resolve(process.argv[2] ?? 'cdktf.out');
const manifestFile = path.join(outdir, 'manifest.json');
if (!fs.existsSync(manifestFile)) {
  process.stderr.write(`plan:summary: no ${manifestFile}; run \`npm run synth\` first\n`);
  process.exit(1);
}
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
  stacks: Record<string, { synthesizedStackPath: string }>;
};
for (const [name, stack] of Object.entries(manifest.stacks)) {
  process.stdout.write(
    `${planSummary(name, JSON.parse(fs.readFileSync(path.join(outdir, stack.synthesizedStackPath), 'utf8')))}\n`,
  );
}
