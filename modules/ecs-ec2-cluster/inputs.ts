/** EcsEc2Cluster's inputs, described once: `props.ts`, the checks, the module variables and the README come from here. */
import { and, le, oneOf } from '../core/expr';
import { arn, flag, inputs, none, strings, text, whole } from '../core/inputs';
import { KMS_KEY_ARN } from '../core/validation';
import { INSTANCE_TYPES } from './instance-types';
import type { EcsEc2ClusterProps } from './props';

const FAMILIES = [...new Set(Object.keys(INSTANCE_TYPES).map((t) => t.split('.')[0]))].join(', ');

export const ECS_EC2_CLUSTER_INPUTS = inputs<EcsEc2ClusterProps>()(
  {
    clusterName: text({
      doc: `The cluster name: 1..55 letters, digits, hyphens and underscores (it also names the auto
scaling group, launch template, instance role and capacity provider).`,
      pattern: /^[A-Za-z0-9_-]{1,55}$/,
      rule: '1..55 letters, digits, hyphens and underscores',
    }),
    vpcId: text({ doc: 'The VPC of the instances (for their security group).' }),
    subnetIds: strings({ doc: 'Subnets of the auto scaling group: private ones; at least one.', nonEmpty: true }),
    instanceType: text({
      doc: `The EC2 instance type: one the cluster knows the capacity of (${FAMILIES} sizes),
so tasks can be checked against it at synth.`,
      default: 't2.medium',
      rules: [
        {
          rule: `a type whose capacity the cluster knows (sizes of ${FAMILIES})`,
          test: (type) => oneOf(type, Object.keys(INSTANCE_TYPES)),
        },
      ],
    }),
    minSize: whole({ doc: 'Minimum instances, 0..1000.', min: 0, max: 1000, default: 1 }),
    maxSize: whole({ doc: 'Maximum instances, 1..1000, at least `desiredCapacity`.', min: 1, max: 1000, default: 2 }),
    desiredCapacity: whole({
      doc: 'Instances at creation, `minSize..maxSize` (then managed scaling owns it).',
      min: 0,
      max: 1000,
      default: 1,
    }),
    rootVolumeGiB: whole({
      doc: "Root volume size in GiB, 30..16384 (the ECS AMI's snapshot is 30 GiB).",
      min: 30,
      max: 16384,
      default: 30,
    }),
    instanceWarmupSeconds: whole({
      doc: `Seconds a new instance gets to join the cluster and start its daemon tasks (the ADOT collector)
before it counts as ready: an instance refresh terminates an old instance only after its replacement
is this old, 0..3600.`,
      min: 0,
      max: 3600,
      default: 180,
    }),
    containerInsights: flag({ doc: 'CloudWatch Container Insights on the cluster.', default: true }),
    ebsKmsKeyArn: arn({
      kind: KMS_KEY_ARN,
      doc: 'A KMS key for the root volumes, by ARN.',
      default: none("the account's default EBS key"),
    }),
  },
  {
    kind: 'EcsEc2Cluster',
    typeName: 'EcsEc2ClusterProps',
    doc: 'Props of {@link EcsEc2Cluster}.',
    checks: [
      {
        field: 'desiredCapacity',
        rule: (n, p?: { minSize: number; maxSize: number }) =>
          `within ${n('minSize')}..${n('maxSize')}${p ? ` (${p.minSize}..${p.maxSize})` : ''}`,
        test: (p) => and(le(p.minSize, p.desiredCapacity), le(p.desiredCapacity, p.maxSize)),
      },
    ],
  },
);
