import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initFingerprint, parseArgs } from '../terraform/review';
import { scratchDir } from './support/scratch';

const root = path.resolve(__dirname, '..');

describe('npm run plan|apply arguments', () => {
  it('take one stack and the cdktf-like flags', () => {
    expect(parseArgs(['plan', 'dev'])).toEqual({ command: 'plan', stack: 'dev', skipSynth: false, autoApprove: false });
    expect(parseArgs(['apply', '--auto-approve', 'prod', '--skip-synth'])).toEqual({
      command: 'apply',
      stack: 'prod',
      skipSynth: true,
      autoApprove: true,
    });
    expect(() => parseArgs(['plan'])).toThrow('name exactly one stack');
    expect(() => parseArgs(['plan', 'dev', 'prod'])).toThrow('name exactly one stack');
    expect(() => parseArgs(['plan', 'dev', '--auto-approve'])).toThrow('unknown option --auto-approve');
  });
});

describe('initFingerprint', () => {
  const base = {
    terraform: { required_providers: { aws: { source: 'aws', version: '6.25.0' } }, backend: { local: { path: 'a' } } },
    resource: { aws_sqs_queue: { q: {} } },
  };
  it('changes with the providers, the backend and the modules, not with resources', () => {
    const f = initFingerprint(base);
    expect(initFingerprint({ ...base, resource: {} })).toBe(f);
    expect(initFingerprint({ ...base, terraform: { ...base.terraform, backend: { local: { path: 'b' } } } })).not.toBe(
      f,
    );
    expect(initFingerprint({ ...base, module: { vpc: { source: './vpc' } } })).not.toBe(f);
  });
});

describe('npm run plan|apply -- <stack>', () => {
  const dir = scratchDir('review-');
  const outdir = path.join(dir, 'cdktf.out');
  const log = path.join(dir, 'terraform.log');
  const terraform = path.join(dir, 'terraform');
  // A stand-in for the terraform binary that records how it is called; init makes .terraform/, plan
  // writes tfplan and exits with FAKE_PLAN_EXIT (2: changes).
  fs.writeFileSync(
    terraform,
    [
      '#!/bin/sh',
      `printf '%s\\t%s\\n' "$PWD" "$*" >> '${log}'`,
      'case "$1" in',
      '  init) mkdir -p .terraform ;;',
      '  plan) echo plan > tfplan; exit "${FAKE_PLAN_EXIT:-2}" ;;',
      'esac',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('TRACED_') && !k.startsWith('CDKTF_')),
  );
  const npmRun = (args: string[], input = '', extra: Record<string, string> = {}) => {
    fs.rmSync(log, { force: true });
    const r = spawnSync(process.execPath, ['scripts/app.cjs', 'terraform/review-cli.ts', ...args], {
      cwd: root,
      env: { ...env, TERRAFORM: terraform, CDKTF_OUTDIR: outdir, ...extra },
      input,
      encoding: 'utf8',
    });
    const calls = fs.existsSync(log)
      ? fs
          .readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((line) => line.split('\t'))
          .map(([cwd, args]) => `${path.relative(outdir, cwd)}: ${args}`)
      : [];
    return { status: r.status, stderr: r.stderr, calls };
  };
  const plan = 'stacks/dev: plan -input=false -detailed-exitcode -out=tfplan';

  it('synthesizes, initializes the stack folder once, and plans into a plan file', () => {
    const first = npmRun(['plan', 'dev']);
    expect(first).toMatchObject({ status: 0, calls: ['stacks/dev: init -input=false', plan] });
    expect(fs.existsSync(path.join(outdir, 'stacks', 'prod', 'cdk.tf.json'))).toBe(true);
    expect(first.stderr).toContain('Plan saved to');
    expect(npmRun(['plan', 'dev', '--skip-synth'])).toMatchObject({ status: 0, calls: [plan] });
  });

  it('initializes again when the backend changes', () => {
    const file = path.join(outdir, 'stacks', 'dev', 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    json.terraform.backend = { local: { path: 'elsewhere.tfstate' } };
    fs.writeFileSync(file, JSON.stringify(json));
    expect(npmRun(['plan', 'dev', '--skip-synth']).calls).toEqual(['stacks/dev: init -input=false', plan]);
  });

  it('applies exactly the saved plan, and only after "yes"', () => {
    const refused = npmRun(['apply', 'dev', '--skip-synth'], 'no\n');
    expect(refused).toMatchObject({ status: 1, calls: [plan] });
    expect(refused.stderr).toContain('Apply this plan to stack "dev"? Only \'yes\' will be accepted.');
    expect(refused.stderr).toContain('Apply cancelled.');
    expect(npmRun(['apply', 'dev', '--skip-synth'], '').calls).toEqual([plan]); // no input: no apply
    expect(npmRun(['apply', 'dev', '--skip-synth'], 'yes\n')).toMatchObject({
      status: 0,
      calls: [plan, 'stacks/dev: apply -input=false tfplan'],
    });
    expect(npmRun(['apply', 'dev', '--skip-synth', '--auto-approve']).calls).toEqual([
      plan,
      'stacks/dev: apply -input=false tfplan',
    ]);
  });

  it('applies nothing when the plan has no changes', () => {
    const r = npmRun(['apply', 'dev', '--skip-synth'], 'yes\n', { FAKE_PLAN_EXIT: '0' });
    expect(r).toMatchObject({ status: 0, calls: [plan] });
    expect(r.stderr).toContain('No changes: nothing to apply to dev.');
  });

  it('names the stacks there are when asked for another', () => {
    const r = npmRun(['plan', 'staging', '--skip-synth']);
    expect(r).toMatchObject({ status: 2, calls: [] });
    expect(r.stderr).toBe('no stack "staging" in the app (stacks: account-us-west-2, dev, prod)\n');
  });
});
