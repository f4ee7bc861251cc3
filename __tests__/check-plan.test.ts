/**
 * check-plan on a real plan (fixtures/policy/small-plan: made by terraform 1.11 from main.tf beside it),
 * and the CLI's contract. The real offline plans of our stacks, the seeded foreign stack and the module
 * examples are checked by terraform/tests/check-plan.test.ts, in `npm run test:tf` (a step of `npm test`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkPlan, planView } from '../modules';
import { readSuppressions } from '../modules/policy/check-plan';
import { main } from '../modules/policy/cli';

const fixture = path.join(__dirname, 'fixtures', 'policy', 'small-plan', 'plan.json');
const plan = JSON.parse(fs.readFileSync(fixture, 'utf8')) as Record<string, unknown>;

/** Runs the CLI in-process; returns its exit status and what it printed. */
function cli(args: string[], stdin = '') {
  let out = '';
  let err = '';
  const status = main(
    args,
    (s) => (out += s),
    (s) => (err += s),
    () => stdin,
  );
  return { status, out, err };
}

describe('the plan view', () => {
  const view = planView(plan);

  it('holds every instance: count, for_each modules, data sources read at plan and at apply', () => {
    expect(view.resources.map((r) => r.address).sort()).toEqual([
      'aws_iam_policy.late',
      'aws_iam_policy.reads',
      'aws_instance.web[0]',
      'aws_instance.web[1]',
      'aws_security_group.admin',
      'data.aws_iam_policy_document.reads',
      'module.queue["billing"].aws_sqs_queue.this',
      'module.queue["billing"].aws_sqs_queue_policy.this',
      'module.queue["billing"].data.aws_iam_policy_document.tls',
      'module.queue["orders"].aws_sqs_queue.this',
      'module.queue["orders"].aws_sqs_queue_policy.this',
      'module.queue["orders"].data.aws_iam_policy_document.tls',
      'provider.aws',
    ]);
  });

  it('turns values known only after apply into the references they come from, module-qualified', () => {
    const policy = view.get('module.queue["orders"].aws_sqs_queue_policy.this');
    expect(policy?.attrs.queue_url).toBe('${module.queue["orders"].aws_sqs_queue.this.url}');
    expect(view.referenced(policy?.attrs.queue_url)?.address).toBe('module.queue["orders"].aws_sqs_queue.this');
    const statements = view.statements(policy?.attrs.policy, 'policy');
    expect(statements).toMatchObject([
      { effect: 'Deny', actions: ['sqs:*'], resources: ['${module.queue["orders"].aws_sqs_queue.this.arn}'] },
    ]);
  });

  it('reads the provider configuration, and leaves out computed attributes the configuration does not set', () => {
    expect(view.get('provider.aws')?.attrs).toMatchObject({
      region: 'eu-west-1',
      default_tags: [{ tags: { project: 'small-plan' } }],
    });
    expect(view.get('aws_instance.web[0]')?.attrs).not.toHaveProperty('public_ip');
  });
});

describe('checkPlan', () => {
  it('reports findings naming rule, resource and field; what is known only after apply is not checked', () => {
    const result = checkPlan(plan);
    expect(result.errors.map((f) => `${f.rule.id} ${f.resource.address} ${f.field}`)).toEqual([
      'TS-EC2-3 aws_instance.web[0] associate_public_ip_address',
      'TS-EC2-3 aws_instance.web[1] associate_public_ip_address',
      'TS-IAM-4 aws_iam_policy.reads policy.Statement[0].Resource', // S3:GetObject on * (case-insensitive)
      'TS-SG-2 aws_security_group.admin ingress[0].cidr_blocks', // 0.0.0.0/1 + 128.0.0.0/1 via a dynamic block
    ]);
    expect(result.warnings).toEqual([]);
    // the module's queues pass TS-SQS-1/2: their TLS policy is followed through references
    expect(result.report.notChecked.map((n) => `${n.rule?.id} ${n.address} ${n.field}: ${n.reason}`)).toEqual(
      ['TS-IAM-1', 'TS-IAM-2', 'TS-IAM-4', 'TS-IAM-5'].map(
        (id) =>
          `${id} aws_iam_policy.late policy: comes from module.queue["orders"].arn, known only after apply; a plan shows no part of it: write it as a data.aws_iam_policy_document (its statements are in the plan) to have it checked`,
      ),
    );
  });

  it('applies suppressions by address (an instance, all instances, a module), keeping them visible', () => {
    const reason = 'Bastion hosts of the training lab; torn down nightly.';
    const result = checkPlan(plan, {
      suppressions: [
        { rule: 'TS-EC2-3', address: 'aws_instance.web', reason },
        { rule: 'TS-SG-2', address: 'aws_security_group.admin', reason },
      ],
    });
    expect(result.errors.map((f) => f.rule.id)).toEqual(['TS-IAM-4']);
    expect(result.suppressed.map((s) => `${s.finding.resource.address}: ${s.reason}`)).toEqual([
      `aws_instance.web[0]: ${reason}`,
      `aws_instance.web[1]: ${reason}`,
      `aws_security_group.admin: ${reason}`,
    ]);
  });

  it('refuses a suppression whose address is not one (a bare type would cover every resource of it)', () => {
    const reason = 'x'.repeat(12);
    const read = (address: string) => () => readSuppressions([{ rule: 'TS-SG-2', address, reason }], 's.json');
    for (const address of ['aws_security_group', 'module', '*', 'aws_security_group.*']) {
      expect(read(address)).toThrow(
        `s.json[0].address must name a resource or module address, got ${JSON.stringify(address)}`,
      );
    }
    for (const address of [
      'aws_security_group.admin',
      'aws_instance.web[0]',
      'module.queue',
      'module.queue["orders"].aws_sqs_queue.this',
      'data.aws_iam_policy_document.d',
    ]) {
      expect(read(address)).not.toThrow();
    }
  });

  it('refuses what is not a plan', () => {
    expect(() => checkPlan({ resource: {} })).toThrow('not a Terraform plan in JSON');
    expect(() => checkPlan([])).toThrow('not a Terraform plan in JSON');
  });
});

