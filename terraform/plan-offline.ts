/**
 * npm run plan:offline [-- [--no-build] [name...]]: a real `terraform plan` with no AWS account of
 * each named configuration (default: every stack of the reference app, and `full-architecture`, the
 * plain-HCL example composed from the built modules), against the loopback AWS stand-in
 * (terraform/aws-stand-in.ts). Builds first (npm run synth, npm run build:modules); with --no-build only what is missing.
 *
 * Writes, per configuration, plans/<name>/:
 *   tfplan      the saved plan (of a scratch copy, against a stand-in account: for reading, not applying)
 *   plan.json   `terraform show -json tfplan`
 *   plan.txt    `terraform show tfplan`
 *   meta.json   where it came from: source digest, terraform and provider versions, shim, AWS calls
 * and prints each plan's `Plan:` line. Without terraform it prints one line and exits 0 (1 with
 * TERRAFORM_REQUIRED=1).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { STAND_IN_ACCOUNT } from './aws-stand-in';
import { TerraformError, openToolchain, planOffline, pool, prepare, terraformAbsence, type Toolchain } from './runner';
import { FULL_ARCHITECTURE, ROOT, buildAll, fullArchitectureUnit, sourceDigest, stackUnits, type Unit } from './units';
import { PLANS_DIR, type PlanMeta } from './plan-files';

/** The configurations plan:offline knows, by name. */
export function plannable(): Map<string, Unit> {
  const units = new Map<string, Unit>();
  for (const unit of stackUnits(path.join(ROOT, 'cdktf.out'))) units.set(unit.name.replace(/^stack /, ''), unit);
  units.set(FULL_ARCHITECTURE, fullArchitectureUnit());
  return units;
}

export interface SavedPlan {
  readonly name: string;
  readonly dir: string;
  readonly meta: PlanMeta;
  /** The `Plan: ...` line. */
  readonly summary: string;
}

/** Plans one configuration offline and saves the results under plans/<name>/. */
export async function planAndSave(tc: Toolchain, name: string, unit: Unit, timeoutMs = 300_000): Promise<SavedPlan> {
  if (unit.planVars === undefined && name === FULL_ARCHITECTURE)
    throw new Error(`${name}: no function zips in cdktf.out/stacks/dev/assets; run npm run synth first`);
  const started = Date.now();
  const ws = prepare(tc, unit);
  try {
    const vars = Object.fromEntries(Object.entries(unit.planVars ?? {}));
    const plan = await planOffline(tc, ws, { vars, timeoutMs });
    const dir = path.join(ROOT, PLANS_DIR, name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(plan.planFile, path.join(dir, 'tfplan'));
    fs.writeFileSync(path.join(dir, 'plan.json'), plan.json);
    fs.writeFileSync(path.join(dir, 'plan.txt'), plan.text);
    const meta: PlanMeta = {
      name,
      source: { module: unit.module, digest: sourceDigest(unit) },
      terraform: tc.terraform.version,
      provider: tc.mirror ? `hashicorp/aws ${tc.mirror.aws} (local mirror)` : 'from the registry',
      shim: ws.shim.map((c) => `${c.file}: ${c.change}`),
      account: STAND_IN_ACCOUNT,
      awsCalls: plan.calls.map((c) => `${c.service}:${c.action} (${c.region})`),
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    fs.writeFileSync(path.join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
    const summary = /^(Plan: .*|No changes\..*)$/m.exec(plan.text)?.[1] ?? '(no Plan: line)';
    return { name, dir, meta, summary };
  } finally {
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  const absent = terraformAbsence();
  if (absent !== undefined) {
    const required = process.env.TERRAFORM_REQUIRED === '1';
    process.stdout.write(`plan:offline: ${required ? 'FAILED' : 'skipped'}: ${absent}\n`);
    return required ? 1 : 0;
  }
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknownFlags = argv.filter((a) => a.startsWith('--') && a !== '--no-build');
  if (unknownFlags.length > 0) throw new Error(`unknown option ${unknownFlags.join(' ')}`);
  await buildAll({ onlyMissing: argv.includes('--no-build') });
  const known = plannable();
  for (const name of names)
    if (!known.has(name)) throw new Error(`no configuration named ${name}; known: ${[...known.keys()].join(', ')}`);
  const tc = await openToolchain();
  try {
    const provider = tc.mirror ? `aws ${tc.mirror.aws} from ${tc.mirror.dir}` : 'providers from the registry';
    process.stdout.write(
      `plan:offline: terraform ${tc.terraform.version}, ${provider}, AWS answered by a loopback stand-in (account ${STAND_IN_ACCOUNT})\n`,
    );
    const wanted = names.length > 0 ? names : [...known.keys()];
    let failed = 0;
    await pool(wanted, Math.min(2, Math.max(1, os.availableParallelism())), async (name) => {
      try {
        const saved = await planAndSave(tc, name, known.get(name) as Unit);
        process.stdout.write(
          `  ok    ${name}: ${saved.summary} (${saved.meta.seconds} s) -> ${path.relative(process.cwd(), saved.dir)}/\n`,
        );
      } catch (error) {
        failed++;
        const detail = error instanceof TerraformError ? `${error.message}\n${error.output}` : String(error);
        process.stdout.write(`  FAIL  ${name}: ${detail}\n`);
      }
    });
    return failed === 0 ? 0 : 1;
  } finally {
    tc.dispose();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`plan:offline: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
