import { EcsEc2Cluster, INSTANCE_TYPES } from '../modules/ecs-ec2-cluster';
import { oneOf, wholeIn, type ModuleSpec } from './framework';

const TYPES = Object.keys(INSTANCE_TYPES);

/** EcsEc2Cluster as a module: the construct itself, built from variables. */
export const ecsEc2ClusterModule: ModuleSpec = {
  name: 'ecs-ec2-cluster',
  title: 'ECS cluster on EC2',
  description:
    'An ECS cluster on EC2: Container Insights, a launch template on the ECS-optimized Amazon Linux 2023 AMI (IMDSv2 only, encrypted gp3 root, no public IP), an auto scaling group in private subnets, and a capacity provider with managed scaling and termination protection as the default strategy.',
  variables: [
    {
      name: 'cluster_name',
      type: 'string',
      description:
        'The cluster name: 1..55 letters, digits, hyphens and underscores (it also names the ASG, launch template, role and capacity provider).',
      validation: [
        {
          condition: 'can(regex("^[A-Za-z0-9_-]{1,55}$", var.cluster_name))',
          errorMessage: 'cluster_name must be 1..55 letters, digits, hyphens and underscores.',
        },
      ],
    },
    { name: 'vpc_id', type: 'string', description: 'The VPC of the instances (for their security group).' },
    {
      name: 'subnet_ids',
      type: 'list(string)',
      description: 'Subnets of the auto scaling group: private ones; at least one.',
      validation: [{ condition: 'length(var.subnet_ids) > 0', errorMessage: 'subnet_ids must be a non-empty list.' }],
    },
    {
      name: 'instance_type',
      type: 'string',
      description:
        'The EC2 instance type: one whose capacity the construct knows (t2, t3, t3a, m5, m6i, c5, c6i sizes).',
      default: 't2.medium',
      validation: [oneOf('instance_type', TYPES)],
    },
    {
      name: 'min_size',
      type: 'number',
      description: 'Minimum instances, 0..1000.',
      default: 1,
      validation: [wholeIn('min_size', 0, 1000)],
    },
    {
      name: 'max_size',
      type: 'number',
      description: 'Maximum instances, 1..1000.',
      default: 2,
      validation: [wholeIn('max_size', 1, 1000)],
    },
    {
      name: 'desired_capacity',
      type: 'number',
      description: 'Instances at creation (then managed scaling owns it): min_size <= desired_capacity <= max_size.',
      default: 1,
      validation: [
        wholeIn('desired_capacity', 0, 1000),
        {
          condition: 'var.min_size <= var.desired_capacity && var.desired_capacity <= var.max_size',
          errorMessage: 'min_size <= desired_capacity <= max_size must hold.',
        },
      ],
    },
    {
      name: 'root_volume_gib',
      type: 'number',
      description: 'Root volume size in GiB, 30..16384.',
      default: 30,
      validation: [wholeIn('root_volume_gib', 30, 16384)],
    },
    {
      name: 'container_insights',
      type: 'bool',
      description: 'CloudWatch Container Insights on the cluster.',
      default: true,
    },
    {
      name: 'ebs_kms_key_arn',
      type: 'string',
      description: "A KMS key for the root volumes; null uses the account's default EBS key.",
      default: null,
    },
  ],
  build(scope, v) {
    const cluster = new EcsEc2Cluster(scope, 'ecs', {
      clusterName: v.cluster_name.stringValue,
      vpcId: v.vpc_id.stringValue,
      subnetIds: v.subnet_ids.listValue,
      instanceType: v.instance_type.stringValue,
      minSize: v.min_size.numberValue,
      maxSize: v.max_size.numberValue,
      desiredCapacity: v.desired_capacity.numberValue,
      rootVolumeGiB: v.root_volume_gib.numberValue,
      // A Terraform reference: the construct turns it into a conditional expression.
      containerInsights: v.container_insights.booleanValue as unknown as boolean,
      ebsKmsKeyArn: v.ebs_kms_key_arn.stringValue,
    });
    return {
      cluster_name: { value: cluster.cluster.name, description: 'The ECS cluster name' },
      cluster_arn: { value: cluster.clusterArn, description: 'The ECS cluster ARN' },
      capacity_provider_name: {
        value: cluster.capacityProviderName,
        description: 'The capacity provider (the default strategy)',
      },
      security_group_id: {
        value: cluster.securityGroupId,
        description: 'The instances security group (no inbound rules)',
      },
      autoscaling_group_name: { value: cluster.autoScalingGroupName, description: 'The auto scaling group name' },
      instance_role_arn: { value: cluster.instanceRoleArn, description: 'The container instances role' },
    };
  },
  example: {
    cluster_name: '"dev-observability"',
    vpc_id: '"vpc-0123456789abcdef0"',
    subnet_ids: '["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]',
    instance_type: '"t2.medium"',
  },
};
