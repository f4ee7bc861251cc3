import { adotCollectorModule } from './adot-collector';
import { ecsEc2ClusterModule } from './ecs-ec2-cluster';
import { networkModule } from './network';
import type { ModuleSpec } from './framework';
import { tracedFunctionModule } from './traced-function';
import { tracedQueueModule } from './traced-queue';
import { tracedRestApiModule } from './traced-rest-api';
import { xraySamplingRulesModule } from './xray-sampling-rules';

/** Every construct published as a Terraform module so far. */
export const MODULES: readonly ModuleSpec[] = [
  networkModule,
  ecsEc2ClusterModule,
  adotCollectorModule,
  tracedFunctionModule,
  tracedQueueModule,
  tracedRestApiModule,
  xraySamplingRulesModule,
];

export * from './framework';
