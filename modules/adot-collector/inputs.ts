/** AdotCollector's inputs, described once: `props.ts`, the checks, the module variables and the README come from here. */
import { hcl, implies, isSet, known, le, lengthOf, lookup, matches, oneOf, type Bool } from '../core/expr';
import { isPinnedImage } from '../core/images';
import { derived, flag, inputs, none, ref, retentionDays, strings, text, whole } from '../core/inputs';
import { AWS_REGION_PATTERN } from '../core/validation';
import { INSTANCE_TYPES, instanceCapacity } from '../ecs-ec2-cluster';
import type { CollectorCluster } from './collector-cluster';
import {
  ADOT_COLLECTOR_IMAGE,
  DEFAULT_COMMAND,
  DEFAULT_EMF_LOG_GROUP,
  DEFAULT_METRICS_NAMESPACE,
  collectorConfig,
} from './defaults';
import type { AdotCollectorProps } from './props';

/** SSM parameter tiers by size: Standard to 4 KB, Advanced to 8 KB. */
export const SSM_STANDARD_MAX = 4096;
export const SSM_ADVANCED_MAX = 8192;

const TYPES = Object.keys(INSTANCE_TYPES);
/** What one instance of each type registers: CPU units, and MiB (an estimate that errs low). */
const table = (pick: 'registrableCpu' | 'registrableMemoryMiB') =>
  Object.fromEntries(TYPES.map((t) => [t, instanceCapacity(t)?.[pick] as number]));
const REGISTRABLE_CPU = table('registrableCpu');
const REGISTRABLE_MEMORY = table('registrableMemoryMiB');

/** `amount` fits what one instance of `type` registers (a type the table does not know is not checked). */
const fits = (amount: number, type: string, registrable: Record<string, number>): Bool =>
  implies(oneOf(type, TYPES), le(amount, lookup<number>(registrable, type, 0)));

/** The bytes of a config at synth, its characters at plan (Terraform counts characters). */
const size = (config: string) => (known(config) ? Buffer.byteLength(config) : lengthOf(config));

type Fit = { cluster: CollectorCluster; cpu: number; memory: number };

