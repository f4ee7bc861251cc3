import { ALL_RULES, StackView, evaluate, type PolicyRule } from '../modules';

type Json = Record<string, unknown>;
type Blocks = {
  resource?: Record<string, Record<string, Json>>;
  data?: Record<string, Record<string, Json>>;
  provider?: Record<string, Json[]>;
  variable?: Record<string, Json>;
};

const ruleById = (id: string) => ALL_RULES.find((r) => r.id === id) as PolicyRule;

/** Runs one rule over a small configuration: its findings ("field: detail") and not-checked fields. */
function run(ruleId: string, blocks: Blocks) {
  const view = new StackView(blocks as Json);
  const rule = ruleById(ruleId);
  // a case must hold something the rule looks at, or it passes for nothing
  expect(view.resources.filter((r) => r.kind !== 'data' && rule.appliesTo.includes(r.type)).length).toBeGreaterThan(0);
  const report = evaluate(view, [rule]);
  return {
    failures: report.findings.map((f) => `${f.field}: ${f.detail}`),
    failed: report.findings.filter((f) => f.ruleFailed),
    notChecked: report.notChecked.map((n) => `${n.field}: ${n.reason}`),
  };
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
const logGroup = (retention?: unknown) => ({
  aws_cloudwatch_log_group: {
    logs: { name: '/aws/lambda/orders', ...(retention !== undefined ? { retention_in_days: retention } : {}) },
  },
});
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
const containers = (list: Json[] | string, attrs: Json = {}) => ({
  aws_ecs_task_definition: {
    t: { container_definitions: typeof list === 'string' ? list : JSON.stringify(list), ...attrs },
  },
});
const goodContainer = { name: 'c', image: 'repo/image:v1.2.3', logConfiguration: { logDriver: 'awslogs' } };
const policyJson = (...statements: Json[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const iamPolicy = (policy: unknown) => ({ aws_iam_policy: { p: { name: 'p', policy } } });
const trust = (statement: Json): Blocks => ({
  resource: { aws_iam_role: { r: { name: 'r', assume_role_policy: policyJson(statement) } } },
});
const tls = {
  Effect: 'Deny',
  Principal: '*',
  Action: 'sqs:*',
  Resource: '${aws_sqs_queue.q.arn}',
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};
/** A variable with no default: its value is not known at synth. */
const unknownVar = { x: { type: 'string' } };

interface Case {
  pass: Blocks;
  fail: Blocks;
  /** The field the finding names, and what it says. */
  field: string;
  says: RegExp;
  /** A configuration where the deciding value is `${var.x}` with no default: reported "not checked". */
  unknown: Blocks;
}

/** For every rule: a passing and a failing configuration, and one it cannot judge (`${var.x}`). */
const cases: Record<string, Case> = {
  'TS-LAMBDA-1': {
    pass: { resource: { aws_lambda_function: { f: fn() } } },
    fail: { resource: { aws_lambda_function: { f: fn({ tracing_config: { mode: 'PassThrough' } }) } } },
    field: 'tracing_config.mode',
    says: /not "Active"/,
    unknown: {
      variable: unknownVar,
      resource: { aws_lambda_function: { f: fn({ tracing_config: { mode: '${var.x}' } }) } },
    },
  },
  'TS-LAMBDA-2': {
    pass: { resource: { aws_lambda_function: { f: fn() } } },
    fail: { resource: { aws_lambda_function: { f: fn({ reserved_concurrent_executions: undefined }) } } },
    field: 'reserved_concurrent_executions',
    says: /not set/,
    unknown: {
      variable: unknownVar,
      resource: { aws_lambda_function: { f: fn({ reserved_concurrent_executions: '${var.x}' }) } },
    },
  },
  'TS-LAMBDA-3': {
    pass: { resource: { aws_lambda_function: { f: fn() }, ...logGroup(30) } },
    fail: { resource: { aws_lambda_function: { f: fn() } } },
    field: 'function_name',
    says: /no aws_cloudwatch_log_group named \/aws\/lambda\/orders/,
    unknown: { variable: unknownVar, resource: { aws_lambda_function: { f: fn() }, ...logGroup('${var.x}') } },
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
    field: 'layers',
    says: /needs AWS_LAMBDA_EXEC_WRAPPER=\/opt\/otel-instrument/,
    // issue 13: `layers = var.listValue` ended the synth with a TypeError in this rule
    unknown: {
      provider,
      variable: { listValue: { type: 'list(string)' } },
      resource: { aws_lambda_function: { f: fn({ layers: '${var.listValue}' }) } },
    },
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
    field: 'source_arn',
    says: /source_arn is not set/,
    unknown: { variable: unknownVar, resource: { aws_lambda_permission: { p: { principal: '${var.x}' } } } },
  },
  'TS-LAMBDA-6': {
    pass: {
      resource: { aws_lambda_permission: { p: { principal: 's3.amazonaws.com', source_arn: 'arn:aws:s3:::b' } } },
    },
    fail: { resource: { aws_lambda_permission: { p: { principal: '*', function_url_auth_type: 'NONE' } } } },
    field: 'principal',
    says: /anyone on the internet can invoke/,
    unknown: { variable: unknownVar, resource: { aws_lambda_permission: { p: { principal: '${var.x}' } } } },
  },
  'TS-LAMBDA-7': {
    pass: { resource: { aws_lambda_function_url: { u: { function_name: 'f', authorization_type: 'AWS_IAM' } } } },
    fail: { resource: { aws_lambda_function_url: { u: { function_name: 'f', authorization_type: 'NONE' } } } },
    field: 'authorization_type',
    says: /public/,
    unknown: { variable: unknownVar, resource: { aws_lambda_function_url: { u: { authorization_type: '${var.x}' } } } },
  },
  'TS-LOGS-1': {
    pass: { resource: logGroup(30) },
    fail: { resource: logGroup() },
    field: 'retention_in_days',
    says: /kept forever/,
    unknown: { variable: unknownVar, resource: logGroup('${var.x}') },
  },
  'TS-SQS-1': {
    pass: { resource: queue() },
    fail: { resource: queue({ sqs_managed_sse_enabled: false }) },
    field: 'sqs_managed_sse_enabled',
    says: /neither/,
    unknown: { variable: unknownVar, resource: queue({ sqs_managed_sse_enabled: '${var.x}' }) },
  },
  'TS-SQS-2': {
    pass: {
      resource: {
        ...queue(),
        aws_sqs_queue_policy: {
          p: { queue_url: '${aws_sqs_queue.q.url}', policy: '${data.aws_iam_policy_document.d.json}' },
        },
      },
      data: {
        aws_iam_policy_document: {
          d: {
            statement: [
              {
                effect: 'Deny',
                actions: ['sqs:*'],
                resources: ['${aws_sqs_queue.q.arn}'],
                condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
              },
            ],
          },
        },
      },
    },
    fail: { resource: queue() },
    field: 'policy',
    says: /no queue policy denies/,
    unknown: {
      variable: unknownVar,
      resource: {
        ...queue(),
        aws_sqs_queue_policy: { p: { queue_url: '${aws_sqs_queue.q.url}', policy: '${var.x}' } },
      },
    },
  },
  'TS-SQS-3': {
    pass: { resource: { ...queue(), ...mapping() } },
    fail: { resource: { ...queue({ redrive_policy: undefined }), ...mapping() } },
    field: 'event_source_arn',
    says: /no redrive_policy/,
    // a mapping whose queue is a variable: not one of this configuration's queues, so not applicable
    unknown: {
      variable: unknownVar,
      resource: { ...queue({ redrive_policy: undefined }), ...mapping({ event_source_arn: '${var.x}' }) },
    },
  },
  'TS-SQS-4': {
    pass: { resource: { ...queue(), ...mapping(), aws_lambda_function: { f: fn() } } },
    fail: {
      resource: { ...queue({ visibility_timeout_seconds: 30 }), ...mapping(), aws_lambda_function: { f: fn() } },
    },
    field: 'event_source_arn',
    says: /visibility 30 s < 60 s/,
    unknown: {
      variable: unknownVar,
      resource: {
        ...queue({ visibility_timeout_seconds: '${var.x}' }),
        ...mapping(),
        aws_lambda_function: { f: fn() },
      },
    },
  },
  'TS-SQS-5': {
    pass: { resource: mapping() },
    fail: { resource: mapping({ function_response_types: undefined }) },
    field: 'function_response_types',
    says: /ReportBatchItemFailures/,
    unknown: { variable: unknownVar, resource: mapping({ function_response_types: '${var.x}' }) },
  },
  'TS-SQS-6': {
    pass: { resource: { aws_sqs_queue_policy: { p: { queue_url: 'u', policy: policyJson(tls) } } } },
    fail: {
      resource: {
        aws_sqs_queue_policy: {
          p: {
            queue_url: 'u',
            policy: policyJson({ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }),
          },
        },
      },
    },
    field: 'policy.Statement[0].Principal',
    says: /allows sqs:SendMessage to everyone/,
    unknown: {
      variable: unknownVar,
      resource: { aws_sqs_queue_policy: { p: { queue_url: 'u', policy: '${var.x}' } } },
    },
  },
  'TS-SNS-1': {
    pass: {
      resource: {
        aws_sns_topic_policy: {
          p: {
            arn: 't',
            policy: policyJson({
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: 't',
            }),
          },
        },
      },
    },
    fail: {
      resource: {
        aws_sns_topic_policy: {
          p: {
            arn: 't',
            policy: policyJson({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sns:Publish', Resource: 't' }),
          },
        },
      },
    },
    field: 'policy.Statement[0].Principal',
    says: /allows sns:Publish to everyone/,
    unknown: { variable: unknownVar, resource: { aws_sns_topic_policy: { p: { arn: 't', policy: '${var.x}' } } } },
  },
  'TS-S3-1': {
    pass: {
      resource: {
        aws_s3_bucket_policy: {
          p: {
            bucket: 'b',
            policy: policyJson({
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::b/*',
              Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:cloudfront::111122223333:distribution/E1' } },
            }),
          },
        },
      },
    },
    fail: {
      resource: {
        aws_s3_bucket_policy: {
          p: {
            bucket: 'b',
            policy: policyJson({
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::b/*',
              Condition: { StringEqualsIfExists: { 'aws:SourceArn': 'arn:x' } },
            }),
          },
        },
      },
    },
    field: 'policy.Statement[0].Principal',
    says: /allows s3:GetObject to everyone/,
    unknown: { variable: unknownVar, resource: { aws_s3_bucket_policy: { p: { bucket: 'b', policy: '${var.x}' } } } },
  },
  'TS-APIGW-1': {
    pass: { resource: { aws_api_gateway_stage: { s: { xray_tracing_enabled: true } } } },
    fail: { resource: { aws_api_gateway_stage: { s: {} } } },
    field: 'xray_tracing_enabled',
    says: /not true/,
    unknown: { variable: unknownVar, resource: { aws_api_gateway_stage: { s: { xray_tracing_enabled: '${var.x}' } } } },
  },
  'TS-APIGW-2': {
    pass: {
      resource: { aws_api_gateway_stage: { s: { access_log_settings: { destination_arn: 'arn', format: '{}' } } } },
    },
    fail: { resource: { aws_api_gateway_stage: { s: {} } } },
    field: 'access_log_settings',
    says: /not set/,
    unknown: { variable: unknownVar, resource: { aws_api_gateway_stage: { s: { access_log_settings: '${var.x}' } } } },
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
    field: 'stage_name',
    says: /metrics/,
    unknown: {
      variable: unknownVar,
      resource: {
        aws_api_gateway_stage: { s: { stage_name: 'prod' } },
        aws_api_gateway_method_settings: {
          m: { stage_name: '${aws_api_gateway_stage.s.stage_name}', settings: { metrics_enabled: '${var.x}' } },
        },
      },
    },
  },
  'TS-APIGW-4': {
    pass: {
      resource: {
        aws_api_gateway_method: { m: { http_method: 'GET', authorization: 'NONE', api_key_required: true } },
      },
    },
    fail: { resource: { aws_api_gateway_method: { m: { http_method: 'GET', authorization: 'NONE' } } } },
    field: 'authorization',
    says: /open to anyone/,
    unknown: {
      variable: unknownVar,
      resource: { aws_api_gateway_method: { m: { http_method: 'GET', authorization: '${var.x}' } } },
    },
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
    field: 'request_validator_id',
    says: /no request validator/,
    unknown: { variable: unknownVar, resource: { aws_api_gateway_method: { m: { http_method: '${var.x}' } } } },
  },
  'TS-APIGW-6': {
    pass: {
      resource: {
        aws_apigatewayv2_api: { a: { protocol_type: 'HTTP' } },
        aws_apigatewayv2_route: {
          r: { api_id: '${aws_apigatewayv2_api.a.id}', route_key: 'GET /x', authorization_type: 'JWT' },
        },
      },
    },
    fail: {
      resource: {
        aws_apigatewayv2_api: { a: { protocol_type: 'HTTP' } },
        aws_apigatewayv2_route: { r: { api_id: '${aws_apigatewayv2_api.a.id}', route_key: 'GET /x' } },
      },
    },
    field: 'authorization_type',
    says: /GET \/x is open to anyone/,
    unknown: {
      variable: unknownVar,
      resource: { aws_apigatewayv2_route: { r: { route_key: 'GET /x', authorization_type: '${var.x}' } } },
    },
  },
  'TS-APIGW-7': {
    pass: {
      resource: {
        aws_api_gateway_rest_api: {
          a: {
            body: JSON.stringify({
              security: [{ api_key: [] }],
              paths: { '/x': { get: {} } },
            }),
          },
        },
      },
    },
    fail: {
      resource: {
        aws_api_gateway_rest_api: {
          a: {
            body: '${jsonencode({"paths" = {"/x" = {"get" = {"security" = []}, "options" = {}}}, "security" = [{"api_key" = []}]})}',
          },
        },
      },
    },
    field: 'body.paths["/x"].get.security',
    says: /GET \/x requires no authorizer/,
    unknown: { variable: unknownVar, resource: { aws_api_gateway_rest_api: { a: { body: '${var.x}' } } } },
  },
  'TS-EC2-1': {
    pass: { resource: { aws_launch_template: { l: { metadata_options: { http_tokens: 'required' } } } } },
    fail: { resource: { aws_instance: { i: { metadata_options: { http_tokens: 'optional' } } } } },
    field: 'metadata_options.http_tokens',
    says: /required/,
    unknown: {
      variable: unknownVar,
      resource: { aws_instance: { i: { metadata_options: { http_tokens: '${var.x}' } } } },
    },
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
    field: 'block_device_mappings[0].ebs.encrypted',
    says: /\/dev\/xvda is not encrypted/,
    unknown: { variable: unknownVar, resource: { aws_launch_template: { l: { block_device_mappings: '${var.x}' } } } },
  },
  'TS-EC2-3': {
    pass: {
      resource: {
        aws_subnet: { s: { map_public_ip_on_launch: true } },
        aws_instance: { i: { subnet_id: '${aws_subnet.s.id}', associate_public_ip_address: false } },
      },
    },
    fail: {
      resource: {
        aws_subnet: { s: { map_public_ip_on_launch: true } },
        aws_instance: { i: { subnet_id: '${aws_subnet.s.id}' } },
      },
    },
    field: 'subnet_id',
    says: /aws_subnet.s maps public IPs on launch/,
    unknown: { variable: unknownVar, resource: { aws_instance: { i: { associate_public_ip_address: '${var.x}' } } } },
  },
  'TS-ECS-1': {
    pass: { resource: { aws_ecs_cluster: { c: { setting: [{ name: 'containerInsights', value: 'enabled' }] } } } },
    fail: { resource: { aws_ecs_cluster: { c: {} } } },
    field: 'setting',
    says: /not enabled/,
    unknown: { variable: unknownVar, resource: { aws_ecs_cluster: { c: { setting: '${var.x}' } } } },
  },
  'TS-ECS-2': {
    pass: { resource: containers([goodContainer]) },
    fail: { resource: containers([{ ...goodContainer, privileged: true }]) },
    field: 'container_definitions[c].privileged',
    says: /is true/,
    unknown: { variable: unknownVar, resource: containers('${jsonencode([{"name" = "c", "privileged" = var.x}])}') },
  },
  'TS-ECS-3': {
    pass: { resource: containers([goodContainer]) },
    fail: { resource: containers([{ name: 'c', image: 'a:1' }]) },
    field: 'container_definitions[c].logConfiguration',
    says: /not set/,
    unknown: { variable: unknownVar, resource: containers('${var.x}') },
  },
  'TS-ECS-4': {
    pass: { resource: containers([goodContainer]) },
    fail: { resource: containers([{ ...goodContainer, image: 'nginx:latest' }]) },
    field: 'container_definitions[c].image',
    says: /nginx:latest is not pinned/,
    unknown: { variable: unknownVar, resource: containers('${jsonencode([{"name" = "c", "image" = var.x}])}') },
  },
  'TS-ECS-5': {
    pass: {
      resource: containers([{ ...goodContainer, linuxParameters: { capabilities: { add: ['NET_BIND_SERVICE'] } } }]),
    },
    fail: {
      resource: containers([{ ...goodContainer, linuxParameters: { capabilities: { add: ['CAP_SYS_ADMIN'] } } }]),
    },
    field: 'container_definitions[c].linuxParameters.capabilities.add',
    says: /adds CAP_SYS_ADMIN/,
    unknown: {
      variable: unknownVar,
      resource: containers('${jsonencode([{"name" = "c", "linuxParameters" = {"capabilities" = {"add" = var.x}}}])}'),
    },
  },
  'TS-ECS-6': {
    pass: { resource: containers([goodContainer], { pid_mode: 'task' }) },
    fail: { resource: containers([goodContainer], { ipc_mode: 'host' }) },
    field: 'ipc_mode',
    says: /is "host"/,
    unknown: { variable: unknownVar, resource: containers([goodContainer], { pid_mode: '${var.x}' }) },
  },
  'TS-ECS-7': {
    pass: { resource: containers([{ ...goodContainer, logConfiguration: { options: { 'awslogs-group': 'g' } } }]) },
    fail: {
      resource: containers([{ ...goodContainer, logConfiguration: { options: { 'awslogs-create-group': 'true' } } }]),
    },
    field: 'container_definitions[c].logConfiguration.options.awslogs-create-group',
    says: /created without retention/,
    unknown: {
      variable: unknownVar,
      resource: containers(
        '${jsonencode([{"name" = "c", "logConfiguration" = {"options" = {"awslogs-create-group" = var.x}}}])}',
      ),
    },
  },
  'TS-IAM-1': {
    pass: {
      resource: iamPolicy(
        policyJson(
          { Effect: 'Deny', Action: 'sqs:*', Resource: '*' },
          { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:q' },
        ),
      ),
    },
    fail: { resource: iamPolicy(policyJson({ Effect: 'Allow', Action: 'S3:Get?bject', Resource: 'arn:b' })) },
    field: 'policy.Statement[0].Action',
    says: /allows S3:Get\?bject/,
    unknown: {
      variable: unknownVar,
      resource: iamPolicy('${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = var.x, "Resource" = "*"}]})}'),
    },
  },
  'TS-IAM-2': {
    pass: {
      resource: iamPolicy(
        policyJson({ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'ec2:DescribeTags'], Resource: '*' }),
      ),
    },
    fail: {
      resource: iamPolicy(
        policyJson({
          Effect: 'Allow',
          Action: ['sqs:SendMessage', 'xray:PutTraceSegments'],
          Resource: 'arn:aws:sqs:eu-west-1:*:q',
        }),
      ),
    },
    field: 'policy.Statement[0].Resource',
    says: /allows sqs:SendMessage on arn:aws:sqs:eu-west-1:\*:q/,
    unknown: {
      variable: unknownVar,
      resource: iamPolicy(policyJson({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '${var.x}' })),
    },
  },
  'TS-IAM-3': {
    pass: {
      resource: {
        aws_iam_role_policy_attachment: {
          a: {
            policy_arn:
              'arn:${data.aws_partition.p.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
          },
        },
      },
    },
    fail: {
      resource: {
        aws_iam_role_policy_attachment: {
          a: { policy_arn: 'arn:${data.aws_partition.p.partition}:iam::aws:policy/CloudWatchLogsFullAccess' },
        },
      },
    },
    field: 'policy_arn',
    says: /CloudWatchLogsFullAccess/,
    unknown: { variable: unknownVar, resource: { aws_iam_role_policy_attachment: { a: { policy_arn: '${var.x}' } } } },
  },
  'TS-IAM-4': {
    pass: {
      resource: iamPolicy(policyJson({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' })),
    },
    fail: { resource: iamPolicy(policyJson({ Effect: 'Allow', Action: 's3:get*', Resource: 'arn:aws:s3:::*' })) },
    field: 'policy.Statement[0].Resource',
    says: /allows s3:GetObject, s3:GetObjectVersion on arn:aws:s3:::\*/,
    unknown: {
      variable: unknownVar,
      resource: iamPolicy(policyJson({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '${var.x}' })),
    },
  },
  'TS-IAM-5': {
    pass: {
      resource: iamPolicy(
        policyJson({ Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/app-task' }),
      ),
    },
    fail: {
      resource: iamPolicy(
        policyJson({ Effect: 'Allow', Action: 'iam:Pass*', Resource: 'arn:aws:iam::111122223333:role/*' }),
      ),
    },
    field: 'policy.Statement[0].Resource',
    says: /allows iam:PassRole on arn:aws:iam::111122223333:role\/\*/,
    unknown: {
      variable: unknownVar,
      resource: iamPolicy(policyJson({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '${var.x}' })),
    },
  },
  'TS-IAM-6': {
    pass: trust({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    fail: {
      resource: {
        aws_iam_role: {
          r: {
            name: 'r',
            assume_role_policy: policyJson({
              Effect: 'Allow',
              Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
              Action: 'sts:AssumeRoleWithWebIdentity',
            }),
          },
        },
      },
    },
    field: 'assume_role_policy.Statement[0].Principal',
    says: /no restricting condition on the token/,
    unknown: { variable: unknownVar, resource: { aws_iam_role: { r: { assume_role_policy: '${var.x}' } } } },
  },
  'TS-VPC-1': {
    pass: { resource: { aws_vpc: { v: {} }, aws_flow_log: { f: { vpc_id: '${aws_vpc.v.id}' } } } },
    fail: { resource: { aws_vpc: { v: {} } } },
    field: 'id',
    says: /no aws_flow_log/,
    // a flow log whose VPC is a variable may be this one: but without a default nothing says so
    unknown: { variable: unknownVar, resource: { aws_vpc: { v: {} }, aws_flow_log: { f: { vpc_id: '${var.x}' } } } },
  },
  'TS-VPC-2': {
    pass: { resource: { aws_default_security_group: { d: {} } } },
    fail: { resource: { aws_default_security_group: { d: { ingress: [{ self: true }] } } } },
    field: 'ingress',
    says: /1 rule/,
    unknown: { variable: unknownVar, resource: { aws_default_security_group: { d: { ingress: '${var.x}' } } } },
  },
  'TS-VPC-3': {
    pass: { resource: { aws_subnet: { s: { map_public_ip_on_launch: false } } } },
    fail: { resource: { aws_subnet: { s: { map_public_ip_on_launch: 'true' } } } },
    field: 'map_public_ip_on_launch',
    says: /public IP/,
    unknown: { variable: unknownVar, resource: { aws_subnet: { s: { map_public_ip_on_launch: '${var.x}' } } } },
  },
  'TS-SG-1': {
    pass: {
      resource: { aws_vpc_security_group_egress_rule: { e: { description: 'HTTPS out', cidr_ipv4: '0.0.0.0/0' } } },
    },
    fail: { resource: { aws_security_group: { g: { egress: [{ cidr_blocks: ['0.0.0.0/0'] }] } } } },
    field: 'egress[0].description',
    says: /without a description/,
    unknown: { variable: unknownVar, resource: { aws_security_group: { g: { egress: '${var.x}' } } } },
  },
  'TS-SG-2': {
    pass: {
      resource: { aws_vpc_security_group_ingress_rule: { i: { description: 'VPC', cidr_ipv4: '10.0.0.0/16' } } },
    },
    fail: {
      resource: {
        aws_security_group: { g: { ingress: [{ description: 'v6', ipv6_cidr_blocks: ['2000::/3'] }] } },
      },
    },
    field: 'ingress[0].ipv6_cidr_blocks',
    says: /covers 100% of the public IPv6 internet/,
    unknown: {
      variable: unknownVar,
      resource: { aws_vpc_security_group_ingress_rule: { i: { description: 'admin', cidr_ipv4: '${var.x}' } } },
    },
  },
  'TS-SECRET-1': {
    pass: {
      resource: {
        aws_lambda_function: {
          f: fn({
            environment: {
              variables: { API_KEY_PARAMETER: '/app/api-key', DB_SECRET_ARN: 'arn:aws:secretsmanager:x' },
            },
          }),
        },
        aws_ssm_parameter: { p: { name: '/app/password', type: 'SecureString', value: 'hunter2-hunter2' } },
      },
    },
    fail: {
      resource: containers([
        { ...goodContainer, environment: [{ name: 'AWS_ACCESS_KEY_ID', value: 'AKIAIOSFODNN7EXAMPLE' }] },
      ]),
    },
    field: 'container_definitions[c].environment.AWS_ACCESS_KEY_ID',
    says: /holds an AWS access key ID in plain text/,
    unknown: {
      variable: unknownVar,
      resource: { aws_ssm_parameter: { p: { name: '/app/token', type: '${var.x}', value: 'abc123456789' } } },
    },
  },
  'TS-TAGS-1': {
    pass: { provider },
    fail: { provider: { aws: [{ region: 'us-west-2' }] } },
    field: 'default_tags',
    says: /not set/,
    unknown: { variable: unknownVar, provider: { aws: [{ region: 'us-west-2', default_tags: '${var.x}' }] } },
  },
  'TS-XRAY-1': {
    pass: { resource: { aws_xray_sampling_rule: { a: { priority: 1 }, b: { priority: 2 } } } },
    fail: { resource: { aws_xray_sampling_rule: { a: { priority: 1 }, b: { priority: 1 } } } },
    field: 'priority',
    says: /1 is shared with aws_xray_sampling_rule.b/,
    unknown: { variable: unknownVar, resource: { aws_xray_sampling_rule: { a: { priority: '${var.x}' } } } },
  },
};

/** Rules whose `${var.x}` case is "not applicable" rather than "not checked" (the value decides nothing). */
const UNKNOWN_IS_NOT_APPLICABLE = new Set(['TS-SQS-3']);

describe('policy rules', () => {
  it('each has a case here', () => {
    expect(Object.keys(cases).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
  });

  it('have unique ids, a fix, a severity and what they cannot see', () => {
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
    for (const r of ALL_RULES) {
      expect([r.id, r.fix.length > 10, ['error', 'warning'].includes(r.severity), r.blindSpots.length > 5]).toEqual([
        r.id,
        true,
        true,
        true,
      ]);
    }
  });

  describe.each(Object.entries(cases))('%s', (id, c) => {
    it('passes a compliant resource', () => {
      expect(run(id, c.pass)).toEqual({ failures: [], failed: [], notChecked: [] });
    });
    it('fails a non-compliant one, naming the field and saying what is wrong', () => {
      const { failures } = run(id, c.fail);
      expect(failures.length).toBeGreaterThan(0);
      expect(failures[0].startsWith(`${c.field}: `)).toBe(true);
      expect(failures[0]).toMatch(c.says);
    });
    it('reports a ${var...} value it cannot judge as not checked, never as a crash or a pass', () => {
      const { failures, failed, notChecked } = run(id, c.unknown);
      expect(failed).toEqual([]);
      expect(failures).toEqual([]);
      if (UNKNOWN_IS_NOT_APPLICABLE.has(id)) expect(notChecked).toEqual([]);
      else expect(notChecked).toEqual([expect.stringMatching(/var\.x|var\.listValue/)]);
    });
  });
});

describe('variables with defaults', () => {
  it('judges the default: a finding says so, a passing default is "not checked" (it can change at plan)', () => {
    const variable = { cidrs: { type: 'list(string)', default: ['0.0.0.0/1', '128.0.0.0/1'] } };
    const open = run('TS-SG-2', {
      variable,
      resource: { aws_security_group: { g: { ingress: [{ description: 'x', cidr_blocks: '${var.cidrs}' }] } } },
    });
    expect(open.failures).toEqual([
      'ingress[0].cidr_blocks: ingress from 0.0.0.0/1 + 128.0.0.0/1 covers 100% of the public IPv4 internet (judging the default of var.cidrs)',
    ]);
    const closed = run('TS-SG-2', {
      variable: { cidrs: { default: ['10.0.0.0/8'] } },
      resource: { aws_security_group: { g: { ingress: [{ description: 'x', cidr_blocks: '${var.cidrs}' }] } } },
    });
    expect(closed.failures).toEqual([]);
    expect(closed.notChecked).toEqual([
      'var.cidrs: the default passes, but var.cidrs can be set to anything at plan; check the plan (check-plan)',
    ]);
  });
});

describe('IAM forms', () => {
  const allows = (ruleId: string, statement: Json) =>
    run(ruleId, { resource: iamPolicy(policyJson(statement)) }).failures;

  it('reads actions case-insensitively and wildcards anywhere', () => {
    expect(allows('TS-IAM-2', { Effect: 'Allow', Action: 'SQS:sendmessage', Resource: '*' })).toHaveLength(1);
    expect(
      allows('TS-IAM-1', { Effect: 'Allow', Action: 'iam:*Role*', Resource: 'arn:aws:iam::1:role/x' }),
    ).toHaveLength(1);
    expect(allows('TS-IAM-5', { Effect: 'Allow', Action: 'IAM:*', Resource: '*' })).toHaveLength(1);
    expect(allows('TS-IAM-4', { Effect: 'Allow', Action: 'ssm:GetParameter*', Resource: '*' })).toHaveLength(1);
    expect(allows('TS-IAM-4', { Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' })).toEqual([]);
  });

  it('lets Lambda\'s VPC access actions use "*" as the Lambda guide documents, alone only', () => {
    const vpcAccess = [
      'ec2:CreateNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets',
      'ec2:DeleteNetworkInterface',
      'ec2:AssignPrivateIpAddresses',
      'ec2:UnassignPrivateIpAddresses',
    ];
    expect(allows('TS-IAM-2', { Effect: 'Allow', Action: vpcAccess, Resource: '*' })).toEqual([]);
    expect(allows('TS-IAM-2', { Effect: 'Allow', Action: [...vpcAccess, 'ec2:CreateTags'], Resource: '*' })).toEqual([
      'policy.Statement[0].Resource: allows ec2:CreateNetworkInterface, ec2:DeleteNetworkInterface, ec2:AssignPrivateIpAddresses, ec2:UnassignPrivateIpAddresses, ec2:CreateTags on *',
    ]);
    expect(
      allows('TS-IAM-2', {
        Effect: 'Allow',
        Action: 'ec2:CreateNetworkInterface',
        NotResource: 'arn:aws:ec2:*:*:subnet/x',
      }),
    ).toHaveLength(1);
  });

  it('treats NotAction and NotResource on Allow as the broad grants they are', () => {
    expect(allows('TS-IAM-1', { Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::b' })).toEqual([
      'policy.Statement[0].NotAction: allows everything but iam:*',
    ]);
    expect(allows('TS-IAM-2', { Effect: 'Allow', Action: 's3:PutObject', NotResource: 'arn:aws:s3:::b/*' })).toEqual([
      'policy.Statement[0].Resource: allows s3:PutObject on NotResource arn:aws:s3:::b/*',
    ]);
    expect(allows('TS-IAM-5', { Effect: 'Allow', NotAction: 's3:*', Resource: '*' })).toHaveLength(1);
  });

  it('reads documents with source and override documents, jsonencode and a role inline policy', () => {
    const viaDocuments = run('TS-IAM-1', {
      data: {
        aws_iam_policy_document: {
          base: { statement: [{ sid: 'Base', actions: ['s3:*'], resources: ['arn:aws:s3:::b'] }] },
          final: {
            source_policy_documents: ['${data.aws_iam_policy_document.base.json}'],
            override_policy_documents: [
              policyJson({ Sid: 'Base', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }),
            ],
            statement: [{ actions: ['sqs:*'], resources: ['arn:q'] }],
          },
        },
      },
      resource: { aws_iam_role_policy: { p: { policy: '${data.aws_iam_policy_document.final.json}' } } },
    });
    // the override replaced the base statement (same Sid): only sqs:* is left
    expect(viaDocuments.failures).toEqual(['policy.Statement[0].Action: allows sqs:*']);
    const viaJsonencode = run('TS-IAM-1', {
      resource: {
        aws_iam_role: {
          r: {
            inline_policy: [
              {
                name: 'i',
                policy:
                  '${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = ["kms:*"], "Resource" = aws_kms_key.k.arn}]})}',
              },
            ],
          },
        },
      },
    });
    expect(viaJsonencode.failures).toEqual(['inline_policy[0].policy.Statement[0].Action: allows kms:*']);
  });

  it('finds broad managed policies by name: attachments, managed_policy_arns, exclusive attachments, data lookups', () => {
    const arns = (policyArns: unknown[]) =>
      run('TS-IAM-3', {
        data: { aws_iam_policy: { admin: { name: 'AdministratorAccess' } } },
        resource: { aws_iam_role_policy_attachments_exclusive: { e: { role_name: 'r', policy_arns: policyArns } } },
      }).failures;
    expect(
      arns([
        '${data.aws_iam_policy.admin.arn}',
        'arn:aws:iam::aws:policy/job-function/SystemAdministrator',
        'arn:aws:iam::aws:policy/AmazonBedrockFullAccess',
        'arn:aws:iam::111122223333:policy/MyFullAccessToOneBucket',
        'arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess',
      ]),
    ).toEqual([
      'policy_arns[0]: attaches AdministratorAccess',
      'policy_arns[1]: attaches arn:aws:iam::aws:policy/job-function/SystemAdministrator',
      'policy_arns[2]: attaches arn:aws:iam::aws:policy/AmazonBedrockFullAccess',
    ]);
  });

  it('accepts a trust policy for another account only with a condition, and the own account by reference', () => {
    const partner = { Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 'sts:AssumeRole' };
    expect(run('TS-IAM-6', trust(partner)).failures).toHaveLength(1);
    expect(
      run('TS-IAM-6', {
        ...trust({ ...partner, Condition: { StringEquals: { 'sts:ExternalId': 'x7' } } }),
      }).failures,
    ).toEqual([]);
    expect(
      run('TS-IAM-6', {
        ...trust({
          ...partner,
          Principal: { AWS: 'arn:aws:iam::${data.aws_caller_identity.me.account_id}:root' },
        }),
      }).failures,
    ).toEqual([]);
  });
});

describe('public exposure', () => {
  it('reads security groups written as dynamic blocks and for expressions', () => {
    const forExpression = run('TS-SG-2', {
      resource: {
        aws_security_group: {
          g: {
            ingress:
              '${[ for key, val in toset(["10.0.0.0/8", "0.0.0.0/0"]): {"description" = "x", "cidrBlocks" = [val]}]}',
          },
        },
      },
    });
    expect(forExpression.failures).toEqual([
      'ingress[1].cidr_blocks: ingress from 10.0.0.0/8 + 0.0.0.0/0 covers 100% of the public IPv4 internet',
    ]);
    const dynamic = run('TS-SG-2', {
      variable: { sources: { default: { office: '203.0.113.0/24', world: '::/0' } } },
      resource: {
        aws_security_group: {
          g: {
            dynamic: {
              ingress: {
                for_each: '${var.sources}',
                iterator: 'src',
                content: { description: '${src.key}', ipv6_cidr_blocks: ['${src.value}'] },
              },
            },
          },
        },
      },
    });
    expect(dynamic.failures).toEqual([
      'ingress[1].ipv6_cidr_blocks: ingress from ::/0 covers 100% of the public IPv6 internet (judging the default of var.sources)',
    ]);
  });

  it('does not count private or narrow public sources as the internet', () => {
    const sources = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '203.0.113.7/32', 'fd00::/8'];
    const { failures } = run('TS-SG-2', {
      resource: {
        aws_security_group: { g: { ingress: sources.map((c) => ({ description: 'x', cidr_blocks: [c] })) } },
      },
    });
    expect(failures).toEqual([]);
  });
});

describe('forms that slipped past the first version (review wave)', () => {
  const allows = (ruleId: string, statement: Json, variable?: Record<string, Json>) =>
    run(ruleId, { resource: iamPolicy(policyJson(statement)), ...(variable ? { variable } : {}) });
  const queuePolicy = (statement: Json, variable?: Record<string, Json>) =>
    run('TS-SQS-6', {
      resource: { aws_sqs_queue_policy: { p: { queue_url: 'u', policy: policyJson(statement) } } },
      ...(variable ? { variable } : {}),
    });
  const toEveryone = { Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' };

  it('reads every object of every bucket and every resource of a data-holding type as broad', () => {
    expect(
      allows('TS-IAM-4', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::*/*' }).failures,
    ).toEqual(['policy.Statement[0].Resource: allows s3:GetObject on arn:aws:s3:::*/*']);
    expect(
      allows('TS-IAM-2', { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::*/*' }).failures,
    ).toEqual(['policy.Statement[0].Resource: allows s3:PutObject on arn:aws:s3:::*/*']);
    for (const resource of [
      'arn:aws:secretsmanager:eu-west-1:111122223333:secret:*',
      'arn:aws:ssm:eu-west-1:111122223333:parameter/*',
      'arn:aws:kms:eu-west-1:111122223333:key/*',
      'arn:aws:dynamodb:eu-west-1:111122223333:table/*',
    ]) {
      const action = {
        secretsmanager: 'secretsmanager:GetSecretValue',
        ssm: 'ssm:GetParameter',
        kms: 'kms:Decrypt',
        dynamodb: 'dynamodb:Scan',
      }[resource.split(':')[2]] as string;
      expect(allows('TS-IAM-4', { Effect: 'Allow', Action: action, Resource: resource }).failures).toEqual([
        `policy.Statement[0].Resource: allows ${action} on ${resource}`,
      ]);
    }
    // named ones, and a prefix of one application's secrets, are scoped
    for (const resource of [
      'arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/db-*',
      'arn:aws:s3:::orders-bucket/*',
      'arn:aws:ssm:eu-west-1:111122223333:parameter/orders/*',
    ]) {
      expect(allows('TS-IAM-4', { Effect: 'Allow', Action: 's3:GetObject', Resource: resource }).failures).toEqual([]);
    }
  });

  it('judges variables inside a JSON or jsonencode policy by their defaults', () => {
    const variable = { actions: { type: 'list(string)', default: ['s3:*'] } };
    expect(
      allows('TS-IAM-1', { Effect: 'Allow', Action: '${var.actions}', Resource: 'arn:aws:s3:::b' }, variable).failures,
    ).toEqual(['policy.Statement[0].Action: allows s3:* (judging the default of var.actions)']);
    const encoded = run('TS-IAM-1', {
      variable,
      resource: iamPolicy(
        '${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = var.actions, "Resource" = "*"}]})}',
      ),
    });
    expect(encoded.failures).toEqual(['policy.Statement[0].Action: allows s3:* (judging the default of var.actions)']);
  });

  it('does not take a negated, wildcard, ForAllValues or internet-wide condition as a restriction', () => {
    for (const Condition of [
      { StringNotEquals: { 'aws:SourceAccount': '111122223333' } },
      { ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:111122223333:t' } },
      { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
      { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } },
      { StringLike: { 'aws:SourceAccount': '*?' } },
      { StringLike: { 'aws:PrincipalOrgID': 'o-*' } },
      { 'ForAllValues:StringEquals': { 'aws:SourceAccount': '111122223333' } },
      { IpAddress: { 'aws:SourceIp': ['0.0.0.0/1', '128.0.0.0/1'] } },
    ]) {
      expect([Condition, queuePolicy({ ...toEveryone, Condition }).failures]).toEqual([
        Condition,
        ['policy.Statement[0].Principal: allows sqs:SendMessage to everyone ("*") with no restricting condition'],
      ]);
    }
    for (const Condition of [
      { StringEquals: { 'aws:SourceAccount': '111122223333' } },
      { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:111122223333:*' } },
      { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      { ArnEquals: { 'aws:SourceArn': '${aws_sns_topic.t.arn}' } },
    ]) {
      expect([Condition, queuePolicy({ ...toEveryone, Condition }).failures]).toEqual([Condition, []]);
    }
  });

  it('reports a principal or a condition value it cannot know as not checked, and judges a default', () => {
    const unknown = queuePolicy({ ...toEveryone, Principal: { AWS: '${var.x}' } }, unknownVar);
    expect([unknown.failures, unknown.notChecked]).toEqual([
      [],
      [expect.stringMatching(/^policy\.Statement\[0\]\.Principal: comes from var\.x/)],
    ]);
    const condition = queuePolicy(
      { ...toEveryone, Condition: { ArnEquals: { 'aws:SourceArn': '${var.x}' } } },
      unknownVar,
    );
    expect([condition.failures, condition.notChecked]).toEqual([
      [],
      [expect.stringMatching(/^policy\.Statement\[0\]\.Condition: comes from var\.x/)],
    ]);
    expect(queuePolicy({ ...toEveryone, Principal: { AWS: '${var.p}' } }, { p: { default: '*' } }).failures).toEqual([
      'policy.Statement[0].Principal: allows sqs:SendMessage to everyone ("*") with no restricting condition (judging the default of var.p)',
    ]);
    const document = run('TS-SNS-1', {
      variable: unknownVar,
      data: {
        aws_iam_policy_document: {
          d: {
            statement: [
              { actions: ['sns:Publish'], resources: ['*'], principals: [{ type: 'AWS', identifiers: '${var.x}' }] },
            ],
          },
        },
      },
      resource: { aws_sns_topic_policy: { p: { arn: 'a', policy: '${data.aws_iam_policy_document.d.json}' } } },
    });
    expect([document.failures, document.notChecked]).toEqual([
      [],
      [expect.stringMatching(/^policy\.Statement\[0\]\.Principal: comes from var\.x/)],
    ]);
  });

  it('reads Allow with NotPrincipal as everyone but the named principals', () => {
    const { failures } = run('TS-S3-1', {
      resource: {
        aws_s3_bucket_policy: {
          p: {
            bucket: 'b',
            policy: policyJson({
              Effect: 'Allow',
              NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' },
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::b/*',
            }),
          },
        },
      },
    });
    expect(failures).toEqual([
      'policy.Statement[0].Principal: allows s3:GetObject to everyone ("*") with no restricting condition',
    ]);
  });

  it('finds a secret copied into an environment variable by reference (it lands in plain text in the configuration)', () => {
    const { failures } = run('TS-SECRET-1', {
      resource: {
        aws_lambda_function: {
          f: fn({
            environment: {
              variables: {
                DB: '${jsondecode(data.aws_secretsmanager_secret_version.db.secret_string)["password"]}',
                ADMIN_PASSWORD: '${random_password.admin.result}',
                API_TOKEN: '${data.aws_ssm_parameter.token.value}',
                TABLE_NAME: '${aws_ssm_parameter.table.value}',
                DB_SECRET_ARN: '${data.aws_secretsmanager_secret_version.db.arn}',
              },
            },
          }),
        },
      },
    });
    const copies = (ref: string) =>
      `holds the value of ${ref}: the secret is copied in plain text into the configuration`;
    expect(failures).toEqual([
      `environment.variables.DB: ${copies('data.aws_secretsmanager_secret_version.db.secret_string')}`,
      `environment.variables.ADMIN_PASSWORD: ${copies('random_password.admin.result')}`,
      `environment.variables.API_TOKEN: ${copies('data.aws_ssm_parameter.token.value')}`,
    ]);
  });

  it('trusts another account or an identity provider only with a condition that restricts', () => {
    const partner = {
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::444455556666:root'] },
      Action: 'sts:AssumeRole',
    };
    expect(
      run('TS-IAM-6', trust({ ...partner, Condition: { Bool: { 'aws:SecureTransport': 'true' } } })).failures,
    ).toEqual([
      'assume_role_policy.Statement[0].Principal: trusts arn:aws:iam::444455556666:root (another account?) with no restricting condition (sts:ExternalId, aws:PrincipalOrgID)',
    ]);
    expect(
      run('TS-IAM-6', trust({ ...partner, Condition: { StringLike: { 'sts:ExternalId': '*' } } })).failures,
    ).toHaveLength(1);
    expect(
      run('TS-IAM-6', trust({ ...partner, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })).failures,
    ).toEqual([]);
    const github = {
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
    };
    // any repository on GitHub gets a token with this audience: only :sub names yours
    expect(
      run(
        'TS-IAM-6',
        trust({
          ...github,
          Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } },
        }),
      ).failures,
    ).toHaveLength(1);
    expect(
      run(
        'TS-IAM-6',
        trust({ ...github, Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:*' } } }),
      ).failures,
    ).toHaveLength(1);
    expect(
      run(
        'TS-IAM-6',
        trust({
          ...github,
          Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main' } },
        }),
      ).failures,
    ).toEqual([]);
    const unknown = run('TS-IAM-6', { ...trust({ ...partner, Principal: { AWS: '${var.x}' } }), variable: unknownVar });
    expect([unknown.failures, unknown.notChecked]).toEqual([
      [],
      [expect.stringMatching(/^assume_role_policy\.Statement\[0\]\.Principal: comes from var\.x/)],
    ]);
  });
});

describe('never a crash', () => {
  // Every attribute of every case, replaced by each odd value a configuration or a plan can hold.
  const ODD: unknown[] = [
    '${var.x}',
    '${aws_thing.t.attr}',
    '${(known after apply)}',
    null,
    42,
    -1,
    true,
    '',
    'text',
    [],
    ['${var.y}'],
    [null, 1, {}],
    {},
    { nested: ['${var.z}'] },
    '${jsonencode([{"name" = 1}])}',
    '{"Statement": "${var.s}"}',
    '{not json',
  ];

  /** Every [type, name, path] of the attributes of a configuration, to a depth of 3. */
  function paths(blocks: Blocks): { kind: 'resource' | 'data'; type: string; name: string; path: string[] }[] {
    const out: { kind: 'resource' | 'data'; type: string; name: string; path: string[] }[] = [];
    const walk = (v: unknown, at: string[], base: Omit<(typeof out)[number], 'path'>) => {
      if (at.length > 0) out.push({ ...base, path: at });
      if (at.length >= 3 || typeof v !== 'object' || v === null) return;
      for (const [k, child] of Object.entries(v)) walk(child, [...at, k], base);
    };
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, byName] of Object.entries(blocks[kind] ?? {})) {
        for (const [name, attrs] of Object.entries(byName)) walk(attrs, [], { kind, type, name });
      }
    }
    return out;
  }

  const set = (blocks: Blocks, p: ReturnType<typeof paths>[number], value: unknown): Blocks => {
    const copy = JSON.parse(JSON.stringify(blocks)) as Blocks;
    let at = (copy[p.kind] as Record<string, Record<string, unknown>>)[p.type][p.name] as Record<string, unknown>;
    for (const key of p.path.slice(0, -1)) at = at[key] as Record<string, unknown>;
    at[p.path[p.path.length - 1]] = value;
    return copy;
  };

  it('no rule throws on any odd value in any attribute of its cases', () => {
    let runs = 0;
    const failures: string[] = [];
    for (const [id, c] of Object.entries(cases)) {
      for (const blocks of [c.pass, c.fail]) {
        for (const p of paths(blocks)) {
          for (const value of ODD) {
            const report = evaluate(new StackView(set(blocks, p, value) as Json));
            runs++;
            for (const f of report.findings.filter((x) => x.ruleFailed)) {
              failures.push(
                `${f.rule.id} with ${id} ${p.type}.${p.path.join('.')} = ${JSON.stringify(value)}: ${f.detail}`,
              );
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(runs).toBeGreaterThan(3000);
  });

  it('a configuration of the wrong shape is read as what it holds, not a crash', () => {
    for (const odd of [
      {},
      { resource: 'x' },
      { resource: { aws_sqs_queue: 'x' } },
      { resource: { aws_sqs_queue: { q: 1 } } },
      { provider: { aws: 'x' } },
    ]) {
      expect(() => evaluate(new StackView(odd as Json))).not.toThrow();
    }
  });
});
