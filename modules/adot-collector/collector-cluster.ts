import type { ITerraformDependable } from 'cdktf';
import type { InstanceCapacity } from '../ecs-ec2-cluster';

/** The cluster a collector runs on: an `EcsEc2Cluster`, or the same facts given by reference. */
export interface CollectorCluster {
  /** The cluster's name (it prefixes the collector's roles, log group and parameter). */
  readonly clusterName: string;
  /** The cluster's ARN (the service runs there). */
  readonly clusterArn: string;
  /** The instances' EC2 type: one instance must hold the task. */
  readonly instanceType: string;
  /** What one instance offers tasks; without it cpu and memory are checked against the type's table entry. */
  readonly capacity?: InstanceCapacity;
  /** What the service must be destroyed before (the cluster's capacity providers). */
  readonly capacityProviders?: ITerraformDependable;
}