export const ADOT_COLLECTOR_INPUTS = inputs<AdotCollectorProps>()(
  {
    cluster: ref<CollectorCluster>({
      doc: 'The cluster the collector runs on, one task per instance. Its instance type bounds `cpu` and `memory`.',
      type: 'CollectorCluster',
      from: './collector-cluster',
      // A module takes the cluster by name, ARN and instance type.
      module: {
        parts: [
          {
            suffix: 'name',
            type: 'string',
            description: 'The ECS cluster the collector runs on (at most 49 characters: it names the roles).',
          },
          { suffix: 'arn', type: 'string', description: 'The ARN of that cluster.' },
          {
            suffix: 'instance_type',
            type: 'string',
            description: "The cluster's instance type: cpu and memory must fit one instance.",
            default: 't2.medium',
          },
        ],
        read: (get) => ({
          clusterName: get.string('name'),
          clusterArn: get.string('arn'),
          instanceType: get.string('instance_type'),
        }),
        checks: [
          {
            part: 'instance_type',
            rule: `one of the types whose capacity is known (${[...new Set(TYPES.map((t) => t.split('.')[0]))].join(', ')} sizes)`,
            test: (get) => oneOf(get.string('instance_type'), TYPES),
          },
        ],
      },
    }),
    region: text({
      doc: 'The region (fills `{{region}}`; the collector exports there).',
      pattern: AWS_REGION_PATTERN,
      rule: 'an AWS region name like "us-west-2"',
      // A module reads it from its provider.
      notInModule: true,
    }),
    template: text({
      doc: `The text of a task definition template in the upstream ADOT format (placeholders \`{{region}}\`,
\`{{ecsTaskRoleArn}}\`, \`{{ecsTaskExecutionRoleArn}}\` or \`{{ecsExecutionRoleArn}}\`, \`{{command}}\`):
the upstream \`ecs-ec2-sidecar.json\` itself works.`,
      default: none("the project's template: the collector container only, image pinned"),
      // Rendered at synth: a module always uses the project's template.
      notInModule: true,
    }),
    command: strings({
      doc: "The collector's command (fills `{{command}}`).",
      default: DEFAULT_COMMAND,
      nonEmpty: true,
      rules: [
        {
          rule: 'a list of non-empty strings',
          test: (c) => c.every((item) => typeof item === 'string' && item.length > 0),
        },
      ],
      notInModule: true,
    }),
    image: text({
      doc: 'The collector image, pinned by tag or digest (never `latest`).',
      default: ADOT_COLLECTOR_IMAGE,
      rules: [
        {
          rule: 'pinned to a release tag or digest (not untagged, not :latest)',
          test: (image) =>
            known(image)
              ? isPinnedImage(image)
              : hcl`(${matches(image, /(@sha256:[0-9a-f]{64}$)|(:[^/:]+$)/)} ? !endswith(${image}, ":latest") : false)`,
        },
      ],
    }),
    includeSampleApps: flag({
      doc: "Keep the template's demo containers (upstream: a Go X-Ray sample app, traffic, nginx, StatsD).",
      default: false,
      notInModule: true,
    }),
    cpu: whole({
      doc: 'Task CPU units, 128..10240, within what one instance registers.',
      min: 128,
      max: 10240,
      default: 1024,
    }),
    memory: whole({
      doc: 'Task memory in MiB, 128..122880, within what one instance registers.',
      min: 128,
      max: 122880,
      default: 2048,
    }),
    logRetentionDays: retentionDays({
      doc: "Days to keep the collector's logs and its EMF metrics log group: a value CloudWatch Logs accepts.",
      default: 30,
    }),
    config: text({
      doc: `A collector configuration (YAML), stored in an SSM parameter and given to the container as
AOT_CONFIG_CONTENT (it takes precedence over \`--config\`): change pipelines without a new image.
At most 8 KB.`,
      default: derived(
        "the image's default pipelines (OTLP, X-Ray and StatsD in; X-Ray and EMF out), writing to emfLogGroupName under metricsNamespace",
        (p: { emfLogGroupName: string; metricsNamespace: string }) =>
          collectorConfig({ emfLogGroupName: p.emfLogGroupName, namespace: p.metricsNamespace }),
      ),
      rules: [
        {
          rule: `1..${SSM_ADVANCED_MAX} bytes (an SSM parameter)`,
          test: (config) =>
            known(config)
              ? config.trim().length > 0 && Buffer.byteLength(config) <= SSM_ADVANCED_MAX
              : hcl`(length(trimspace(${config})) > 0 && ${le(size(config), SSM_ADVANCED_MAX)})`,
          got: (config) => `${Buffer.byteLength(config)} bytes`,
        },
      ],
    }),
    emfLogGroupName: text({
      doc: 'The log group the awsemf exporter writes (created with retention).',
      default: DEFAULT_EMF_LOG_GROUP,
    }),
    metricsNamespace: text({
      doc: 'The CloudWatch namespace the collector may put metrics in (the only one).',
      default: DEFAULT_METRICS_NAMESPACE,
    }),
    serviceName: text({
      doc: 'The ECS service name: 1..255 letters, digits, hyphens and underscores.',
      pattern: /^[A-Za-z0-9_-]{1,255}$/,
      rule: '1..255 letters, digits, hyphens and underscores',
      default: 'adot-collector',
    }),
  },
  {
    kind: 'AdotCollector',
    typeName: 'AdotCollectorProps',
    doc: 'Props of {@link AdotCollector}.',
    checks: [
      {
        field: 'cpu',
        rule: (_, p?: Fit) =>
          p
            ? `at most the ${REGISTRABLE_CPU[p.cluster.instanceType]} units one ${p.cluster.instanceType} registers (1024 per vCPU); lower cpu or pick a larger instance type`
            : 'at most what one instance of cluster_instance_type registers (1024 units per vCPU)',
        test: (p) => fits(p.cpu, p.cluster.instanceType, REGISTRABLE_CPU),
      },
      {
        field: 'memory',
        rule: (_, p?: Fit) =>
          p
            ? `at most the about ${REGISTRABLE_MEMORY[p.cluster.instanceType]} MiB one ${p.cluster.instanceType} registers; lower memory or pick a larger instance type`
            : 'at most what one instance of cluster_instance_type registers (installed memory less about 4% and 256 MiB)',
        test: (p) => fits(p.memory, p.cluster.instanceType, REGISTRABLE_MEMORY),
      },
      {
        field: 'cluster.clusterName',
        variable: 'cluster_name',
        rule: 'at most 49 characters (the execution role is <clusterName>-adot-execution, 64 at most)',
        test: (p) => implies(isSet(p.cluster.clusterName), le(lengthOf(p.cluster.clusterName), 49)),
        got: (p) => p.cluster.clusterName,
      },
    ],
  },
);
