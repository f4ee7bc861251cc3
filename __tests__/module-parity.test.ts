/**
 * Every published module builds what its construct builds: the construct synthesized with values, the
 * module with variables set to the same values, and Terraform's own evaluator computing the module's
 * expressions (support/parity.ts). Cases cover the optional parts of each module.
 */
import {
  AdotCollector,
  Network,
  AwsContext,
  EcsEc2Cluster,
  TracedFunction,
  TracedQueue,
  TracedRestApi,
  XraySamplingRules,
  chatApiRule,
  criticalPathRules,
  healthCheckRule,
  type ReadableStack,
} from '../modules';
import { MODULES, synthModule, type ModuleSpec } from '../terraform-modules';
import { synth } from './helpers';
import { hasTerraform, parity, terraformEvaluator } from './support/parity';

/** A module reads the provider's account, region and partition for its optional account role. */
const AWS_CONTEXT = [
  'data.aws_caller_identity.aws-context_account',
  'data.aws_partition.aws-context_partition',
  'data.aws_region.aws-context_region',
];
/** The deployment hashes its route resources: single ones in the construct, for_each ones in the module. */
const API_OPAQUE = ['triggers.redeployment'];

type Json = Record<string, unknown>;

interface ParityCase {
  readonly name: string;
  /** The module's variable values (the rest take their defaults). */
  readonly values: Record<string, unknown>;
  /** The construct with the same values, built as the module builds it (same ids). */
  readonly construct: (stack: ReadableStack) => void;
  /** Arguments compared for presence only (see ParityOptions.opaque). */
  readonly opaque?: readonly string[];
  /** Data sources the module reads where the construct, given known values, does not need them. */
  readonly moduleOnly?: readonly string[];
}

const CHAT_SCHEMA = {
  type: 'object',
  required: ['question'],
  additionalProperties: false,
  properties: { question: { type: 'string', minLength: 1, maxLength: 4000 } },
};
const functionArn = (name: string) => `arn:aws:lambda:us-west-2:111122223333:function:${name}`;
const invokeArn = (name: string) =>
  `arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/${functionArn(name)}/invocations`;
/** A function of the caller's, as the module takes it (by name and invoke ARN). */
const importedFunction = (stack: ReadableStack, name: string) =>
  TracedFunction.fromFunctionAttributes(stack, `fn-${name}`, {
    functionArn: functionArn(name),
    roleName: `${name}-role`,
  });

