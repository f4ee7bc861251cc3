import { RESERVED_MEMORY_MIB } from './instance-types';

/**
 * The instances' user data: join the cluster and configure the ECS agent. A pure function.
 * - ECS_RESERVED_MEMORY keeps memory for the agent and the OS (the capacity table assumes it);
 * - ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM tags container instances like their EC2 instance;
 * - ECS_ENABLE_TASK_IAM_ROLE(_NETWORK_HOST) lets tasks use their own roles, never the instance's.
 */
export function ecsUserData(clusterName: string): string {
  return [
    '#!/bin/bash',
    'set -euo pipefail',
    "cat <<'CONFIG' >> /etc/ecs/ecs.config",
    `ECS_CLUSTER=${clusterName}`,
    `ECS_RESERVED_MEMORY=${RESERVED_MEMORY_MIB}`,
    'ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM=ec2_instance',
    'ECS_ENABLE_TASK_IAM_ROLE=true',
    'ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=true',
    'CONFIG',
    '',
  ].join('\n');
}
