/**
 * The offline plans `npm run plan:offline -- dev full-architecture` saved (test:tf runs it just
 * before), and the review summary of the real dev plan.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ANSWERED, STAND_IN_ACCOUNT } from '../aws-stand-in';
import { readSavedPlan, type SavedPlanFiles } from '../plan-files';
import { planReview } from '../plan-summary/from-plan';
import { planSource } from '../plan-summary/sources';
import { renderReview } from '../plan-summary/summary';
import { FULL_ARCHITECTURE, ROOT, fullArchitectureUnit, sourceDigest, stackUnits } from '../units';

type Json = Record<string, unknown>;

function saved(name: string): SavedPlanFiles {
  const plan = readSavedPlan(ROOT, name);
  assert.ok(plan, `no saved plan plans/${name}/: run npm run plan:offline -- ${name} first`);
  return plan;
}

function managedActions(plan: Json): string[] {
  return ((plan.resource_changes as Json[]) ?? [])
    .filter((r) => r.mode === 'managed')
    .map((r) => ((r.change as Json).actions as string[]).join('+'));
}

describe('offline plan of the dev stack', () => {
  const dev = saved('dev');
  const synthesized = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'cdktf.out', 'stacks', 'dev', 'cdk.tf.json'), 'utf8'),
  ) as { resource: Record<string, Record<string, unknown>> };
  const resourceCount = Object.values(synthesized.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);

  it('is a plan of the current synth', () => {
    const unit = stackUnits(path.join(ROOT, 'cdktf.out')).find((u) => u.name === 'stack dev');
    assert.ok(unit);
    assert.equal(dev.meta.source.digest, sourceDigest(unit));
    assert.equal(dev.plan.errored, false);
  });

  it('creates every synthesized resource, and nothing else', () => {
    const actions = managedActions(dev.plan);
    assert.equal(actions.length, resourceCount);
    assert.deepEqual([...new Set(actions)], ['create']);
  });

  it('read AWS only through the three calls the stand-in answers', () => {
    const calls = new Set(dev.meta.awsCalls.map((c) => c.replace(/ \(.*\)$/, '')));
    assert.deepEqual([...calls].sort(), [...ANSWERED].sort());
  });

  it('summary: resources by action, from the real plan', () => {
    const text = renderReview(planReview('Stack dev', dev.plan, planSource(dev)));
    assert.match(text, /^From the offline plan plans\/dev\/plan\.json: terraform \d+\.\d+\.\d+, /m);
    assert.ok(text.includes(`Resources by action (${resourceCount} managed, `), text);
    assert.ok(text.includes(`  create: ${resourceCount}\n`));
    assert.match(text, /^ {4} {2}2 {2}aws_lambda_function$/m);
  });

  it('summary: IAM statements with the ARNs resolved as far as the plan knows them', () => {
    const text = renderReview(planReview('Stack dev', dev.plan, planSource(dev)));
    const lines = text.split('\n');
    assert.ok(lines.includes('  role dev-chatbot-role (aws_iam_role.chatbot_role), assumed by lambda.amazonaws.com'));
    // Lambda's VPC access in the form the Lambda guide documents (AWSLambdaVPCAccessExecutionRole's actions)
    assert.ok(
      lines.includes(
        '    Allow ec2:UnassignPrivateIpAddresses, ec2:DescribeSubnets, ec2:DescribeNetworkInterfaces, ec2:DeleteNetworkInterface, ec2:CreateNetworkInterface, ec2:AssignPrivateIpAddresses on *',
      ),
      text,
    );
    assert.ok(lines.includes('    Allow sqs:SendMessage on <aws_sqs_queue.enquiries_queue.arn>'));
    // partition, region and account come from the plan's reads (the stand-in's account)
    assert.ok(
      lines.includes(`    Allow logs:DescribeLogGroups on arn:aws:logs:us-west-2:${STAND_IN_ACCOUNT}:log-group:*`),
    );
    assert.ok(
      lines.includes(
        '    Allow cloudwatch:PutMetricData on * if StringEquals cloudwatch:namespace = ECS/AWSOTel/Application',
      ),
    );
    assert.ok(
      lines.includes('    managed policy arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'),
    );
    // every data source this stack reads is known at plan: no unresolved data reference is left
    assert.doesNotMatch(text, /<data\./);
  });

  it('summary: security group rules, suppressions and cost in the named region', () => {
    const text = renderReview(planReview('Stack dev', dev.plan, planSource(dev)));
    assert.ok(
      text.includes(
        '  dev-observability-instances (aws_security_group.ecs_security-group)\n    egress tcp/443 to 0.0.0.0/0: HTTPS to the ECS, ECR, SSM, CloudWatch and X-Ray endpoints',
      ),
    );
    assert.ok(
      text.includes(
        'default security group (aws_default_security_group.network_default-security-group): all rules removed',
      ),
    );
    assert.ok(text.includes('Suppressed policy findings:\n  (none)'));
    assert.ok(text.includes("Always-on cost, rough (730 h/month, on-demand prices of us-west-2, the stack's region):"));
    assert.ok(
      text.includes(
        '    1 x t2.medium instances (aws_autoscaling_group.ecs_instances, desired at creation): $33.87/month',
      ),
    );
  });
});

describe('offline plan of the account-level stack', () => {
  it("creates API Gateway's CloudWatch role and sets it on the account; dev, which logs through it, creates neither", () => {
    const account = saved('account-us-west-2');
    assert.equal(account.plan.errored, false);
    const created = ((account.plan.resource_changes as Json[]) ?? [])
      .filter((r) => r.mode === 'managed')
      .map((r) => [r.address, ((r.change as Json).actions as string[]).join('+')]);
    assert.deepEqual(created.sort(), [
      ['aws_api_gateway_account.apigateway-logs_setting', 'create'],
      ['aws_iam_role.apigateway-logs_role', 'create'],
      ['aws_iam_role_policy.apigateway-logs_role_policy', 'create'],
    ]);
    const role = ((account.plan.resource_changes as Json[]) ?? []).find(
      (r) => r.address === 'aws_iam_role.apigateway-logs_role',
    );
    assert.equal(((role?.change as Json).after as Json).name, 'traced-chatbot-apigw-logs-us-west-2');
    // Destroying dev takes nothing prod logs through: dev's plan has no account setting and no such role.
    const dev = saved('dev');
    const types = ((dev.plan.resource_changes as Json[]) ?? []).map((r) => r.type);
    assert.ok(!types.includes('aws_api_gateway_account'));
    assert.ok(types.includes('aws_api_gateway_stage'));
  });
});

describe('offline plan of examples/terraform-full-architecture with the built modules', () => {
  const full = saved(FULL_ARCHITECTURE);

  it('is a plan of the current example and modules', () => {
    assert.equal(full.meta.source.digest, sourceDigest(fullArchitectureUnit()));
    assert.equal(full.plan.errored, false);
  });

  it('creates the architecture through every published module', () => {
    const actions = managedActions(full.plan);
    assert.ok(actions.length > 50, `only ${actions.length} resources`);
    assert.deepEqual([...new Set(actions)], ['create']);
    const modules = new Set(
      ((full.plan.resource_changes as Json[]) ?? []).map((r) => /^module\.([\w-]+)\./.exec(String(r.address))?.[1]),
    );
    for (const m of ['network', 'cluster', 'collector', 'consumer', 'enquiries', 'chatbot', 'api', 'sampling'])
      assert.ok(modules.has(m), `no resources of module.${m}`);
  });

  it('summary: the chatbot grant the example adds, resolved', () => {
    const text = renderReview(planReview(FULL_ARCHITECTURE, full.plan, planSource(full)));
    assert.ok(
      text.includes(
        `    Allow bedrock:InvokeAgent on arn:aws:bedrock:us-west-2:${STAND_IN_ACCOUNT}:agent-alias/AGENTSTAND/ALIASSTAND`,
      ),
      text,
    );
    assert.ok(text.includes('    Allow sqs:SendMessage on <after apply: module.enquiries.queue_arn>'));
  });
});
