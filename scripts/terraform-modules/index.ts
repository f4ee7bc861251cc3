import { ecsEc2ClusterModule } from './ecs-ec2-cluster';
import type { ModuleSpec } from './framework';
import { tracedQueueModule } from './traced-queue';
import { xraySamplingRulesModule } from './xray-sampling-rules';

/** Every construct published as a Terraform module so far. */
export const MODULES: readonly ModuleSpec[] = [ecsEc2ClusterModule, tracedQueueModule, xraySamplingRulesModule];

export * from './framework';
