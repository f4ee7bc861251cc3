import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES, StackView, parseJsonencode, type PolicyRule } from '../modules';

type Json = Record<string, unknown>;
type Blocks = {
  resource?: Record<string, Record<string, Json>>;
  data?: Record<string, Record<string, Json>>;
  provider?: Record<string, Json[]>;
};

/** Runs one rule over every resource of its types in a small synthesized stack; returns the failures. */
function run(ruleId: string, blocks: Blocks): string[] {
  const rule = ALL_RULES.find((r) => r.id === ruleId) as PolicyRule;
  const view = new StackView(blocks as Json);
  return view.resources.filter((r) => rule.appliesTo.includes(r.type)).flatMap((r) => rule.check(r, view) ?? []);
}

const fn = (attrs: Json = {}): Json => ({
  function_name: 'orders',
  timeout: 10,
  tracing_config: { mode: 'Active' },
  reserved_concurrent_executions: 5,
  architectures: ['x86_64'],
  layers: ['arn:aws:lambda:us-west-2:615299751070:layer:AWSOpenTelemetryDistroJs:15'],
  environment: { variables: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument' } },
  ...attrs,
});
const provider = { aws: [{ region: 'us-west-2', default_tags: [{ tags: { project: 'p' } }] }] };
const logGroup = (retention?: number) => ({
  aws_cloudwatch_log_group: {
    logs: { name: '/aws/lambda/orders', ...(retention ? { retention_in_days: retention } : {}) },
  },
});
const doc = (statement: Json[]) => ({ aws_iam_policy_document: { d: { statement } } });
const queue = (attrs: Json = {}) => ({
  aws_sqs_queue: {
    q: { sqs_managed_sse_enabled: true, visibility_timeout_seconds: 60, redrive_policy: '${jsonencode({})}', ...attrs },
  },
});
const mapping = (attrs: Json = {}) => ({
  aws_lambda_event_source_mapping: {
    m: {
      event_source_arn: '${aws_sqs_queue.q.arn}',
      function_name: '${aws_lambda_function.f.arn}',
      function_response_types: ['ReportBatchItemFailures'],
      ...attrs,
    },
  },
});
const containers = (list: Json[]) => ({
  aws_ecs_task_definition: { t: { container_definitions: JSON.stringify(list) } },
});
const goodContainer = { name: 'c', image: 'repo/image:v1.2.3', logConfiguration: { logDriver: 'awslogs' } };

/** For every rule: a stack where it passes and one where it fails, and what the failure says. */
const cases: Record<string, { pass: Blocks; fail: Blocks; says: RegExp }> = {
  'TS-LAMBDA-1': {
    pass: { resource: { aws_lambda_function: { f: fn() } } },
    fail: { resource: { aws_lambda_function: { f: fn({ tracing_config: { mode: 'PassThrough' } }) } } },
    says: /not "Active"/,
  },
  'TS-LAMBDA-2': {
    pass: { resource: { aws_lambda_function: { f: fn() } } },
    fail: { resource: { aws_lambda_function: { f: fn({ reserved_concurrent_executions: undefined }) } } },
    says: /not set/,
  },
  'TS-LAMBDA-3': {
    pass: { resource: { aws_lambda_function: { f: fn() }, ...logGroup(30) } },
    fail: { resource: { aws_lambda_function: { f: fn() } } },
    says: /no aws_cloudwatch_log_group named \/aws\/lambda\/orders/,
  },
  'TS-LAMBDA-4': {
    pass: { provider, resource: { aws_lambda_function: { f: fn() } } },
    fail: {
      provider,
      resource: {
        aws_lambda_function: {
          f: fn({ environment: { variables: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-handler' } } }),
        },
      },
    },
    says: /needs AWS_LAMBDA_EXEC_WRAPPER=\/opt\/otel-instrument/,
  },
  'TS-LAMBDA-5': {
    pass: {
      resource: {
        aws_lambda_permission: {
          p: { principal: 'apigateway.amazonaws.com', source_arn: 'arn:aws:execute-api:us-west-2:1:a/*/POST/chat' },
        },
      },
    },
    fail: { resource: { aws_lambda_permission: { p: { principal: 'apigateway.amazonaws.com' } } } },
    says: /source_arn is not set/,
  },
  'TS-LOGS-1': { pass: { resource: logGroup(30) }, fail: { resource: logGroup() }, says: /kept forever/ },
  'TS-SQS-1': {
    pass: { resource: queue() },
    fail: { resource: queue({ sqs_managed_sse_enabled: false }) },
    says: /neither/,
  },
  'TS-SQS-2': {
    pass: {
      resource: {
        ...queue(),
        aws_sqs_queue_policy: {
          p: { queue_url: '${aws_sqs_queue.q.url}', policy: '${data.aws_iam_policy_document.d.json}' },
        },
      },
      data: doc([
        {
          effect: 'Deny',
          actions: ['sqs:*'],
          resources: ['${aws_sqs_queue.q.arn}'],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ]),
    },
    fail: { resource: queue() },
    says: /no queue policy denies/,
  },
  'TS-SQS-3': {
    pass: { resource: { ...queue(), ...mapping() } },
    fail: { resource: { ...queue({ redrive_policy: undefined }), ...mapping() } },
    says: /no redrive_policy/,
  },
  'TS-SQS-4': {
    pass: { resource: { ...queue(), ...mapping(), aws_lambda_function: { f: fn() } } },
    fail: {
      resource: { ...queue({ visibility_timeout_seconds: 30 }), ...mapping(), aws_lambda_function: { f: fn() } },
    },
    says: /visibility 30 s < 60 s/,
  },
  'TS-SQS-5': {
    pass: { resource: mapping() },
    fail: { resource: mapping({ function_response_types: undefined }) },
    says: /ReportBatchItemFailures/,
  },
  'TS-APIGW-1': {
    pass: { resource: { aws_api_gateway_stage: { s: { xray_tracing_enabled: true } } } },
    fail: { resource: { aws_api_gateway_stage: { s: {} } } },
    says: /not true/,
  },
  'TS-APIGW-2': {
    pass: {
      resource: { aws_api_gateway_stage: { s: { access_log_settings: { destination_arn: 'arn', format: '{}' } } } },
    },
    fail: { resource: { aws_api_gateway_stage: { s: {} } } },
    says: /access_log_settings/,
  },
  'TS-APIGW-3': {
    pass: {
      resource: {
        aws_api_gateway_stage: { s: { stage_name: 'prod' } },
        aws_api_gateway_method_settings: {
          m: { stage_name: '${aws_api_gateway_stage.s.stage_name}', settings: { metrics_enabled: true } },
        },
      },
    },
    fail: { resource: { aws_api_gateway_stage: { s: { stage_name: 'prod' } } } },
    says: /metrics/,
  },
  'TS-APIGW-4': {
    pass: {
      resource: {
        aws_api_gateway_method: { m: { http_method: 'GET', authorization: 'NONE', api_key_required: true } },
      },
    },
    fail: { resource: { aws_api_gateway_method: { m: { http_method: 'GET', authorization: 'NONE' } } } },
    says: /open to anyone/,
  },
  'TS-APIGW-5': {
    pass: {
      resource: {
        aws_api_gateway_method: {
          m: { http_method: 'POST', request_validator_id: '${aws_api_gateway_request_validator.v.id}' },
        },
      },
    },
    fail: { resource: { aws_api_gateway_method: { m: { http_method: 'POST' } } } },
    says: /no request validator/,
  },
  'TS-EC2-1': {
    pass: { resource: { aws_launch_template: { l: { metadata_options: { http_tokens: 'required' } } } } },
    fail: { resource: { aws_launch_template: { l: { metadata_options: { http_tokens: 'optional' } } } } },
    says: /required/,
  },
  'TS-EC2-2': {
    pass: {
      resource: {
        aws_launch_template: {
          l: { block_device_mappings: [{ device_name: '/dev/xvda', ebs: { encrypted: 'true' } }] },
        },
      },
    },
    fail: {
      resource: {
        aws_launch_template: {
          l: { block_device_mappings: [{ device_name: '/dev/xvda', ebs: { encrypted: 'false' } }] },
        },
      },
    },
    says: /unencrypted volumes: \/dev\/xvda/,
  },
  'TS-EC2-3': {
    pass: {
      resource: { aws_launch_template: { l: { network_interfaces: [{ associate_public_ip_address: 'false' }] } } },
    },
    fail: {
      resource: { aws_launch_template: { l: { network_interfaces: [{ associate_public_ip_address: 'true' }] } } },
    },
    says: /public IP/,
  },
  'TS-ECS-1': {
    pass: { resource: { aws_ecs_cluster: { c: { setting: [{ name: 'containerInsights', value: 'enabled' }] } } } },
    fail: { resource: { aws_ecs_cluster: { c: {} } } },
    says: /not enabled/,
  },
  'TS-ECS-2': {
    pass: { resource: containers([goodContainer]) },
    fail: { resource: containers([{ ...goodContainer, privileged: true }]) },
    says: /container c is privileged/,
  },
  'TS-ECS-3': {
    pass: { resource: containers([goodContainer]) },
    fail: { resource: containers([{ name: 'c', image: 'a:1' }]) },
    says: /no logConfiguration/,
  },
  'TS-ECS-4': {
    pass: { resource: containers([goodContainer]) },
    fail: { resource: containers([{ ...goodContainer, image: 'nginx:latest' }]) },
    says: /nginx:latest is not pinned/,
  },
  'TS-IAM-1': {
    pass: {
      data: doc([
        { effect: 'Deny', actions: ['sqs:*'], resources: ['*'] },
        { effect: 'Allow', actions: ['sqs:SendMessage'], resources: ['arn:q'] },
      ]),
    },
    fail: { data: doc([{ effect: 'Allow', actions: ['s3:*'], resources: ['arn:b'] }]) },
    says: /allows s3:\*/,
  },
  'TS-IAM-2': {
    pass: {
      data: doc([{ effect: 'Allow', actions: ['xray:PutTraceSegments', 'ec2:DescribeTags'], resources: ['*'] }]),
    },
    fail: { data: doc([{ effect: 'Allow', actions: ['sqs:SendMessage', 'xray:PutTraceSegments'], resources: ['*'] }]) },
    says: /allows sqs:SendMessage on "\*"/,
  },
  'TS-IAM-3': {
    pass: {
      resource: {
        aws_iam_role_policy_attachment: {
          a: { policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' },
        },
      },
    },
    fail: {
      resource: {
        aws_iam_role_policy_attachment: { a: { policy_arn: 'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess' } },
      },
    },
    says: /CloudWatchLogsFullAccess/,
  },
  'TS-VPC-1': {
    pass: { resource: { aws_vpc: { v: {} }, aws_flow_log: { f: { vpc_id: '${aws_vpc.v.id}' } } } },
    fail: { resource: { aws_vpc: { v: {} } } },
    says: /no aws_flow_log/,
  },
  'TS-VPC-2': {
    pass: { resource: { aws_default_security_group: { d: {} } } },
    fail: { resource: { aws_default_security_group: { d: { ingress: [{ self: true }] } } } },
    says: /1 rule/,
  },
  'TS-SG-1': {
    pass: {
      resource: { aws_vpc_security_group_egress_rule: { e: { description: 'HTTPS out', cidr_ipv4: '0.0.0.0/0' } } },
    },
    fail: { resource: { aws_security_group: { g: { egress: [{ cidr_blocks: ['0.0.0.0/0'] }] } } } },
    says: /without a description/,
  },
  'TS-SG-2': {
    pass: {
      resource: { aws_vpc_security_group_ingress_rule: { i: { description: 'VPC', cidr_ipv4: '10.0.0.0/16' } } },
    },
    fail: { resource: { aws_vpc_security_group_ingress_rule: { i: { description: 'all', cidr_ipv4: '0.0.0.0/0' } } } },
    says: /open to the internet/,
  },
  'TS-TAGS-1': { pass: { provider }, fail: { provider: { aws: [{ region: 'us-west-2' }] } }, says: /no default_tags/ },
  'TS-XRAY-1': {
    pass: { resource: { aws_xray_sampling_rule: { a: { priority: 1 }, b: { priority: 2 } } } },
    fail: { resource: { aws_xray_sampling_rule: { a: { priority: 1 }, b: { priority: 1 } } } },
    says: /priority 1 is shared with aws_xray_sampling_rule.b/,
  },
};

describe('policy rules', () => {
  it('each has a case here, and an entry in the README rules table', () => {
    expect(Object.keys(cases).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
    const readme = fs.readFileSync(path.join(__dirname, '..', 'modules', 'policy', 'README.md'), 'utf8');
    for (const rule of ALL_RULES) expect(readme).toMatch(new RegExp(`\\| ${rule.id} +\\|`));
  });

  it('number as many as docs/security.md says', () => {
    const security = fs.readFileSync(path.join(__dirname, '..', 'docs', 'security.md'), 'utf8');
    expect(security).toContain(`a cdktf Aspect with ${ALL_RULES.length} rules`);
  });

  it('have unique ids, a fix and a severity', () => {
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
    for (const r of ALL_RULES)
      expect([r.fix.length > 10, ['error', 'warning'].includes(r.severity)]).toEqual([true, true]);
  });

  describe.each(Object.entries(cases))('%s', (id, c) => {
    it('passes a compliant resource', () => {
      expect(run(id, c.pass)).toEqual([]);
    });
    it('fails a non-compliant one, saying what is wrong', () => {
      const failures = run(id, c.fail);
      expect(failures.length).toBeGreaterThan(0);
      expect(failures[0]).toMatch(c.says);
    });
  });
});

describe('parseJsonencode', () => {
  it('reads back cdktf jsonencode() expressions with references', () => {
    expect(
      parseJsonencode(
        '${jsonencode([{"name" = "c", "n" = 1, "ok" = true, "group" = aws_cloudwatch_log_group.x.name, "list" = ["a", "b"]}])}',
      ),
    ).toEqual([{ name: 'c', n: 1, ok: true, group: '${aws_cloudwatch_log_group.x.name}', list: ['a', 'b'] }]);
    expect(parseJsonencode('[{"name":"c"}]')).toEqual([{ name: 'c' }]);
    expect(parseJsonencode('${var.x}')).toBeUndefined();
  });
});