const CASES: Record<string, ParityCase[]> = {
  network: [
    {
      name: 'three AZs, a NAT gateway per AZ, a KMS key',
      values: {
        name: 'dev-network',
        cidr_block: '10.20.0.0/16',
        az_count: 3,
        nat_gateways: 'per-az',
        flow_log_retention_days: 90,
        flow_log_kms_key_arn: 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
      construct: (stack) =>
        new Network(stack, 'network', {
          name: 'dev-network',
          cidrBlock: '10.20.0.0/16',
          azCount: 3,
          natGateways: 'per-az',
          flowLogRetentionDays: 90,
          flowLogKmsKeyArn: 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        }),
    },
    {
      name: 'the defaults (two AZs, one NAT gateway)',
      values: { name: 'dev-network' },
      construct: (stack) => new Network(stack, 'network', { name: 'dev-network' }),
    },
    {
      name: 'no NAT gateway, a /24',
      values: { name: 'edge', cidr_block: '192.168.4.0/24', az_count: 1, nat_gateways: 'none' },
      construct: (stack) =>
        new Network(stack, 'network', { name: 'edge', cidrBlock: '192.168.4.0/24', azCount: 1, natGateways: 'none' }),
    },
  ],
  'traced-queue': [
    {
      name: 'with a consumer',
      values: {
        queue_name: 'dev-enquiries',
        consumer_function_arn: 'arn:aws:lambda:us-west-2:111122223333:function:dev-enquiry-consumer',
        consumer_role_name: 'dev-enquiry-consumer-role',
        consumer_timeout_seconds: 20,
        consumer_reserved_concurrency: 5,
        alarm_actions: ['arn:aws:sns:us-west-2:111122223333:ops'],
      },
      construct: (stack) =>
        new TracedQueue(stack, 'queue', {
          queueName: 'dev-enquiries',
          consumer: TracedFunction.fromFunctionAttributes(stack, 'consumer', {
            functionArn: 'arn:aws:lambda:us-west-2:111122223333:function:dev-enquiry-consumer',
            roleName: 'dev-enquiry-consumer-role',
            timeoutSeconds: 20,
            reservedConcurrency: 5,
            policyName: 'dev-enquiries-consume',
          }),
          alarmActions: ['arn:aws:sns:us-west-2:111122223333:ops'],
        }),
    },
    {
      name: 'without a consumer, every input set',
      values: {
        queue_name: 'orders',
        max_receive_count: 7,
        batch_size: 100,
        max_batching_window_seconds: 5,
        visibility_timeout_seconds: 90,
        retention_days: 14,
      },
      construct: (stack) =>
        new TracedQueue(stack, 'queue', {
          queueName: 'orders',
          maxReceiveCount: 7,
          batchSize: 100,
          maxBatchingWindowSeconds: 5,
          visibilityTimeoutSeconds: 90,
          retentionDays: 14,
        }),
    },
  ],
  'adot-collector': [
    {
      name: 'on a cluster by reference, every module input set',
      values: {
        cluster_name: 'dev-observability',
        cluster_arn: 'arn:aws:ecs:us-west-2:111122223333:cluster/dev-observability',
        cluster_instance_type: 'm5.large',
        image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.48.0',
        cpu: 512,
        memory: 1024,
        log_retention_days: 90,
        emf_log_group_name: '/aws/ecs/dev/application/metrics',
        metrics_namespace: 'Dev/App',
        service_name: 'collector',
      },
      construct: (stack) =>
        new AdotCollector(stack, 'adot', {
          cluster: {
            clusterName: 'dev-observability',
            clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/dev-observability',
            instanceType: 'm5.large',
          },
          region: AwsContext.of(stack).region,
          image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.48.0',
          cpu: 512,
          memory: 1024,
          logRetentionDays: 90,
          emfLogGroupName: '/aws/ecs/dev/application/metrics',
          metricsNamespace: 'Dev/App',
          serviceName: 'collector',
        }),
    },
    {
      name: 'a config of its own',
      values: {
        cluster_name: 'obs',
        cluster_arn: 'arn:aws:ecs:us-west-2:111122223333:cluster/obs',
        config: 'receivers:\n  otlp:\n',
      },
      construct: (stack) =>
        new AdotCollector(stack, 'adot', {
          cluster: {
            clusterName: 'obs',
            clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/obs',
            instanceType: 't2.medium',
          },
          region: AwsContext.of(stack).region,
          config: 'receivers:\n  otlp:\n',
        }),
    },
  ],
  'ecs-ec2-cluster': [
    {
      name: 'every input set',
      values: {
        cluster_name: 'dev-observability',
        vpc_id: 'vpc-0123456789abcdef0',
        subnet_ids: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
        instance_type: 'm5.large',
        min_size: 2,
        max_size: 4,
        desired_capacity: 3,
        root_volume_gib: 50,
        container_insights: false,
        ebs_kms_key_arn: 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
      construct: (stack) =>
        new EcsEc2Cluster(stack, 'ecs', {
          clusterName: 'dev-observability',
          vpcId: 'vpc-0123456789abcdef0',
          subnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
          instanceType: 'm5.large',
          minSize: 2,
          maxSize: 4,
          desiredCapacity: 3,
          rootVolumeGiB: 50,
          containerInsights: false,
          ebsKmsKeyArn: 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        }),
    },
    {
      name: 'the defaults',
      values: { cluster_name: 'obs', vpc_id: 'vpc-1', subnet_ids: ['subnet-a'] },
      construct: (stack) =>
        new EcsEc2Cluster(stack, 'ecs', { clusterName: 'obs', vpcId: 'vpc-1', subnetIds: ['subnet-a'] }),
    },
  ],
  'traced-function': [
    {
      name: 'the defaults: a zip built elsewhere, the Application Signals layer the plan looks up',
      values: { function_name: 'dev-enquiry-consumer', zip_path: '/builds/consumer.zip' },
      construct: (stack) =>
        new TracedFunction(stack, 'function', {
          functionName: 'dev-enquiry-consumer',
          zipPath: '/builds/consumer.zip',
          region: AwsContext.of(stack).region,
        }),
    },
    {
      name: 'in a VPC, the legacy layer on arm64, unreserved, an environment, a description, alarm actions, a log alarm',
      values: {
        function_name: 'orders',
        zip_path: 'orders.zip',
        handler_export: 'main',
        runtime: 'nodejs24.x',
        architecture: 'arm64',
        memory_size: 1024,
        timeout_seconds: 20,
        reserved_concurrency: -1,
        environment: { LOG_LEVEL: 'debug', TABLE: 'orders' },
        adot: 'legacy-collector',
        log_retention_days: 90,
        vpc_id: 'vpc-0123456789abcdef0',
        subnet_ids: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
        description: 'Orders API backend',
        alarm_actions: ['arn:aws:sns:us-west-2:111122223333:ops'],
        log_alarms: [
          { name: 'order-lost', pattern: '{ $.message = "order lost" }', description: 'An order was lost.' },
        ],
      },
      construct: (stack) =>
        new TracedFunction(stack, 'function', {
          functionName: 'orders',
          zipPath: 'orders.zip',
          handlerExport: 'main',
          region: AwsContext.of(stack).region,
          runtime: 'nodejs24.x',
          architecture: 'arm64',
          memorySize: 1024,
          timeoutSeconds: 20,
          reservedConcurrency: 'unreserved',
          environment: { LOG_LEVEL: 'debug', TABLE: 'orders' },
          adot: 'legacy-collector',
          logRetentionDays: 90,
          vpc: { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'] },
          description: 'Orders API backend',
          alarmActions: ['arn:aws:sns:us-west-2:111122223333:ops'],
          logAlarms: [
            { name: 'order-lost', pattern: '{ $.message = "order lost" }', description: 'An order was lost.' },
          ],
        }),
    },
    {
      name: 'no ADOT layer',
      values: { function_name: 'plain', zip_path: 'plain.zip', adot: 'none' },
      construct: (stack) =>
        new TracedFunction(stack, 'function', {
          functionName: 'plain',
          zipPath: 'plain.zip',
          region: AwsContext.of(stack).region,
          adot: 'none',
        }),
    },
  ],
  'traced-rest-api': [
    {
      name: 'the chatbot: a function route with a body schema, a mock health check, the account role',
      values: {
        api_name: 'dev-chatbot',
        description: 'Traced chatbot API (dev)',
        stage_name: 'v1',
        routes: [
          {
            path: '/chat',
            method: 'POST',
            function_name: 'dev-chatbot',
            function_invoke_arn: invokeArn('dev-chatbot'),
            body_schema: JSON.stringify(CHAT_SCHEMA),
          },
          { path: '/health', method: 'GET', mock_body: JSON.stringify({ status: 'ok' }) },
        ],
        throttle_rate_limit: 2,
        throttle_burst_limit: 5,
        manage_account_log_role: true,
        log_retention_days: 90,
      },
      opaque: API_OPAQUE,
      construct: (stack) =>
        new TracedRestApi(stack, 'api', {
          apiName: 'dev-chatbot',
          description: 'Traced chatbot API (dev)',
          stageName: 'v1',
          routes: [
            {
              path: '/chat',
              method: 'POST',
              function: importedFunction(stack, 'dev-chatbot'),
              bodySchema: CHAT_SCHEMA,
            },
            { path: '/health', method: 'GET', mock: { body: { status: 'ok' } } },
          ],
          throttle: { rateLimit: 2, burstLimit: 5 },
          manageAccountLogRole: true,
          logRetentionDays: 90,
        }),
    },
    {
      name: 'deep paths, the root, a greedy path, ANY, no key, no schema, the defaults',
      values: {
        api_name: 'orders',
        routes: [
          { path: '/', method: 'GET', mock_status_code: 204, mock_body: JSON.stringify({}) },
          { path: '/v1/orders', method: 'GET', function_name: 'orders', function_invoke_arn: invokeArn('orders') },
          {
            path: '/v1/orders/{orderId}/items/{itemId}',
            method: 'DELETE',
            function_name: 'orders',
            function_invoke_arn: invokeArn('orders'),
            api_key_required: false,
          },
          { path: '/v1/{proxy+}', method: 'ANY', function_name: 'legacy', function_invoke_arn: invokeArn('legacy') },
        ],
      },
      opaque: API_OPAQUE,
      moduleOnly: AWS_CONTEXT,
      construct: (stack) => {
        const orders = importedFunction(stack, 'orders');
        return new TracedRestApi(stack, 'api', {
          apiName: 'orders',
          routes: [
            { path: '/', method: 'GET', mock: { statusCode: 204, body: {} } },
            { path: '/v1/orders', method: 'GET', function: orders },
            { path: '/v1/orders/{orderId}/items/{itemId}', method: 'DELETE', function: orders, apiKeyRequired: false },
            { path: '/v1/{proxy+}', method: 'ANY', function: importedFunction(stack, 'legacy') },
          ],
        });
      },
    },
  ],
  'xray-sampling-rules': [
    {
      name: 'the presets, and a rule with every matcher and attributes',
      values: {
        rules: [
          { name: 'dev-health', priority: 100, fixed_rate: 0, reservoir_size: 0, url_path: '/health*' },
          { name: 'dev-critical-payment', priority: 200, fixed_rate: 1, reservoir_size: 1, url_path: '/payment*' },
          { name: 'dev-critical-checkout', priority: 201, fixed_rate: 1, reservoir_size: 1, url_path: '/checkout*' },
          {
            name: 'dev-chat',
            priority: 300,
            fixed_rate: 0.1,
            reservoir_size: 5,
            http_method: 'POST',
            url_path: '/chat*',
          },
          {
            name: 'dev-orders',
            priority: 400,
            fixed_rate: 0.5,
            reservoir_size: 2,
            service_name: 'dev-orders',
            service_type: 'AWS::Lambda::Function',
            host: 'api.example.com',
            http_method: 'GET',
            url_path: '/orders/*',
            attributes: { tier: 'gold' },
          },
        ],
      },
      construct: (stack) =>
        new XraySamplingRules(stack, 'sampling', {
          rules: [
            healthCheckRule({ namePrefix: 'dev', priority: 100, scope: { serviceName: '*' } }),
            ...criticalPathRules({ namePrefix: 'dev', priority: 200, scope: { serviceName: '*' } }),
            chatApiRule({ namePrefix: 'dev', priority: 300, scope: { serviceName: '*' } }),
            {
              name: 'dev-orders',
              priority: 400,
              fixedRate: 0.5,
              reservoirSize: 2,
              serviceName: 'dev-orders',
              serviceType: 'AWS::Lambda::Function',
              host: 'api.example.com',
              httpMethod: 'GET',
              urlPath: '/orders/*',
              attributes: { tier: 'gold' },
            },
          ],
        }),
    },
  ],
};

const built = new Map<string, Json>();
const moduleJson = (spec: ModuleSpec) => {
  if (!built.has(spec.name)) built.set(spec.name, synthModule(spec).json);
  return built.get(spec.name) as Json;
};

const terraform = hasTerraform();
if (!terraform)
  process.stdout.write('module parity: skipped, terraform is not on the PATH (it evaluates the modules)\n');

it('covers every published module, each built from its construct', () => {
  expect(Object.keys(CASES).sort()).toEqual(MODULES.map((m) => m.name).sort());
});

(terraform ? describe.each : describe.skip.each)(
  MODULES.filter((m) => m.name in CASES).map((m) => [m.name, m] as const),
)('module %s builds what its construct builds', (_, spec) => {
  it.each(CASES[spec.name].map((c) => [c.name, c] as const))('%s', (__, c) => {
    const constructJson = synth(c.construct) as unknown as Json;
    const json = moduleJson(spec);
    const report = parity(constructJson, json, terraformEvaluator(json.variable as Json, c.values), {
      opaque: c.opaque,
    });
    const onlyInModule = report.onlyInModule.filter((a) => !(c.moduleOnly ?? []).includes(a));
    expect({ onlyInConstruct: report.onlyInConstruct, onlyInModule }).toEqual({
      onlyInConstruct: [],
      onlyInModule: [],
    });
    expect(report.differences).toEqual([]);
    expect(report.matched + report.evaluated).toBeGreaterThan(10);
  });
});
