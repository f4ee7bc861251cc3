export interface EcsEc2ClusterProps {
  /**
   * The cluster name: 1..55 letters, digits, hyphens and underscores (it also names the auto
   * scaling group, launch template, instance role and capacity provider).
   */
  readonly clusterName: string;
  /** The VPC of the instances (for their security group). */
  readonly vpcId: string;
  /** Subnets of the auto scaling group: private ones; at least one. */
  readonly subnetIds: string[];
  /**
   * The EC2 instance type: one the cluster knows the capacity of (t2, t3, t3a, m5, m6i, c5, c6i sizes),
   * so tasks can be checked against it at synth.
   * @default 't2.medium'
   */
  readonly instanceType?: string;
  /** Minimum instances, >= 0. @default 1 */
  readonly minSize?: number;
  /** Maximum instances, >= desiredCapacity. @default 2 */
  readonly maxSize?: number;
  /** Instances at creation, minSize..maxSize (then managed scaling owns it). @default 1 */
  readonly desiredCapacity?: number;
  /** Root volume size in GiB, 30..16384 (the ECS AMI's snapshot is 30 GiB). @default 30 */
  readonly rootVolumeGiB?: number;
  /** CloudWatch Container Insights on the cluster. @default true */
  readonly containerInsights?: boolean;
  /** A KMS key for the root volumes. @default - the account's default EBS key */
  readonly ebsKmsKeyArn?: string;
}

export const CLUSTER_DEFAULTS = {
  instanceType: 't2.medium',
  minSize: 1,
  maxSize: 2,
  desiredCapacity: 1,
  rootVolumeGiB: 30,
  containerInsights: true,
} as const;

/** The public SSM parameter naming the recommended ECS-optimized Amazon Linux 2023 AMI (x86_64). */
export const ECS_AMI_PARAMETER = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';
