import type { ITerraformDependable } from 'cdktf';
import type { InstanceCapacity } from '../ecs-ec2-cluster';

/** The cluster a collector runs on: an `EcsEc2Cluster`, or the same facts given by reference. */
export interface CollectorCluster {
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly instanceType: string;
  /** What one instance offers tasks; without it cpu and memory are not checked at synth. */
  readonly capacity?: InstanceCapacity;
  /** What the service must be destroyed before (the cluster's capacity providers). */
  readonly capacityProviders?: ITerraformDependable;
}

export interface AdotCollectorProps {
  /** The cluster the collector runs on, one task per instance. Its instance type bounds cpu and memory. */
  readonly cluster: CollectorCluster;
  /** The region (fills `{{region}}`; the collector exports there). */
  readonly region: string;
  /**
   * The text of a task definition template in the upstream ADOT format (placeholders `{{region}}`,
   * `{{ecsTaskRoleArn}}`, `{{ecsTaskExecutionRoleArn}}` or `{{ecsExecutionRoleArn}}`, `{{command}}`):
   * the upstream `ecs-ec2-sidecar.json` itself works.
   * @default - the project's template: the collector container only, image pinned
   */
  readonly template?: string;
  /** The collector's command (fills `{{command}}`). @default ['--config=/etc/ecs/ecs-default-config.yaml'] */
  readonly command?: string[];
  /**
   * The collector image, pinned by tag or digest (never `latest`).
   * @default 'public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0'
   */
  readonly image?: string;
  /** Keep the template's demo containers (upstream: a Go X-Ray sample app, traffic, nginx, StatsD). @default false */
  readonly includeSampleApps?: boolean;
  /** Task CPU units, 128..10240, within what one instance registers. @default 1024 */
  readonly cpu?: number;
  /** Task memory in MiB, 128..122880, within what one instance registers. @default 2048 */
  readonly memory?: number;
  /** Days to keep the collector's logs and its EMF metrics log group: a CloudWatch value. @default 30 */
  readonly logRetentionDays?: number;
  /**
   * A collector configuration (YAML), stored in an SSM parameter and given to the container as
   * AOT_CONFIG_CONTENT (it takes precedence over `--config`): change pipelines without a new image.
   * At most 8 KB.
   * @default - the config the command names, baked into the image
   */
  readonly config?: string;
  /** The log group the awsemf exporter writes (created with retention). @default '/aws/ecs/application/metrics' */
  readonly emfLogGroupName?: string;
  /** The CloudWatch namespace the collector may put metrics in. @default 'ECS/AWSOTel/Application' */
  readonly metricsNamespace?: string;
  /** The ECS service name. @default 'adot-collector' */
  readonly serviceName?: string;
}
