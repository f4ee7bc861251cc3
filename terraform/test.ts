/**
 * npm run test:tf — the real-terraform step of `npm test`, time-boxed:
 *   1. npm run validate:tf                                   (builds, then validates everything)
 *   2. npm run plan:offline -- --no-build dev account-us-west-2 full-architecture
 *   3. node --test terraform/tests/*.test.ts                 (asserts on those plans, the summary of
 *      the real dev plan, a broken reference failing validation, the stand-in refusing a call, a
 *      changed ChatAgent reaching its alias in plans against a state)
 * The same npm scripts the workflows run. Without terraform: one line saying why, exit 0
 * (exit 1 with TERRAFORM_REQUIRED=1, as the workflows set).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TerraformError, run, terraformAbsence } from './runner';
import { ROOT } from './units';

const STEPS: { name: string; bin: string; args: string[]; timeoutMs: number }[] = [
  { name: 'validate:tf', bin: 'npm', args: ['run', '-s', 'validate:tf'], timeoutMs: 8 * 60_000 },
  {
    name: 'plan:offline',
    bin: 'npm',
    args: ['run', '-s', 'plan:offline', '--', '--no-build', 'dev', 'account-us-west-2', 'full-architecture'],
    timeoutMs: 8 * 60_000,
  },
  {
    name: 'terraform/tests',
    bin: process.execPath,
    args: [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      ...fs
        .readdirSync(path.join(__dirname, 'tests'))
        .filter((f) => f.endsWith('.test.ts'))
        .sort()
        .map((f) => path.join('terraform', 'tests', f)),
    ],
    timeoutMs: 10 * 60_000, // check-plan.test.ts plans the module examples and a seeded stack itself
  },
];

async function main(): Promise<number> {
  const absent = terraformAbsence();
  if (absent !== undefined) {
    const required = process.env.TERRAFORM_REQUIRED === '1';
    process.stdout.write(`test:tf: ${required ? 'FAILED' : 'skipped'}: ${absent}\n`);
    return required ? 1 : 0;
  }
  const started = Date.now();
  for (const step of STEPS) {
    process.stdout.write(`test:tf: ${step.name}\n`);
    try {
      await run(step.bin, step.args, { cwd: ROOT, env: process.env, timeoutMs: step.timeoutMs, echo: process.stdout });
    } catch (error) {
      process.stdout.write(`test:tf: ${error instanceof TerraformError ? error.message : String(error)}\n`);
      return 1;
    }
  }
  process.stdout.write(`test:tf: passed (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  return 0;
}

main().then((code) => process.exit(code));