describe('cdktf-traced check-plan', () => {
  it('exits 1 on error findings and prints them with a summary', () => {
    const { status, out } = cli(['check-plan', fixture]);
    expect(status).toBe(1);
    expect(out).toContain(
      'ERROR [TS-SG-2] No inbound traffic from the internet: aws_security_group.admin ingress[0].cidr_blocks: ingress from 0.0.0.0/1 + 128.0.0.0/1 covers 100% of the public IPv4 internet. Fix:',
    );
    expect(out.trim().split('\n').pop()).toBe(
      'check-plan: 4 error(s), 0 warning(s), 0 suppressed, 4 not checked (13 resources)',
    );
  });

  it('reads the plan from stdin and prints JSON', () => {
    const { status, out } = cli(['check-plan', '-', '--json'], JSON.stringify(plan));
    expect(status).toBe(1);
    expect(JSON.parse(out).errors[0]).toMatchObject({ rule: 'TS-EC2-3', address: 'aws_instance.web[0]' });
  });

  it('takes a suppressions file, and refuses one without reasons (exit 2, every problem named)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-plan-'));
    try {
      const good = path.join(dir, 'good.json');
      fs.writeFileSync(
        good,
        JSON.stringify(
          ['TS-EC2-3', 'TS-IAM-4', 'TS-SG-2'].map((rule) => ({
            rule,
            address: 'aws_instance.web',
            reason: 'x'.repeat(12),
          })),
        ),
      );
      const withGood = cli(['check-plan', fixture, '--suppressions', good]);
      expect([withGood.status, withGood.out]).toEqual([
        1,
        expect.stringContaining('SUPPRESSED [TS-EC2-3] aws_instance.web[0]'),
      ]);
      const bad = path.join(dir, 'bad.json');
      fs.writeFileSync(bad, JSON.stringify([{ rule: 'TS-NOPE', address: '', reason: 'short' }]));
      const withBad = cli(['check-plan', fixture, '--suppressions', bad]);
      expect(withBad.status).toBe(2);
      expect(withBad.err).toContain(`${bad}[0].rule must be one of the policy rules, got "TS-NOPE"`);
      expect(withBad.err).toContain(`${bad}[0].address must name a resource or module address, got ""`);
      expect(withBad.err).toContain(`${bad}[0].reason must say why, in at least 10 characters, got "short"`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 with one clear line on bad usage or input', () => {
    expect(cli([]).status).toBe(2);
    expect(cli(['lint']).err).toMatch(/^unknown command "lint"/);
    expect(cli(['check-plan']).err).toMatch(/^no plan file given/);
    expect(cli(['check-plan', '/nonexistent/plan.json']).err).toMatch(
      /^check-plan: \/nonexistent\/plan.json: cannot read it/,
    );
    expect(cli(['check-plan', '-'], '{not json').err).toMatch(/^check-plan: <stdin>: not JSON/);
    expect(cli(['check-plan', '-'], '{}').err).toMatch(/^check-plan: not a Terraform plan in JSON/);
    expect(cli(['--help'])).toMatchObject({
      status: 0,
      out: expect.stringContaining('usage: cdktf-traced check-plan'),
    });
  });

  it('never throws on a plan of odd shape', () => {
    const odd = [
      { format_version: '1.2', resource_changes: 'x' },
      { format_version: '1.2', resource_changes: [null, 1, { address: 'aws_sqs_queue.q', change: null }] },
      {
        format_version: '1.2',
        resource_changes: [
          { address: 'aws_sqs_queue.q', type: 'aws_sqs_queue', change: { after: 'x', after_unknown: [true] } },
        ],
      },
      { format_version: '1.2', planned_values: {}, configuration: { provider_config: { aws: { expressions: 'x' } } } },
    ];
    for (const p of odd) expect(() => checkPlan(p)).not.toThrow();
  });
});
