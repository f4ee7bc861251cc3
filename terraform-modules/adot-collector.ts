import { ADOT_COLLECTOR_INPUTS, AdotCollector } from '../modules/adot-collector';
import { AwsContext } from '../modules/core/aws-context';
import { constructModule } from './framework';

/**
 * AdotCollector as a module: the construct on a cluster given by name, ARN and instance type, with the
 * project's task template; the region comes from the provider.
 */
export const adotCollectorModule = constructModule({
  name: 'adot-collector',
  title: 'ADOT collector as an ECS daemon',
  description:
    "The AWS Distro for OpenTelemetry collector as an ECS daemon on an EC2 cluster (host ports 2000/udp X-Ray, 4317/tcp OTLP, 8125/udp StatsD), from the project's task template (collector container only, image pinned), with least-privilege task and execution roles, log groups created with retention, and its configuration in SSM.",
  inputs: ADOT_COLLECTOR_INPUTS,
  supply: (scope) => ({ region: AwsContext.of(scope).region }),
  construct: (scope, props) => new AdotCollector(scope, 'adot', props),
  outputs: (collector) => ({
    service_name: { value: collector.serviceName, description: 'The collector ECS service (DAEMON)' },
    task_definition_arn: { value: collector.taskDefinitionArn, description: 'The task definition' },
    task_role_arn: {
      value: collector.taskRoleArn,
      description: 'The task role (AWSDistroOpenTelemetryPolicy, least privilege)',
    },
    execution_role_arn: { value: collector.executionRoleArn, description: 'The task execution role' },
    log_group_name: { value: collector.logGroupName, description: "The collector's log group" },
    emf_log_group_name: { value: collector.emfLogGroupName, description: 'The EMF metrics log group' },
    config_parameter_name: {
      value: collector.configParameterName,
      description: 'The SSM parameter holding the collector configuration',
    },
  }),
  example: {
    cluster_name: '"dev-observability"',
    cluster_arn: '"arn:aws:ecs:us-west-2:111122223333:cluster/dev-observability"',
    cluster_instance_type: '"t2.medium"',
    emf_log_group_name: '"/aws/ecs/dev/application/metrics"',
  },
});
