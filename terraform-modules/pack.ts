/**
 * npm run pack:modules [-- --no-build] — builds the published modules into dist/terraform-modules/
 * (`--no-build`: packs the folder as it is, e.g. after `validate:tf` checked it) and packs them as the
 * release archive dist/terraform-modules-v<version>.tar.gz (holding terraform-modules/<name>/), the
 * file `moduleSource()` addresses. Prints the archive's path.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { archiveName } from './source';

const dist = path.resolve(__dirname, '..', 'dist');
if (!process.argv.includes('--no-build'))
  execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'build.ts'), path.join(dist, 'terraform-modules')],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
const archive = path.join(dist, archiveName());
// Fixed owner and order, so the archive's listing is the same on any machine.
execFileSync('tar', [
  '--sort=name',
  '--owner=0',
  '--group=0',
  '--numeric-owner',
  '-czf',
  archive,
  '-C',
  dist,
  'terraform-modules',
]);
process.stdout.write(`${path.relative(process.cwd(), archive)}\n`);
