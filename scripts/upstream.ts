/**
 * npm run upstream:fetch — the upstream ADOT task template the fidelity tests read
 * (__tests__/adot-template.test.ts), at its pinned commit, byte-exact: test data kept beside the
 * repository in ../shared/upstream/aws-otel-collector/, never in it. Where the file is already there it
 * is only checked; otherwise it is downloaded from GitHub (raw.githubusercontent.com) and checked. A
 * file whose sha256 is not the pinned one is an error, never used.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface UpstreamFile {
  readonly repository: string;
  readonly commit: string;
  readonly path: string;
  readonly sha256: string;
}

/** aws-observability/aws-otel-collector's ECS-on-EC2 sidecar template (Apache-2.0), v0.49.0's tree. */
export const UPSTREAM_ADOT: UpstreamFile = {
  repository: 'aws-observability/aws-otel-collector',
  commit: 'ed0b1d595c795442480c8e83435b9bf7d79429b2',
  path: 'examples/ecs/aws-cloudwatch/ecs-ec2-sidecar.json',
  sha256: '1eb3c730df473f78d743659d745ba61524d280f04e0d47f8853a53e3e46e3841',
};

/** Where the tests read it: ../shared/upstream/aws-otel-collector/<file name>. */
export const UPSTREAM_ADOT_FILE = path.resolve(
  __dirname,
  '..',
  '..',
  'shared',
  'upstream',
  'aws-otel-collector',
  path.basename(UPSTREAM_ADOT.path),
);

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The raw URL of the pinned file. */
export function upstreamUrl(file: UpstreamFile, base = 'https://raw.githubusercontent.com'): string {
  return `${base}/${file.repository}/${file.commit}/${file.path}`;
}

/**
 * Makes sure `dest` holds the pinned bytes: checks an existing file, else downloads and checks before
 * writing. Returns what it did.
 */
export async function ensureUpstream(
  file: UpstreamFile,
  dest: string,
  base?: string,
): Promise<'checked' | 'downloaded'> {
  if (fs.existsSync(dest)) {
    const actual = sha256(fs.readFileSync(dest));
    if (actual !== file.sha256) throw new Error(`${dest}: sha256 ${actual}, pinned ${file.sha256}`);
    return 'checked';
  }
  const url = upstreamUrl(file, base);
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const actual = sha256(bytes);
  if (actual !== file.sha256) throw new Error(`${url}: sha256 ${actual}, pinned ${file.sha256}; not written`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, bytes);
  return 'downloaded';
}

if (require.main === module) {
  ensureUpstream(UPSTREAM_ADOT, UPSTREAM_ADOT_FILE).then(
    (did) => process.stdout.write(`upstream:fetch: ${UPSTREAM_ADOT_FILE} ${did} (sha256 ${UPSTREAM_ADOT.sha256})\n`),
    (error: unknown) => {
      process.stderr.write(`upstream:fetch: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
