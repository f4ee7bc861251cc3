import { Fn, TerraformLocal } from 'cdktf';
import {
  AdotCollector,
  ADOT_COLLECTOR_IMAGE,
  DEFAULT_EMF_LOG_GROUP,
  DEFAULT_METRICS_NAMESPACE,
  collectorConfig,
} from '../modules/adot-collector';
import { AwsContext } from '../modules/core/aws-context';
import { LOG_RETENTION_DAYS } from '../modules/core/validation';
import { INSTANCE_TYPES, instanceCapacity } from '../modules/ecs-ec2-cluster';
import { oneOf, wholeIn, type ModuleSpec } from './framework';

/** Instance type -> what one instance registers, as HCL map literals for the fit validations. */
const capacities = (pick: 'registrableCpu' | 'registrableMemoryMiB') =>
  `{ ${Object.keys(INSTANCE_TYPES)
    .map((t) => `"${t}" = ${instanceCapacity(t)?.[pick]}`)
    .join(', ')} }`;

/**
 * AdotCollector as a module: the construct itself, on a cluster given by name, ARN and instance
 * type. The collector's pipelines come from an SSM parameter (AOT_CONFIG_CONTENT): `config`, or by
 * default the image's default pipelines with this module's EMF log group.
 */
export const adotCollectorModule: ModuleSpec = {
  name: 'adot-collector',
  title: 'ADOT collector as an ECS daemon',
  description:
    "The AWS Distro for OpenTelemetry collector as an ECS daemon on an EC2 cluster (host ports 2000/udp X-Ray, 4317/tcp OTLP, 8125/udp StatsD), from the project's task template (collector container only, image pinned), with least-privilege task and execution roles, log groups created with retention, and its configuration in SSM.",
  variables: [
    {
      name: 'cluster_name',
      type: 'string',
      description: 'The ECS cluster the collector runs on (at most 49 characters: it names the roles).',
      validation: [
        {
          condition: 'length(var.cluster_name) >= 1 && length(var.cluster_name) <= 49',
          errorMessage:
            'cluster_name must be 1..49 characters (the execution role is <cluster_name>-adot-execution, 64 at most).',
        },
      ],
    },
    { name: 'cluster_arn', type: 'string', description: 'The ARN of that cluster.' },
    {
      name: 'instance_type',
      type: 'string',
      description: "The cluster's instance type: cpu and memory must fit one instance.",
      default: 't2.medium',
      validation: [oneOf('instance_type', Object.keys(INSTANCE_TYPES))],
    },
    {
      name: 'cpu',
      type: 'number',
      description: 'Task CPU units, 128..10240, within what one instance registers.',
      default: 1024,
      validation: [
        wholeIn('cpu', 128, 10240),
        {
          condition: `var.cpu <= lookup(${capacities('registrableCpu')}, var.instance_type, 0)`,
          errorMessage: 'cpu exceeds what one instance of instance_type registers (1024 units per vCPU).',
        },
      ],
    },
    {
      name: 'memory',
      type: 'number',
      description:
        'Task memory in MiB, within what one instance registers (installed memory less about 4% and the 256 MiB the cluster reserves).',
      default: 2048,
      validation: [
        wholeIn('memory', 128, 122880),
        {
          condition: `var.memory <= lookup(${capacities('registrableMemoryMiB')}, var.instance_type, 0)`,
          errorMessage: 'memory exceeds what one instance of instance_type registers.',
        },
      ],
    },
    {
      name: 'image',
      type: 'string',
      description: 'The collector image, pinned by a release tag or a digest.',
      default: ADOT_COLLECTOR_IMAGE,
      validation: [
        {
          condition: 'can(regex("(@sha256:[0-9a-f]{64}$)|(:[^/:]+$)", var.image)) && !endswith(var.image, ":latest")',
          errorMessage: 'image must be pinned to a release tag or digest (not untagged, not :latest).',
        },
      ],
    },
    {
      name: 'log_retention_days',
      type: 'number',
      description: "Days to keep the collector's logs and its EMF metrics: a value CloudWatch Logs accepts.",
      default: 30,
      validation: [oneOf('log_retention_days', LOG_RETENTION_DAYS)],
    },
    {
      name: 'config',
      type: 'string',
      description:
        "The collector configuration (YAML), at most 8 KB; null: the image's default pipelines with emf_log_group_name.",
      default: null,
      // Terraform's || evaluates both sides: coalesce keeps length() away from null.
      validation: [
        {
          condition: 'length(coalesce(var.config, "x")) <= 8192',
          errorMessage: 'config must be at most 8192 characters (an SSM parameter).',
        },
      ],
    },
    {
      name: 'emf_log_group_name',
      type: 'string',
      description: 'The log group the awsemf exporter writes (created with retention).',
      default: DEFAULT_EMF_LOG_GROUP,
    },
    {
      name: 'metrics_namespace',
      type: 'string',
      description: 'The only CloudWatch namespace the collector may put metrics in.',
      default: DEFAULT_METRICS_NAMESPACE,
    },
    {
      name: 'service_name',
      type: 'string',
      description: 'The ECS service name.',
      default: 'adot-collector',
      validation: [
        {
          condition: 'can(regex("^[A-Za-z0-9_-]{1,255}$", var.service_name))',
          errorMessage: 'service_name must be 1..255 letters, digits, hyphens and underscores.',
        },
      ],
    },
  ],
  build(scope, v) {
    const emfLogGroupName = v.emf_log_group_name.stringValue;
    // A local template, so the variables in it are interpolated without nesting them in a function call.
    const defaultConfig = new TerraformLocal(
      scope,
      'default_config',
      collectorConfig({ emfLogGroupName, namespace: v.metrics_namespace.stringValue }),
    );
    const collector = new AdotCollector(scope, 'adot', {
      cluster: {
        clusterName: v.cluster_name.stringValue,
        clusterArn: v.cluster_arn.stringValue,
        instanceType: v.instance_type.stringValue,
      },
      region: AwsContext.of(scope).region,
      image: v.image.stringValue,
      cpu: v.cpu.numberValue,
      memory: v.memory.numberValue,
      logRetentionDays: v.log_retention_days.numberValue,
      config: Fn.coalesce([v.config.value, defaultConfig.asString]),
      emfLogGroupName,
      metricsNamespace: v.metrics_namespace.stringValue,
      serviceName: v.service_name.stringValue,
    });
    return {
      service_name: { value: collector.serviceName, description: 'The collector ECS service (DAEMON)' },
      task_definition_arn: { value: collector.taskDefinitionArn, description: 'The task definition' },
      task_role_arn: {
        value: collector.taskRoleArn,
        description: 'The task role (AWSDistroOpenTelemetryPolicy, least privilege)',
      },
      execution_role_arn: { value: collector.executionRoleArn, description: 'The task execution role' },
      log_group_name: { value: collector.logGroupName, description: "The collector's log group" },
      emf_log_group_name: { value: collector.emfLogGroupName, description: 'The EMF metrics log group' },
      config_parameter_name: {
        value: collector.configParameterName,
        description: 'The SSM parameter holding the collector configuration',
      },
    };
  },
  example: {
    cluster_name: '"dev-observability"',
    cluster_arn: '"arn:aws:ecs:us-west-2:111122223333:cluster/dev-observability"',
    instance_type: '"t2.medium"',
    emf_log_group_name: '"/aws/ecs/dev/application/metrics"',
  },
};
