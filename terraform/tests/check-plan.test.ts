/**
 * check-plan (modules/policy; the package's `cdktf-traced` bin) on real offline plans:
 * - the saved plans of the dev stack and of the full architecture in HCL (test:tf plans them just
 *   before): no findings;
 * - every published module's example, planned here: no findings;
 * - the seeded foreign stack of the policy tests (__tests__/fixtures/policy/foreign-stack.ts),
 *   planned here: the findings issue 13 asks for, each naming rule, resource and field;
 * - a plain HCL root module with weaknesses written the HCL way (__tests__/fixtures/policy/hcl),
 *   planned here: each reported.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { App } from 'cdktf';
import { ForeignStack } from '../../__tests__/fixtures/policy/foreign-stack';
import { checkPlan, type CheckPlanResult } from '../../modules/policy/check-plan';
import { readSavedPlan } from '../plan-files';
import { openToolchain, planOffline, pool, prepare, type Toolchain } from '../runner';
import { ROOT, moduleExampleUnits, stackZips, type Unit } from '../units';

const CLI = path.join(ROOT, 'modules', 'policy', 'cli.ts');

/** `rule address field` of every error and warning. */
const findings = (r: CheckPlanResult) =>
  [...r.errors, ...r.warnings].map((f) => `${f.rule.id} ${f.resource.address} ${f.field}`);

