import { alwaysOnCost, planSummary, readable } from '../terraform/plan-summary/summary';
import { StackView } from '../modules';
import { referenceApp } from './support/reference-app';

describe('plan summary', () => {
  let dev: Record<string, unknown>;
  let prod: Record<string, unknown>;

  beforeAll(() => {
    ({ dev, prod } = referenceApp().stacks);
  });

  it('counts resources by type', () => {
    const text = planSummary('dev', dev);
    expect(text).toMatch(/^## Stack dev$/m);
    expect(text).toMatch(/^ {4}2 {2}aws_lambda_function$/m);
    expect(text).toMatch(/^Resources \(\d+\):$/m);
  });

  it('lists every IAM statement with its actions and resources, and managed policies', () => {
    const text = planSummary('dev', dev);
    expect(text).toContain('  role dev-chatbot-role (aws_iam_role.chatbot_role), assumed by lambda.amazonaws.com');
    expect(text).toContain(
      '    Allow bedrock:InvokeAgent on <aws_bedrockagent_agent_alias.agent_alias.agent_alias_arn>',
    );
    expect(text).toContain('    Allow sqs:SendMessage on <aws_sqs_queue.enquiries_queue.arn>');
    expect(text).toContain(
      '    Allow cloudwatch:PutMetricData on * if StringEquals cloudwatch:namespace = ECS/AWSOTel/Application',
    );
    expect(text).toContain(
      '    managed policy arn:<partition>:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
    );
  });

  it('lists every security group rule with its description', () => {
    const text = planSummary('dev', dev);
    expect(text).toContain(
      '  dev-observability-instances (aws_security_group.ecs_security-group)\n    egress tcp/443 to 0.0.0.0/0: HTTPS to the ECS, ECR, SSM, CloudWatch and X-Ray endpoints',
    );
    expect(text).toContain('all rules removed');
  });

  it('shows suppressed findings with their reasons', () => {
    expect(planSummary('dev', dev)).toContain('Suppressed policy findings:\n  (none)');
    const suppressed = {
      ...dev,
      output: { policy_suppressions: { value: ['TS-SQS-2 aws_sqs_queue.legacy: on-premises client, see OPS-42'] } },
    };
    expect(planSummary('dev', suppressed)).toContain(
      'Suppressed policy findings:\n  TS-SQS-2 aws_sqs_queue.legacy: on-premises client, see OPS-42',
    );
  });

  it('estimates the always-on cost: instances, NAT gateways, public IPv4', () => {
    expect(alwaysOnCost(new StackView(dev))).toEqual([
      {
        item: 't2.medium instances (aws_autoscaling_group.ecs_instances, desired at creation)',
        count: 1,
        monthly: 0.0464 * 730,
      },
      { item: 'NAT gateways (before data processing, $0.045/GB)', count: 1, monthly: 0.045 * 730 },
      { item: 'public IPv4 addresses (EIPs)', count: 1, monthly: 0.005 * 730 },
    ]);
    // prod runs a NAT gateway and an address per AZ
    expect(alwaysOnCost(new StackView(prod)).map((c) => c.count)).toEqual([1, 2, 2]);
    expect(planSummary('dev', dev)).toContain('total: about $70.37/month');
  });

  it('makes references readable', () => {
    expect(
      readable(
        'arn:${data.aws_partition.aws-context_partition.partition}:logs:${data.aws_region.aws-context_region.region}:${data.aws_caller_identity.aws-context_account.account_id}:log-group:*',
      ),
    ).toBe('arn:<partition>:logs:<region>:<account>:log-group:*');
  });
});
