import * as fs from 'node:fs';
import * as path from 'node:path';
import { AdotCollector, EcsEc2Cluster, collectorConfig, type AdotCollectorProps } from '../modules';
import { isPinnedImage } from '../modules/core/images';
import { errorOf, resources, synth, type Synthesized } from './helpers';
import type { ReadableStack } from '../modules';

const cluster = (stack: ReadableStack, instanceType = 't2.medium') =>
  new EcsEc2Cluster(stack, 'ecs', { clusterName: 'obs', vpcId: 'vpc-1', subnetIds: ['subnet-a'], instanceType });
const build = (props: Partial<AdotCollectorProps> = {}, instanceType?: string) =>
  synth(
    (stack) =>
      new AdotCollector(stack, 'adot', { cluster: cluster(stack, instanceType), region: 'us-west-2', ...props }),
  );

type Doc = { statement: { sid: string; actions: string[]; resources: string[]; condition?: unknown[] }[] };
const doc = (s: Synthesized, id: string) => s.data.aws_iam_policy_document[id] as unknown as Doc;
/** The container definitions, read back from the jsonencode() expression. */
const containers = (s: Synthesized): string =>
  resources(s, 'aws_ecs_task_definition').adot_task.container_definitions as string;

describe('AdotCollector with the default template', () => {
  const s = build();

  it('runs one collector per instance as a DAEMON on EC2', () => {
    expect(resources(s, 'aws_ecs_service').adot_service).toMatchObject({
      name: 'adot-collector',
      cluster: '${aws_ecs_cluster.ecs_cluster.arn}',
      task_definition: '${aws_ecs_task_definition.adot_task.arn}',
      scheduling_strategy: 'DAEMON',
      launch_type: 'EC2',
    });
    expect(resources(s, 'aws_ecs_service').adot_service.depends_on).toContain(
      'aws_ecs_cluster_capacity_providers.ecs_capacity-providers',
    );
  });

  it('defines a bridge EC2 task with 1 vCPU and 2 GB', () => {
    expect(resources(s, 'aws_ecs_task_definition').adot_task).toMatchObject({
      family: 'obs-adot-collector',
      network_mode: 'bridge',
      requires_compatibilities: ['EC2'],
      cpu: '1024',
      memory: '2048',
      task_role_arn: '${aws_iam_role.adot_task-role.arn}',
      execution_role_arn: '${aws_iam_role.adot_execution-role.arn}',
    });
  });

  it('pins the image, gives the region, and logs to a Terraform-managed group', () => {
    const c = containers(s);
    expect(c).toContain('"image" = "public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0"');
    expect(c).toContain('"command" = ["--config=/etc/ecs/ecs-default-config.yaml"]');
    expect(c).toContain('"awslogs-group" = aws_cloudwatch_log_group.adot_logs.name');
    expect(c).toContain('{"name" = "AWS_REGION", "value" = "us-west-2"}');
    expect(c).not.toContain('awslogs-create-group');
    expect(resources(s, 'aws_cloudwatch_log_group').adot_logs).toMatchObject({
      name: '/ecs/obs/adot-collector',
      retention_in_days: 30,
    });
    expect(resources(s, 'aws_cloudwatch_log_group')['adot_emf-logs']).toMatchObject({
      name: '/aws/ecs/application/metrics',
      retention_in_days: 30,
    });
  });

  it('gives the task role AWSDistroOpenTelemetryPolicy, least privilege', () => {
    const statements = doc(s, 'adot_task-role_permissions').statement;
    expect(statements.map((st) => st.sid)).toEqual([
      'WriteTraces',
      'PutMetricsInNamespace',
      'DescribeResources',
      'WriteCollectorLogs',
    ]);
    expect(statements[1]).toMatchObject({
      actions: ['cloudwatch:PutMetricData'],
      condition: [{ test: 'StringEquals', variable: 'cloudwatch:namespace', values: ['ECS/AWSOTel/Application'] }],
    });
    expect(statements[2]).toMatchObject({
      actions: ['ec2:DescribeVolumes', 'ec2:DescribeTags', 'logs:DescribeLogGroups'],
      resources: ['*'],
    });
    expect(statements[3].resources).toEqual([
      '${aws_cloudwatch_log_group.adot_logs.arn}',
      '${aws_cloudwatch_log_group.adot_logs.arn}:log-stream:*',
      '${aws_cloudwatch_log_group.adot_emf-logs.arn}',
      '${aws_cloudwatch_log_group.adot_emf-logs.arn}:log-stream:*',
    ]);
    for (const st of statements.filter((st) => st.actions.some((a) => a.startsWith('logs:Put'))))
      expect(st.resources).not.toContain('*');
  });

  it('gives the execution role the task execution policy and nothing broad', () => {
    const attached = Object.values(resources(s, 'aws_iam_role_policy_attachment')).map((a) => a.policy_arn as string);
    const execution = attached.filter((a) => a.includes('Execution'));
    expect(execution).toEqual([
      'arn:${data.aws_partition.aws-context_partition.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
    ]);
    expect(attached.join()).not.toMatch(/FullAccess|ReadOnlyAccess|Administrator/);
    // Only its own config parameter, beyond the managed policy.
    const doc = s.data.aws_iam_policy_document['adot_execution-role_permissions'] as unknown as Doc;
    expect(doc.statement).toEqual([
      expect.objectContaining({
        sid: 'ReadCollectorConfig',
        actions: ['ssm:GetParameters'],
        resources: ['${aws_ssm_parameter.adot_config.arn}'],
      }),
    ]);
  });

  it("by default, gives the image's pipelines from SSM, writing to its own EMF log group", () => {
    const own = build({ emfLogGroupName: '/aws/ecs/dev/application/metrics', metricsNamespace: 'Dev/App' });
    expect(resources(own, 'aws_ssm_parameter').adot_config.value).toBe(
      collectorConfig({ emfLogGroupName: '/aws/ecs/dev/application/metrics', namespace: 'Dev/App' }),
    );
  });
});

