import { ECS_EC2_CLUSTER_INPUTS, EcsEc2Cluster } from '../modules/ecs-ec2-cluster';
import { constructModule } from './framework';

/** EcsEc2Cluster as a module: the construct, built from variables. */
export const ecsEc2ClusterModule = constructModule({
  name: 'ecs-ec2-cluster',
  title: 'ECS cluster on EC2',
  description:
    'An ECS cluster on EC2: Container Insights, a launch template on the ECS-optimized Amazon Linux 2023 AMI (IMDSv2 only, encrypted gp3 root, no public IP), an auto scaling group in private subnets, and a capacity provider with managed scaling and termination protection as the default strategy.',
  inputs: ECS_EC2_CLUSTER_INPUTS,
  construct: (scope, props) => new EcsEc2Cluster(scope, 'ecs', props),
  outputs: (cluster) => ({
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
  }),
  example: {
    cluster_name: '"dev-observability"',
    vpc_id: '"vpc-0123456789abcdef0"',
    subnet_ids: '["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]',
    instance_type: '"t2.medium"',
  },
});
