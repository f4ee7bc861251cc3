import { Annotations, Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { AwsContext } from '../core/aws-context';
import { isPinnedImage } from '../core/images';
import { Role, managedPolicyArn } from '../core/iam';
import { gt, known, lengthOf, when } from '../core/expr';
import { invalid } from '../core/validation';
import { XRAY_WRITE_ACTIONS } from '../core/iam';
import { COLLECTOR_CONTAINER, DEFAULT_ADOT_TEMPLATE } from './defaults';
import { ADOT_COLLECTOR_INPUTS, SSM_STANDARD_MAX } from './inputs';
import type { AdotCollectorProps } from './props';
import {
  AdotTemplateError,
  renderAdotTaskTemplate,
  type ContainerDefinition,
  type TaskDefinitionTemplate,
} from './template';

/** A number as the text ECS wants, a Terraform reference included. */
const numberText = (n: number) => (known(n) ? String(n) : Token.asString(n));

/**
 * The AWS Distro for OpenTelemetry collector as an ECS daemon: one task per container instance
 * (host ports 2000/udp X-Ray, 4317/tcp OTLP, 8125/udp StatsD), from a task template in the upstream
 * format, with least-privilege task and execution roles and log groups created with retention.
 */
export class AdotCollector extends Construct {
  /** The ECS service's name (a DAEMON: one task per instance). */
  public readonly serviceName: string;
  /** The task role: X-Ray writes, metrics in one namespace, its own log groups. */
  public readonly taskRoleArn: string;
  /** The task execution role: pulls the image, writes container logs, reads the config parameter. */
  public readonly executionRoleArn: string;
  /** The task definition's ARN. */
  public readonly taskDefinitionArn: string;
  /** The collector's log group. */
  public readonly logGroupName: string;
  /** The log group the awsemf exporter writes metrics to. */
  public readonly emfLogGroupName: string;
  /** The rendered task definition as submitted (role ARNs are Terraform references). */
  public readonly taskDefinition: TaskDefinitionTemplate;
  /** The SSM parameter holding the collector's configuration. */
  public readonly configParameterName: string;

  constructor(scope: Construct, id: string, props: AdotCollectorProps) {
    super(scope, id);
    const p = ADOT_COLLECTOR_INPUTS.resolve(this, props);
    const { cluster, command, image, cpu, memory, config } = p;
    const retention = p.logRetentionDays;
    const emfLogGroupName = p.emfLogGroupName;
    const namespace = p.metricsNamespace;
    const serviceName = p.serviceName;

    const aws = AwsContext.of(this);
    const prefix = `${cluster.clusterName}-adot`;
    const logs = new CloudwatchLogGroup(this, 'logs', {
      name: `/ecs/${cluster.clusterName}/adot-collector`,
      retentionInDays: retention,
    });
    const emf = new CloudwatchLogGroup(this, 'emf-logs', { name: emfLogGroupName, retentionInDays: retention });
    this.logGroupName = logs.name;
    this.emfLogGroupName = emf.name;

    const trustConditions = [
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: [aws.accountId] },
      { test: 'ArnLike', variable: 'aws:SourceArn', values: [aws.arn('ecs', '*')] },
    ];
    // The tutorial's AWSOTTaskRole with AWSDistroOpenTelemetryPolicy, least privilege.
    const taskRole = new Role(this, 'task-role', {
      name: `${prefix}-task`,
      description: 'ADOT collector task: sends traces to X-Ray and metrics to CloudWatch',
      assumedBy: 'ecs-tasks.amazonaws.com',
      trustConditions,
    });
    taskRole.addToPolicy({ sid: 'WriteTraces', actions: XRAY_WRITE_ACTIONS, resources: ['*'] });
    taskRole.addToPolicy({
      sid: 'PutMetricsInNamespace',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: [{ test: 'StringEquals', variable: 'cloudwatch:namespace', values: [namespace] }],
    });
    taskRole.addToPolicy({
      sid: 'DescribeResources',
      actions: ['ec2:DescribeVolumes', 'ec2:DescribeTags', 'logs:DescribeLogGroups'],
      resources: ['*'],
    });
    taskRole.addToPolicy({
      sid: 'WriteCollectorLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [logs.arn, `${logs.arn}:log-stream:*`, emf.arn, `${emf.arn}:log-stream:*`],
    });
    // The tutorial's TaskExecutionRole, without CloudWatchLogsFullAccess and AmazonSSMReadOnlyAccess.
    const executionRole = new Role(this, 'execution-role', {
      name: `${prefix}-execution`,
      description: 'ADOT collector task execution: pulls the image, writes container logs, reads its config',
      assumedBy: 'ecs-tasks.amazonaws.com',
      trustConditions,
    });
    executionRole.attachManagedPolicy(
      managedPolicyArn('service-role/AmazonECSTaskExecutionRolePolicy', aws.partition),
      'policy-task-execution',
    );
    this.taskRoleArn = taskRole.arn;
    this.executionRoleArn = executionRole.arn;

    // The collector's pipelines, in SSM: changed without a new image, read by the execution role only.
    const configParameter = new SsmParameter(this, 'config', {
      name: `/${cluster.clusterName}/adot-collector/config`,
      description: 'ADOT collector configuration (AOT_CONFIG_CONTENT)',
      type: 'String',
      tier: known(config)
        ? Buffer.byteLength(config) > SSM_STANDARD_MAX
          ? 'Advanced'
          : 'Standard'
        : when(gt(lengthOf(config), SSM_STANDARD_MAX), 'Advanced', 'Standard'),
      value: config,
    });
    this.configParameterName = configParameter.name;
    executionRole.addToPolicy({
      sid: 'ReadCollectorConfig',
      actions: ['ssm:GetParameters'],
      resources: [configParameter.arn],
    });

    let rendered: TaskDefinitionTemplate;
    try {
      rendered = renderAdotTaskTemplate(p.template ?? DEFAULT_ADOT_TEMPLATE, {
        region: p.region,
        taskRoleArn: taskRole.arn,
        executionRoleArn: executionRole.arn,
        command,
      });
    } catch (e) {
      if (e instanceof AdotTemplateError)
        invalid('AdotCollector', this, `template: ${e.message.replace(/^ADOT task template: /, '')}`);
      throw e;
    }
    const collector = rendered.containerDefinitions.find((c) => c.name === COLLECTOR_CONTAINER);
    if (!collector) {
      const names = JSON.stringify(rendered.containerDefinitions.map((c) => c.name));
      invalid('AdotCollector', this, `template must define a container named "${COLLECTOR_CONTAINER}", got ${names}`);
    }
    const includeSamples = p.includeSampleApps;
    const kept = includeSamples
      ? rendered.containerDefinitions
      : rendered.containerDefinitions.filter((c) => c.name === COLLECTOR_CONTAINER);
    const containers = kept.map((c) =>
      this.container(c, { image, region: p.region, logGroup: logs.name, configArn: configParameter.arn }),
    );
    const unpinned = containers.filter((c) => c.image && !isPinnedImage(c.image)).map((c) => `${c.name} (${c.image})`);
    if (unpinned.length > 0) {
      Annotations.of(this).addWarning(
        `includeSampleApps keeps the template's demo containers, whose images are not pinned: ${unpinned.join(', ')}`,
      );
    }

    this.taskDefinition = {
      ...rendered,
      family: `${cluster.clusterName}-adot-collector`,
      networkMode: 'bridge',
      requiresCompatibilities: ['EC2'],
      cpu: numberText(cpu),
      memory: numberText(memory),
      containerDefinitions: containers,
    };
    const task = new EcsTaskDefinition(this, 'task', {
      family: this.taskDefinition.family as string,
      taskRoleArn: taskRole.arn,
      executionRoleArn: executionRole.arn,
      networkMode: 'bridge',
      requiresCompatibilities: ['EC2'],
      cpu: numberText(cpu),
      memory: numberText(memory),
      containerDefinitions: Fn.jsonencode(containers),
    });
    this.taskDefinitionArn = task.arn;

    const service = new EcsService(this, 'service', {
      name: serviceName,
      cluster: cluster.clusterArn,
      taskDefinition: task.arn,
      // One collector per instance: the host ports allow no more, and every instance needs one.
      schedulingStrategy: 'DAEMON',
      launchType: 'EC2',
      enableEcsManagedTags: true,
      propagateTags: 'TASK_DEFINITION',
      // Destroy order: the service goes before the capacity providers and instances it runs on,
      // and before the roles its tasks use.
      dependsOn: [
        ...(cluster.capacityProviders ? [cluster.capacityProviders] : []),
        ...taskRole.dependables,
        ...executionRole.dependables,
      ],
    });
    this.serviceName = service.name;
  }

  /** One container as deployed: logs to the Terraform-managed group, pinned collector image, region, config. */
  private container(
    c: ContainerDefinition,
    o: { image: string; region: string; logGroup: string; configArn?: string },
  ): ContainerDefinition {
    const out: ContainerDefinition = {
      ...c,
      logConfiguration: {
        logDriver: 'awslogs',
        // No awslogs-create-group: Terraform created the group, with retention.
        options: { 'awslogs-group': o.logGroup, 'awslogs-region': o.region, 'awslogs-stream-prefix': c.name },
      },
    };
    if (c.name !== COLLECTOR_CONTAINER) return out;
    const environment = ((c.environment as { name: string; value: string }[] | undefined) ?? []).filter(
      (e) => e.name !== 'AWS_REGION',
    );
    out.image = o.image;
    // Bridge-mode containers cannot reach IMDSv2 (hop limit 1), so the region is given, not detected.
    out.environment = [...environment, { name: 'AWS_REGION', value: o.region }];
    if (o.configArn) out.secrets = [{ name: 'AOT_CONFIG_CONTENT', valueFrom: o.configArn }];
    return out;
  }
}
