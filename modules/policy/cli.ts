#!/usr/bin/env node
/**
 * `cdktf-traced check-plan <plan.json | -> [--suppressions <file.json>] [--warnings-as-errors] [--json]`
 *
 * Runs the policy rules over `terraform show -json <planfile>` output. Exit 0: no error findings;
 * 1: error findings; 2: bad usage or input (not a plan, a suppression without a reason).
 */
import * as fs from 'node:fs';
import { CheckPlanInputError, checkPlan, formatResult, readSuppressions, resultJson } from './check-plan';

const USAGE = `usage: cdktf-traced check-plan <plan.json | -> [--suppressions <file.json>] [--warnings-as-errors] [--json]

  Runs the cdktf-traced-serverless policy rules over a Terraform plan in JSON:
    terraform plan -out plan.out && terraform show -json plan.out > plan.json
    npx cdktf-traced check-plan plan.json

  --suppressions <file>  a JSON list of { "rule", "address", "reason" }: accepted findings, each with a
                         reason (at least 10 characters); they are printed, not hidden
  --warnings-as-errors   exit 1 on warnings too
  --json                 print the result as JSON

  exit status: 0 no error findings, 1 error findings, 2 bad usage or input`;

/** Runs the CLI; returns the exit status. Output goes to the given writers (tests pass their own). */
export function main(
  argv: readonly string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
  readStdin: () => string = () => fs.readFileSync(0, 'utf8'),
): number {
  const [command, ...args] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    out(`${USAGE}\n`);
    return 0;
  }
  if (command !== 'check-plan') {
    err(`${command === undefined ? 'no command given' : `unknown command ${JSON.stringify(command)}`}\n${USAGE}\n`);
    return 2;
  }
  let file: string | undefined;
  let suppressionsFile: string | undefined;
  let warningsAsErrors = false;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--suppressions') suppressionsFile = args[++i];
    else if (a === '--warnings-as-errors') warningsAsErrors = true;
    else if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') {
      out(`${USAGE}\n`);
      return 0;
    } else if (a.startsWith('--') || file !== undefined) {
      err(`unexpected argument ${JSON.stringify(a)}\n${USAGE}\n`);
      return 2;
    } else file = a;
  }
  if (file === undefined || (args.includes('--suppressions') && suppressionsFile === undefined)) {
    err(`${file === undefined ? 'no plan file given' : '--suppressions needs a file'}\n${USAGE}\n`);
    return 2;
  }
  try {
    const plan = readJson(file === '-' ? '<stdin>' : file, () =>
      file === '-' ? readStdin() : fs.readFileSync(file, 'utf8'),
    );
    const suppressions = suppressionsFile
      ? readSuppressions(
          readJson(suppressionsFile, () => fs.readFileSync(suppressionsFile, 'utf8')),
          suppressionsFile,
        )
      : [];
    const result = checkPlan(plan, { suppressions, warningsAsErrors });
    out(`${json ? JSON.stringify(resultJson(result), null, 2) : formatResult(result)}\n`);
    return result.errors.length > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof CheckPlanInputError) {
      err(`check-plan: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

function readJson(name: string, read: () => string): unknown {
  let text: string;
  try {
    text = read();
  } catch (e) {
    throw new CheckPlanInputError(`${name}: cannot read it (${(e as Error).message})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CheckPlanInputError(`${name}: not JSON (${(e as Error).message})`);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
