export { ECS_AMI_PARAMETER, EcsEc2Cluster, INSTANCE_MANAGED_POLICIES } from './ecs-ec2-cluster';
export { ECS_EC2_CLUSTER_INPUTS } from './inputs';
export type { EcsEc2ClusterProps } from './props';
export {
  INSTANCE_TYPES,
  KERNEL_OVERHEAD,
  RESERVED_MEMORY_MIB,
  instanceCapacity,
  taskFitProblem,
  type InstanceCapacity,
} from './instance-types';
export { ecsUserData } from './user-data';