/** Runs the CLI as a user would; returns its exit status and output. */
function cli(planFile: string): { status: number; out: string } {
  try {
    return {
      status: 0,
      out: execFileSync(process.execPath, ['--import', 'tsx', CLI, 'check-plan', planFile], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    };
  } catch (e) {
    const error = e as { status: number; stdout: string };
    return { status: error.status, out: error.stdout };
  }
}

let tc: Toolchain;
let scratch: string;
before(async () => {
  tc = await openToolchain();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'check-plan-'));
});
after(() => {
  tc?.dispose();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Plans a unit offline; returns the plan JSON's path. */
async function plan(unit: Unit, vars: Record<string, string> = {}): Promise<string> {
  const ws = prepare(tc, unit);
  const planned = await planOffline(tc, ws, { vars, timeoutMs: 240_000 });
  const file = path.join(scratch, `${unit.name.replace(/[^\w.-]+/g, '_')}.json`);
  fs.writeFileSync(file, planned.json);
  return file;
}

describe('check-plan on the saved offline plans', () => {
  for (const name of ['dev', 'full-architecture']) {
    it(`${name}: no findings (the CLI exits 0)`, () => {
      const saved = readSavedPlan(ROOT, name);
      assert.ok(saved, `no saved plan plans/${name}/: run npm run plan:offline -- ${name} first`);
      assert.deepEqual(findings(checkPlan(saved.plan)), []);
      const { status, out } = cli(path.join(saved.dir, 'plan.json'));
      assert.equal(status, 0, out);
      assert.match(out, /^check-plan: 0 error\(s\), 0 warning\(s\), 0 suppressed, \d+ not checked \(\d+ resources\)$/m);
    });
  }
});

describe('check-plan on the published modules’ examples', () => {
  it('every example plans with no findings', async () => {
    const zip = stackZips(ROOT, 'dev').consumer_code;
    assert.ok(zip, 'no function zip in cdktf.out/stacks/dev: run npm run synth first');
    const units = moduleExampleUnits();
    const results = await pool(units, 2, async (unit) => {
      const declared = fs.readFileSync(path.join(ROOT, unit.module, 'main.tf'), 'utf8');
      const needsZip = /variable "zip_path"/.test(declared);
      const withZip: Unit = needsZip ? { ...unit, include: [...(unit.include ?? []), zip] } : unit;
      const vars: Record<string, string> = needsZip
        ? { zip_path: path.relative(path.join(ROOT, unit.module), path.join(ROOT, zip)) }
        : {};
      const result = checkPlan(JSON.parse(fs.readFileSync(await plan(withZip, vars), 'utf8')));
      return `${unit.name}: ${findings(result).join(', ') || 'no findings'} (${result.resources} resources)`;
    });
    assert.equal(results.length, units.length);
    assert.deepEqual(
      results.filter((line) => !/: no findings \(\d+ resources\)$/.test(line)),
      [],
      results.join('\n'),
    );
  });
});

describe('check-plan on the seeded foreign stack', () => {
  it('reports what a plan shows, each finding naming rule, resource and field', async () => {
    const outdir = path.join(scratch, 'foreign');
    // The stack carries PolicyChecks, which fail its synth: write it anyway, as `cdktf synth` would with this set.
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = '1';
    try {
      const app = new App({ outdir });
      new ForeignStack(app, 'foreign', { plannable: true });
      app.synth();
    } finally {
      delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    }
    const file = await plan(
      { name: 'foreign', base: outdir, module: 'stacks/foreign' },
      {
        tracing_mode: 'PassThrough',
        layers: '["arn:aws:lambda:eu-west-1:615299751070:layer:AWSOpenTelemetryDistroJs:15"]',
      },
    );
    const result = checkPlan(JSON.parse(fs.readFileSync(file, 'utf8')));
    assert.deepEqual(findings(result).sort(), [...EXPECTED_IN_PLAN].sort());
    // A policy built with jsonencode() around a reference is known only after apply: not checked here
    // (the synth-time checks read it), and said so.
    const unchecked = result.report.notChecked.map((n) => `${n.rule?.id} ${n.address} ${n.field}`);
    assert.ok(unchecked.includes('TS-IAM-1 aws_iam_policy.jsonencode policy'), unchecked.join('\n'));
    const { status, out } = cli(file);
    assert.equal(status, 1);
    assert.match(
      out,
      /^ERROR \[TS-SG-2\] No inbound traffic from the internet: aws_vpc_security_group_ingress_rule\.low-half cidr_ipv4: ingress from /m,
    );
  });
});

describe('check-plan on a plain HCL root module with the weaknesses written the HCL way', () => {
  it('reports each, naming rule, resource and field; a jsonencode() around a new ARN is said to be unseen', async () => {
    const file = await plan(
      { name: 'hcl-foreign', base: path.join(ROOT, '__tests__', 'fixtures', 'policy'), module: 'hcl' },
      { partner_account: '444455556666' },
    );
    const result = checkPlan(JSON.parse(fs.readFileSync(file, 'utf8')));
    assert.deepEqual(findings(result).sort(), [...EXPECTED_IN_HCL_PLAN].sort());
    assert.deepEqual(
      [...new Set(result.report.notChecked.map((n) => `${n.address} ${n.field}: ${n.reason.split(';')[0]}`))],
      [
        'aws_iam_role_policy.after-apply policy: is known only after apply (it is computed from aws_sqs_queue.jobs.arn)',
      ],
    );
  });
});

/** What check-plan reports on __tests__/fixtures/policy/hcl (each resource there says why). */
const EXPECTED_IN_HCL_PLAN = [
  'TS-IAM-1 aws_iam_policy.merged policy.Statement[0].Action', // S3:* from a source_policy_documents document
  'TS-IAM-4 aws_iam_policy.merged policy.Statement[1].Resource', // s3:GetObject on arn:aws:s3:::*/*
  'TS-IAM-4 aws_iam_policy.merged policy.Statement[2].Resource', // GetSecretValue on secret:*
  'TS-IAM-1 aws_iam_user_policy.ops policy.Statement[0].Action', // var.extra_actions default s3:*
  'TS-IAM-2 aws_iam_user_policy.ops policy.Statement[0].Resource', // a list mixing an ARN and "*"
  'TS-IAM-4 aws_iam_user_policy.ops policy.Statement[0].Resource',
  'TS-IAM-1 aws_iam_user_policy.ops policy.Statement[1].NotAction',
  'TS-IAM-2 aws_iam_user_policy.ops policy.Statement[1].Resource',
  'TS-IAM-4 aws_iam_user_policy.ops policy.Statement[1].Resource',
  'TS-IAM-1 aws_iam_group_policy.admins policy.Statement[0].Action', // iam:*Role*
  'TS-IAM-2 aws_iam_group_policy.admins policy.Statement[0].Resource',
  'TS-IAM-5 aws_iam_group_policy.admins policy.Statement[0].Resource', // iam:PassRole on *
  'TS-IAM-3 aws_iam_role.worker managed_policy_arns[0]', // AWSLambda_FullAccess
  'TS-IAM-4 aws_iam_role.worker inline_policy[0].policy.Statement[0].Resource', // kms:Decrypt on key/*
  'TS-IAM-6 aws_iam_role.worker assume_role_policy.Statement[0].Principal', // another account, a condition that restricts nothing
  'TS-IAM-6 aws_iam_role.deploy assume_role_policy.Statement[0].Principal', // GitHub OIDC with :aud only
  'TS-SQS-2 aws_sqs_queue.jobs policy', // no TLS-only statement
  'TS-SQS-6 aws_sqs_queue_policy.jobs policy.Statement[0].Principal', // "*" if aws:SourceArn is any topic anywhere
  'TS-SNS-1 aws_sns_topic_policy.events policy.Statement[0].Principal', // "*" unless StringNotEquals...
  'TS-S3-1 aws_s3_bucket_policy.data policy.Statement[0].Principal', // "*" from a SourceIp of the whole internet
  'TS-SG-2 aws_security_group.bastion ingress[0].ipv6_cidr_blocks', // 2000::/4 + 3000::/4
  'TS-SG-2 aws_vpc_security_group_ingress_rule.ssh["0.0.0.0/1"] cidr_ipv4', // for_each over a variable default
  'TS-SG-2 aws_vpc_security_group_ingress_rule.ssh["128.0.0.0/1"] cidr_ipv4',
];

/** What check-plan reports on the planned foreign stack (the synth-time list, less what only the source shows). */
const EXPECTED_IN_PLAN = [
  'TS-LAMBDA-1 aws_lambda_function.team_untraced_4DA345D6 tracing_config.mode', // an Aspect on a child scope
  'TS-LAMBDA-1 aws_lambda_function.configurable tracing_config.mode', // var.tracing_mode = PassThrough at plan
  'TS-LAMBDA-6 aws_lambda_permission.public-invoke principal',
  'TS-LAMBDA-7 aws_lambda_function_url.public-url authorization_type',
  'TS-SQS-1 aws_sqs_queue.late-aspect sqs_managed_sse_enabled', // an Aspect added after the checks
  'TS-SQS-1 aws_sqs_queue.overridden sqs_managed_sse_enabled', // addOverride
  'TS-SQS-1 aws_sqs_queue.stack-overridden sqs_managed_sse_enabled',
  'TS-SQS-2 aws_sqs_queue.legacy policy', // suppressed at synth; a plan needs its own suppression file
  'TS-SQS-2 aws_sqs_queue.sloppy policy',
  'TS-SQS-6 aws_sqs_queue_policy.public-queue-send policy.Statement[0].Principal',
  'TS-SNS-1 aws_sns_topic_policy.public-topic policy.Statement[0].Principal',
  'TS-S3-1 aws_s3_bucket_policy.public-bucket policy.Statement[0].Principal',
  'TS-APIGW-6 aws_apigatewayv2_route.open-route authorization_type',
  'TS-APIGW-7 aws_api_gateway_rest_api.openapi body.paths["/orders"].get.security',
  'TS-EC2-3 aws_instance.public-instance associate_public_ip_address',
  'TS-ECS-5 aws_ecs_task_definition.task container_definitions[app].linuxParameters.capabilities.add',
  'TS-ECS-6 aws_ecs_task_definition.task pid_mode',
  'TS-ECS-6 aws_ecs_task_definition.task ipc_mode',
  'TS-ECS-7 aws_ecs_task_definition.task container_definitions[app].logConfiguration.options.awslogs-create-group',
  'TS-IAM-1 aws_iam_policy.not-action policy.Statement[0].NotAction',
  'TS-IAM-1 aws_iam_policy.sensitive-reads policy.Statement[1].Action',
  'TS-IAM-1 aws_iam_policy.uppercase-service policy.Statement[0].Action',
  'TS-IAM-1 aws_iam_policy.wildcard-in-action policy.Statement[0].Action',
  'TS-IAM-1 aws_iam_role_policy.merged-policy policy.Statement[2].Action',
  'TS-IAM-1 aws_iam_user_policy.user-policy policy.Statement[0].Action',
  'TS-IAM-1 aws_iam_group_policy.group-policy policy.Statement[0].Action',
  'TS-IAM-1 aws_iam_role.inline-role inline_policy[0].policy.Statement[0].Action',
  'TS-IAM-2 aws_iam_policy.not-resource policy.Statement[0].Resource',
  'TS-IAM-2 aws_iam_policy.wildcard-arn policy.Statement[0].Resource',
  'TS-IAM-2 aws_iam_policy.wildcard-in-action policy.Statement[0].Resource',
  'TS-IAM-2 aws_iam_role_policy.merged-policy policy.Statement[0].Resource',
  'TS-IAM-2 aws_iam_user_policy.user-policy policy.Statement[0].Resource',
  'TS-IAM-2 aws_iam_group_policy.group-policy policy.Statement[0].Resource',
  'TS-IAM-2 aws_iam_role.inline-role inline_policy[0].policy.Statement[0].Resource',
  'TS-IAM-3 aws_iam_role_policy_attachment.role-sqs policy_arn',
  'TS-IAM-3 aws_iam_user_policy_attachment.user-amplify policy_arn',
  'TS-IAM-3 aws_iam_group_policy_attachment.group-lambda policy_arn',
  'TS-IAM-3 aws_iam_role.inline-role managed_policy_arns[0]',
  'TS-IAM-4 aws_iam_policy.sensitive-reads policy.Statement[0].Resource',
  'TS-IAM-4 aws_iam_policy.sensitive-reads policy.Statement[1].Resource',
  'TS-IAM-4 aws_iam_group_policy.group-policy policy.Statement[0].Resource',
  'TS-IAM-5 aws_iam_policy.passrole policy.Statement[0].Resource',
  'TS-IAM-5 aws_iam_policy.wildcard-in-action policy.Statement[0].Resource',
  'TS-IAM-6 aws_iam_role.anyone-role assume_role_policy.Statement[0].Principal',
  'TS-IAM-6 aws_iam_role.partner-role assume_role_policy.Statement[0].Principal',
  'TS-SG-2 aws_security_group.dynamic-sg ingress[0].cidr_blocks', // a dynamic block, expanded by terraform
  'TS-SG-2 aws_security_group.variable-sg ingress[0].cidr_blocks', // the variable's value
  'TS-SG-2 aws_vpc_security_group_ingress_rule.high-half cidr_ipv4', // split CIDRs
  'TS-SG-2 aws_vpc_security_group_ingress_rule.low-half cidr_ipv4',
  'TS-SECRET-1 aws_lambda_function.leaky environment.variables.DB_PASSWORD',
  'TS-SECRET-1 aws_ssm_parameter.api-token value',
];
