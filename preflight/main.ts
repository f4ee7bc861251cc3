/**
 * npm run preflight -- <stack> [--out <cdktf.out>]
 *
 * Before `terraform apply`, with the credentials that will apply: asks AWS (read-only) whether what
 * the synthesized stack relies on is there — the agent's model (lifecycle, on-demand, access), the
 * ADOT layer, the ECS AMI parameter, room for the reserved concurrency, the API Gateway account
 * role, and that no physical name is taken. Reads `<out>/stacks/<stack>/cdk.tf.json`: synthesize
 * first (`npm run synth`). Exit 0 when ready, 1 when something must be fixed, 2 on bad usage.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runChecks } from './checks';
import { clientsFor, type Clients } from './clients';
import { exitCode, formatReport } from './report';
import { readStackFacts } from './stack';

export interface PreflightOptions {
  readonly stack: string;
  /** The cdktf output folder. @default 'cdktf.out' */
  readonly out?: string;
  /** @default - real clients for the stack's region */
  readonly clients?: (region: string) => Clients;
  /** @default - today (UTC) */
  readonly today?: string;
}

/** The synthesized stacks `options.stack` depends on (manifest.json), each as its JSON. */
function dependenciesOf(options: PreflightOptions): { name: string; json: Record<string, unknown> }[] {
  const out = options.out ?? 'cdktf.out';
  const manifestFile = path.join(out, 'manifest.json');
  if (!fs.existsSync(manifestFile)) return [];
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
    stacks: Record<string, { dependencies?: string[]; synthesizedStackPath: string }>;
  };
  return (manifest.stacks[options.stack]?.dependencies ?? []).flatMap((name) => {
    const entry = manifest.stacks[name];
    const file = entry && path.join(out, entry.synthesizedStackPath);
    return file && fs.existsSync(file) ? [{ name, json: JSON.parse(fs.readFileSync(file, 'utf8')) }] : [];
  });
}

/** Runs preflight for one stack: the report text and the exit code. */
export async function preflight(options: PreflightOptions): Promise<{ report: string; code: number }> {
  const file = path.join(options.out ?? 'cdktf.out', 'stacks', options.stack, 'cdk.tf.json');
  if (!fs.existsSync(file)) {
    return {
      report: `preflight: no synthesized stack at ${file}\n  fix: npm run synth (or TRACED_ENVIRONMENTS=${options.stack} npm run synth), then run preflight again\n`,
      code: 2,
    };
  }
  const facts = readStackFacts(options.stack, JSON.parse(fs.readFileSync(file, 'utf8')), dependenciesOf(options));
  const ctx = {
    facts,
    aws: (options.clients ?? clientsFor)(facts.region),
    today: options.today ?? new Date().toISOString().slice(0, 10),
  };
  const findings = await runChecks(ctx);
  return {
    report: formatReport(`preflight ${facts.stack} (${facts.region}, from ${file})`, findings),
    code: exitCode(findings),
  };
}

export function parseArgs(argv: readonly string[]): PreflightOptions | string {
  const args = [...argv];
  let out: string | undefined;
  const i = args.indexOf('--out');
  if (i >= 0) {
    out = args[i + 1];
    args.splice(i, 2);
    if (!out) return '--out needs a folder';
  }
  if (args.length !== 1 || args[0].startsWith('-')) return 'usage: npm run preflight -- <stack> [--out <cdktf.out>]';
  return { stack: args[0], out };
}

if (require.main === module) {
  // The SDK's notice about Node.js versions is not a preflight finding.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const options = parseArgs(process.argv.slice(2));
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n`);
    process.exit(2);
  }
  preflight(options).then(
    ({ report, code }) => {
      process.stdout.write(report);
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`preflight: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