describe('AdotCollector options', () => {
  it('stores a collector config in SSM as AOT_CONFIG_CONTENT, readable by the execution role only', () => {
    const config = collectorConfig({ emfLogGroupName: '/aws/ecs/dev/application/metrics' });
    const s = build({ config, emfLogGroupName: '/aws/ecs/dev/application/metrics' });
    expect(resources(s, 'aws_ssm_parameter').adot_config).toMatchObject({
      name: '/obs/adot-collector/config',
      type: 'String',
      tier: 'Standard',
      value: config,
    });
    expect(containers(s)).toContain(
      '"secrets" = [{"name" = "AOT_CONFIG_CONTENT", "valueFrom" = aws_ssm_parameter.adot_config.arn}]',
    );
    expect(doc(s, 'adot_execution-role_permissions').statement).toEqual([
      expect.objectContaining({
        sid: 'ReadCollectorConfig',
        actions: ['ssm:GetParameters'],
        resources: ['${aws_ssm_parameter.adot_config.arn}'],
      }),
    ]);
    expect(config).toContain('log_group_name: "/aws/ecs/dev/application/metrics"');
  });

  const upstream = path.resolve(
    __dirname,
    '..',
    '..',
    'shared',
    'upstream',
    'aws-otel-collector',
    'ecs-ec2-sidecar.json',
  );
  (fs.existsSync(upstream) ? it : it.skip)(
    'takes the upstream template itself, dropping its demo containers by default',
    () => {
      const template = fs.readFileSync(upstream, 'utf8');
      const only = containers(build({ template }));
      expect(only).toContain('"name" = "aws-otel-collector"');
      expect(only).not.toContain('aws-otel-emitter');
      expect(only).toContain('public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0');
      const all = containers(build({ template, includeSampleApps: true }));
      for (const name of ['aws-otel-emitter', 'traffic-generator-xray', 'nginx', 'aoc-statsd-emitter'])
        expect(all).toContain(`"name" = "${name}"`);
      // every container logs, nginx included, and none asks ECS to create a group
      expect(all.match(/"logDriver" = "awslogs"/g)).toHaveLength(5);
      expect(all).not.toContain('awslogs-create-group');
    },
  );

  it('recognises pinned images', () => {
    expect(isPinnedImage('public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0')).toBe(true);
    expect(isPinnedImage(`amazon/aws-otel-collector@sha256:${'a'.repeat(64)}`)).toBe(true);
    expect(isPinnedImage('amazon/aws-otel-collector')).toBe(false);
    expect(isPinnedImage('curlimages/curl:latest')).toBe(false);
    expect(isPinnedImage('localhost:5000/collector')).toBe(false);
  });
});

describe('AdotCollector validation', () => {
  const fails = (props: Partial<AdotCollectorProps>, instanceType?: string) =>
    errorOf(
      (stack) =>
        new AdotCollector(stack, 'adot', { cluster: cluster(stack, instanceType), region: 'us-west-2', ...props }),
    );

  it.each<[Partial<AdotCollectorProps>, string]>([
    [
      { memory: 4096 },
      'memory must be at most the about 3676 MiB one t2.medium registers; lower memory or pick a larger instance type, got 4096',
    ],
    [
      { cpu: 4096 },
      'cpu must be at most the 2048 units one t2.medium registers (1024 per vCPU); lower cpu or pick a larger instance type, got 4096',
    ],
    [{ command: [] }, 'command must be a non-empty list, got []'],
    [
      { image: 'amazon/aws-otel-collector:latest' },
      'image must be pinned to a release tag or digest (not untagged, not :latest), got "amazon/aws-otel-collector:latest"',
    ],
    [{ region: 'Oregon' }, 'region must be an AWS region name like "us-west-2", got "Oregon"'],
    [
      { template: '{"family": "{{familly}}", "containerDefinitions": []}' },
      expect.stringContaining('template: unknown placeholder {{familly}}') as never,
    ],
    [
      { template: '{"containerDefinitions": [{"name": "other", "command": [{{command}}]}]}' },
      'template must define a container named "aws-otel-collector", got ["other"]',
    ],
    [{ config: 'x'.repeat(9000) }, 'config must be 1..8192 bytes (an SSM parameter), got 9000 bytes'],
  ])('%j', (props, message) => {
    const error = fails(props);
    if (typeof message === 'string') expect(error).toBe(`AdotCollector "test/adot": ${message}`);
    else expect(error).toEqual(message);
  });
});
