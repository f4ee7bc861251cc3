/**
 * The project's own default ADOT collector task template and collector configuration. Pure data.
 *
 * The template is written here in the upstream ECS template format (same placeholders, `{{command}}`
 * unquoted), with the collector container only: upstream's port mappings and health check, the image
 * pinned to a release. `AdotCollector` accepts any template in that format, the upstream file included.
 */

/** The collector release the project pins (aws-observability/aws-otel-collector VERSION, mid-2026). */
export const ADOT_COLLECTOR_VERSION = 'v0.49.0';
export const ADOT_COLLECTOR_IMAGE = `public.ecr.aws/aws-observability/aws-otel-collector:${ADOT_COLLECTOR_VERSION}`;
export const COLLECTOR_CONTAINER = 'aws-otel-collector';
/** The config baked into the image that the default command selects. */
export const DEFAULT_COMMAND = ['--config=/etc/ecs/ecs-default-config.yaml'];
/** Where the image's default config sends EMF metrics, and under which namespace. */
export const DEFAULT_EMF_LOG_GROUP = '/aws/ecs/application/metrics';
export const DEFAULT_METRICS_NAMESPACE = 'ECS/AWSOTel/Application';

export const DEFAULT_ADOT_TEMPLATE = `{
  "family": "adot-collector",
  "taskRoleArn": "{{ecsTaskRoleArn}}",
  "executionRoleArn": "{{ecsTaskExecutionRoleArn}}",
  "networkMode": "bridge",
  "requiresCompatibilities": ["EC2"],
  "cpu": "1024",
  "memory": "2048",
  "containerDefinitions": [
    {
      "name": "${COLLECTOR_CONTAINER}",
      "image": "${ADOT_COLLECTOR_IMAGE}",
      "essential": true,
      "command": [ {{command}} ],
      "portMappings": [
        { "hostPort": 2000, "protocol": "udp", "containerPort": 2000 },
        { "hostPort": 4317, "protocol": "tcp", "containerPort": 4317 },
        { "hostPort": 8125, "protocol": "udp", "containerPort": 8125 }
      ],
      "healthCheck": {
        "command": [ "/healthcheck" ],
        "interval": 5,
        "timeout": 6,
        "retries": 5,
        "startPeriod": 1
      },
      "logConfiguration": {
        "logDriver": "awslogs",
        "options": {
          "awslogs-group": "/ecs/adot-collector",
          "awslogs-region": "{{region}}",
          "awslogs-stream-prefix": "ecs"
        }
      }
    }
  ]
}
`;

export interface CollectorConfigOptions {
  /** The log group the awsemf exporter writes metrics to. @default DEFAULT_EMF_LOG_GROUP */
  readonly emfLogGroupName?: string;
  /** The CloudWatch namespace of those metrics. @default DEFAULT_METRICS_NAMESPACE */
  readonly namespace?: string;
}

/**
 * A collector configuration equivalent to the image's `ecs-default-config.yaml` (OTLP, X-Ray UDP and
 * StatsD in; traces to X-Ray, metrics to EMF), with the EMF log group and namespace as parameters, so
 * two stacks in one account need not share a log group. Passed through SSM as AOT_CONFIG_CONTENT.
 */
export function collectorConfig(options: CollectorConfigOptions = {}): string {
  const logGroup = options.emfLogGroupName ?? DEFAULT_EMF_LOG_GROUP;
  const namespace = options.namespace ?? DEFAULT_METRICS_NAMESPACE;
  return `extensions:
  health_check:

receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
      http:
        endpoint: 0.0.0.0:4318
  awsxray:
    endpoint: 0.0.0.0:2000
    transport: udp
  statsd:
    endpoint: 0.0.0.0:8125
    aggregation_interval: 60s

processors:
  batch/traces:
    timeout: 1s
    send_batch_size: 50
  batch/metrics:
    timeout: 60s

exporters:
  awsxray:
  awsemf:
    namespace: ${JSON.stringify(namespace)}
    log_group_name: ${JSON.stringify(logGroup)}

service:
  pipelines:
    traces:
      receivers: [otlp, awsxray]
      processors: [batch/traces]
      exporters: [awsxray]
    metrics:
      receivers: [otlp, statsd]
      processors: [batch/metrics]
      exporters: [awsemf]
  extensions: [health_check]
`;
}
