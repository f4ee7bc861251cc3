import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { nextSteps, shown, stackSummary, synthSummary, type StackReport } from '../app/synth-summary';

const root = path.resolve(__dirname, '..');

const report: StackReport = {
  name: 'dev',
  file: 'cdktf.out/stacks/dev/cdk.tf.json',
  config: {
    resource: { aws_sqs_queue: { a: {}, b: {} }, aws_lambda_function: { f: {} } },
    data: { aws_iam_policy_document: { p: {} } },
    output: { api_key: { sensitive: true }, invoke_url: {}, queue_arn: {}, vpc_id: {} },
  },
  assets: [
    { name: 'chatbot_code', bytes: 20_480 },
    { name: 'tiny_code', bytes: 900 },
  ],
  warnings: ['dev/api: Access logging needs the account-wide API Gateway CloudWatch role'],
  notes: [],
};

describe('the synth summary', () => {
  it('gives each stack one short block: resources, assets, outputs worth knowing, warnings', () => {
    expect(stackSummary(report)).toBe(
      [
        'dev: 3 resources, 1 data source in cdktf.out/stacks/dev/cdk.tf.json',
        '  assets    chatbot_code 20 KiB, tiny_code 900 B',
        '  outputs   invoke_url, api_key (sensitive), 2 more',
        '  warnings  1',
        '    dev/api: Access logging needs the account-wide API Gateway CloudWatch role',
      ].join('\n'),
    );
    expect(
      stackSummary({
        ...report,
        assets: [],
        warnings: [],
        notes: ['dev/x: TS-APIGW-4 suppressed: public'],
        config: {},
      }),
    ).toBe(
      [
        'dev: 0 resources, 0 data sources in cdktf.out/stacks/dev/cdk.tf.json',
        '  assets    none',
        '  outputs   none',
        '  warnings  none',
        '  notes     1',
        '    dev/x: TS-APIGW-4 suppressed: public',
      ].join('\n'),
    );
  });

  it('ends with the next step for the first stack, naming only npm scripts that exist', () => {
    const text = synthSummary([report, { ...report, name: 'prod' }], 'cdktf.out', 1.234);
    expect(text.split('\n')[0]).toBe('Synthesized 2 stacks into cdktf.out in 1.2 s');
    expect(text.endsWith(nextSteps('dev'))).toBe(true);
    expect(nextSteps('dev')).toContain('npm run apply -- dev ');
    expect(nextSteps('dev')).toContain('npm run plan:offline dev ');
    const scripts = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: object })
      .scripts;
    const named = [...nextSteps('dev').matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    for (const script of named) expect(Object.keys(scripts)).toContain(script);
  });

  it('shows paths relative inside the project and absolute outside', () => {
    expect(shown('/p', '/p/cdktf.out')).toBe('cdktf.out');
    expect(shown('/p', '/tmp/out')).toBe('/tmp/out');
  });
});

describe('npm run synth', () => {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('TRACED_') && !k.startsWith('CDKTF_')),
  );
  const synth = async (args: string[], extra: Record<string, string>) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-summary-'));
    try {
      return await promisify(execFile)(process.execPath, ['scripts/app.cjs', ...args], {
        cwd: root,
        env: { ...env, CDKTF_OUTDIR: outdir, TRACED_ENVIRONMENTS: 'dev', ...extra },
        encoding: 'utf8',
      });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  };

  it('prints the summary; --quiet prints nothing but warnings, on stderr', async () => {
    const [loud, quiet] = await Promise.all([synth([], {}), synth(['--quiet'], { TRACED_DEV_NAT_GATEWAYS: 'none' })]);
    expect(loud.stderr).toBe('');
    expect(loud.stdout).toMatch(
      // The environment, then the account-level stack it shares.
      /^Synthesized 2 stacks into \/\S+ in \d+\.\d s\n\ndev: \d+ resources, \d+ data sources in [^\n]*\n(  [^\n]*\n)*\naccount-us-west-2: \d+ resources, /,
    );
    expect(loud.stdout).toMatch(/\n {2}assets {4}chatbot_code \d+ KiB, consumer_code \d+ KiB\n/);
    expect(loud.stdout).toContain('\n  outputs   dlq_url, invoke_url, queue_url, api_key (sensitive), ');
    expect(loud.stdout).toContain('\n  warnings  none\n');
    expect(loud.stdout.endsWith(`\n\n${nextSteps('dev')}\n`)).toBe(true);

    // The README shows this block: the same lines, whatever the counts and sizes are today.
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const shown = /```text\n(dev: [^`]*)```/.exec(readme)?.[1] ?? '';
    const digitless = (text: string) => text.replace(/ in \S+cdk\.tf\.json/g, ' in <file>').replace(/\d+/g, 'N');
    expect(shown).not.toBe('');
    expect(digitless(loud.stdout)).toContain(digitless(shown));

    expect(quiet.stdout).toBe('');
    expect(quiet.stderr).toBe(
      '[WARN] dev: natGateways is "none": the Lambda functions run in private subnets and need VPC endpoints for Bedrock, SQS, KMS and X-Ray, which this stack does not create.\n',
    );
  });
});
