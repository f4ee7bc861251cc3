/**
 * npm run validate:tf [-- --no-build]: real `terraform init` + `terraform validate` of every
 * synthesized stack (the reference app's and examples/traced-api's), every published module through
 * its examples, and examples/terraform-full-architecture; `terraform fmt -check` on our own HCL.
 * Builds first (npm run synth, npm run build:modules); with --no-build only what is missing. Exits 1 on any failure.
 * Without terraform it prints one line saying so and exits 0 (1 with TERRAFORM_REQUIRED=1).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  TerraformError,
  fmtCheck,
  init,
  openToolchain,
  pool,
  prepare,
  terraformAbsence,
  validate,
  type Toolchain,
} from './runner';
import {
  EXAMPLE_OUTDIR,
  ROOT,
  buildAll,
  fullArchitectureUnit,
  moduleExampleUnits,
  ownHclFiles,
  stackUnits,
  type Unit,
} from './units';
import type { ShimChange } from './shim';

export interface UnitResult {
  readonly unit: Unit;
  readonly ok: boolean;
  readonly seconds: number;
  readonly shim: readonly ShimChange[];
  /** terraform's output when it failed. */
  readonly error?: string;
}

/** One line about what the shim did in a workspace. */
export function shimNote(changes: readonly ShimChange[]): string {
  if (changes.length === 0) return '';
  const kinds = new Map<string, number>();
  for (const c of changes) {
    const kind = c.change.replace(/ \((\d+)x\)$/, '');
    const n = Number(/\((\d+)x\)$/.exec(c.change)?.[1] ?? 1);
    kinds.set(kind, (kinds.get(kind) ?? 0) + n);
  }
  return `; shim: ${[...kinds].map(([k, n]) => (n > 1 ? `${k} (${n}x)` : k)).join(', ')}`;
}

/** init + validate of one unit in a fresh scratch copy. */
export async function validateUnit(tc: Toolchain, unit: Unit, timeoutMs = 180_000): Promise<UnitResult> {
  const started = Date.now();
  const ws = prepare(tc, unit);
  try {
    await init(tc, ws, { timeoutMs });
    await validate(tc, ws, { timeoutMs });
    return { unit, ok: true, seconds: (Date.now() - started) / 1000, shim: ws.shim };
  } catch (error) {
    const detail = error instanceof TerraformError ? `${error.message}\n${error.output}` : String(error);
    return { unit, ok: false, seconds: (Date.now() - started) / 1000, shim: ws.shim, error: detail };
  } finally {
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
}

/** Every unit validate:tf checks, from the current build outputs. */
export function allUnits(): Unit[] {
  return [
    ...stackUnits(path.join(ROOT, 'cdktf.out')),
    ...stackUnits(path.join(ROOT, EXAMPLE_OUTDIR), 'example stack'),
    ...moduleExampleUnits(),
    fullArchitectureUnit(),
  ];
}

async function main(): Promise<number> {
  const absent = terraformAbsence();
  if (absent !== undefined) {
    const required = process.env.TERRAFORM_REQUIRED === '1';
    process.stdout.write(`validate:tf: ${required ? 'FAILED' : 'skipped'}: ${absent}\n`);
    return required ? 1 : 0;
  }
  const started = Date.now();
  const tc = await openToolchain();
  try {
    await buildAll({ onlyMissing: process.argv.includes('--no-build') });
    const provider = tc.mirror ? `aws ${tc.mirror.aws} from ${tc.mirror.dir}` : 'providers from the registry';
    process.stdout.write(`validate:tf: terraform ${tc.terraform.version}, ${provider}\n`);

    const files = ownHclFiles();
    let failed = 0;
    try {
      await fmtCheck(tc, ROOT, files, { timeoutMs: 60_000 });
      process.stdout.write(`  ok    terraform fmt -check: ${files.length} HCL files\n`);
    } catch (error) {
      failed++;
      const output = error instanceof TerraformError ? error.output : String(error);
      process.stdout.write(`  FAIL  terraform fmt -check (run terraform fmt on these):\n${output}\n`);
    }

    const units = allUnits();
    const results = await pool(units, Math.min(4, Math.max(1, os.availableParallelism())), async (unit) => {
      const result = await validateUnit(tc, unit);
      process.stdout.write(
        `  ${result.ok ? 'ok  ' : 'FAIL'}  ${unit.name} (${result.seconds.toFixed(1)} s${shimNote(result.shim)})\n`,
      );
      return result;
    });
    for (const r of results.filter((r) => !r.ok)) {
      failed++;
      process.stdout.write(`\n--- ${r.unit.name}: ${r.error}\n`);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      failed === 0
        ? `validate:tf: ${results.length} configurations valid, HCL formatted (${seconds} s)\n`
        : `validate:tf: ${failed} check(s) failed (${seconds} s)\n`,
    );
    return failed === 0 ? 0 : 1;
  } finally {
    tc.dispose();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`validate:tf: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
