import { Fn, Op, Token } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy';
import { aboveInAMinute } from '../core/alarms';
import { onlyIf, optionalAttr } from '../core/each';
import { and, ge, gt, isSet, known, min, when } from '../core/expr';
import { grant, policyDocument, sidPart, type Grant } from '../core/iam';
import { claimName } from '../core/names';
import type { ITracedFunction } from '../traced-function';
import { TRACED_QUEUE_INPUTS } from './inputs';
import type { TracedQueueProps } from './props';

const DAY = 86400;
/** The DLQ keeps messages as long as SQS allows. */
const DLQ_RETENTION_DAYS = 14;

/** Actions a consumer needs on its queue (AWS Lambda developer guide). */
export const CONSUME_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:ChangeMessageVisibility',
];
/** Actions a producer needs. */
export const SEND_ACTIONS = ['sqs:SendMessage'];

/**
 * An SQS queue with its dead-letter queue: SQS-managed encryption, TLS-only policies on both, a
 * redrive-allow policy so only this queue may use the DLQ, an alarm when the DLQ holds messages,
 * and optionally a Lambda consumer with partial batch failures.
 */
export class TracedQueue extends Construct {
  /** The queue's name. */
  public readonly queueName: string;
  /** The queue's ARN. */
  public readonly queueArn: string;
  /** The queue's URL: what producers send to. */
  public readonly queueUrl: string;
  /** The dead-letter queue's ARN. */
  public readonly dlqArn: string;
  /** The dead-letter queue's URL: where failed messages wait to be inspected and redriven. */
  public readonly dlqUrl: string;
  /** The dead-letter queue's name: `<queueName>-dlq`. */
  public readonly dlqName: string;
  /** The visibility timeout in effect. */
  public readonly visibilityTimeoutSeconds: number;
  /** Escape hatch: the queue's `aws_sqs_queue`. */
  public readonly queue: SqsQueue;
  /** Escape hatch: the dead-letter queue's `aws_sqs_queue`. */
  public readonly deadLetterQueue: SqsQueue;
  /** Escape hatch: the consumer's event source mapping, when there is a consumer. */
  public readonly eventSourceMapping?: LambdaEventSourceMapping;

  constructor(scope: Construct, id: string, props: TracedQueueProps) {
    super(scope, id);
    const p = TRACED_QUEUE_INPUTS.resolve(this, props);
    const window = p.maxBatchingWindowSeconds;

    this.queueName = p.queueName;
    this.dlqName = `${p.queueName}-dlq`;
    const claim = (field: string, resource: string, name: string) =>
      claimName(this, { kind: 'TracedQueue', field, resource, name });
    claim('queueName', 'an SQS queue', p.queueName);
    claim('queueName', 'an SQS queue', this.dlqName);
    claim('queueName', 'a CloudWatch alarm', `${this.dlqName}-not-empty`);
    claim('queueName', 'a CloudWatch alarm', `${p.queueName}-oldest-message-age`);
    this.visibilityTimeoutSeconds = p.visibilityTimeoutSeconds;

    this.deadLetterQueue = new SqsQueue(this, 'dlq', {
      name: this.dlqName,
      messageRetentionSeconds: DLQ_RETENTION_DAYS * DAY,
      sqsManagedSseEnabled: true,
    });
    this.queue = new SqsQueue(this, 'queue', {
      name: p.queueName,
      messageRetentionSeconds: known(p.retentionDays)
        ? p.retentionDays * DAY
        : Token.asNumber(Op.mul(p.retentionDays, DAY)),
      visibilityTimeoutSeconds: p.visibilityTimeoutSeconds,
      sqsManagedSseEnabled: true,
      redrivePolicy: Fn.jsonencode({
        deadLetterTargetArn: this.deadLetterQueue.arn,
        maxReceiveCount: p.maxReceiveCount,
      }),
    });
    this.queueArn = this.queue.arn;
    this.queueUrl = this.queue.url;
    this.dlqArn = this.deadLetterQueue.arn;
    this.dlqUrl = this.deadLetterQueue.url;

    // Only this queue may send its failures to the DLQ. A separate resource: inline, the two
    // queues would reference each other.
    new SqsQueueRedriveAllowPolicy(this, 'dlq-redrive-allow', {
      queueUrl: this.deadLetterQueue.url,
      redriveAllowPolicy: Fn.jsonencode({ redrivePermission: 'byQueue', sourceQueueArns: [this.queue.arn] }),
    });

    for (const [name, q] of [
      ['queue', this.queue],
      ['dlq', this.deadLetterQueue],
    ] as const) {
      const doc = policyDocument(this, `${name}-tls-only`, [
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: [{ type: 'AWS', identifiers: ['*'] }],
          actions: ['sqs:*'],
          resources: [q.arn],
          conditions: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ]);
      new SqsQueuePolicy(this, `${name}-policy`, { queueUrl: q.url, policy: doc.json });
    }

    new CloudwatchMetricAlarm(this, 'dlq-not-empty', {
      alarmName: `${this.dlqName}-not-empty`,
      alarmDescription: `Messages in ${this.dlqName}: enquiries that failed processing ${p.maxReceiveCount} times. Inspect, fix, then redrive them.`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: this.deadLetterQueue.name },
      ...aboveInAMinute('Maximum', 0, p.alarmActions),
    });
    new CloudwatchMetricAlarm(this, 'oldest-message-age', {
      alarmName: `${p.queueName}-oldest-message-age`,
      alarmDescription: `The oldest message in ${p.queueName} waited more than ${p.maxMessageAgeSeconds} s: its consumer is failing, throttled or too slow.`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: this.queue.name },
      ...aboveInAMinute('Maximum', p.maxMessageAgeSeconds, p.alarmActions),
    });

    const consumer = p.consumer;
    const withConsumer = consumer ? onlyIf(isSet(consumer)) : undefined;
    if (consumer && withConsumer) {
      this.grantConsume(consumer);
      const reserved = consumer.reservedConcurrency;
      // Never poll faster than the function may run: excess batches would be throttled back.
      const limited = reserved === undefined ? false : and(isSet(reserved), ge(reserved, 2));
      this.eventSourceMapping = new LambdaEventSourceMapping(this, 'consumer', {
        ...withConsumer,
        eventSourceArn: this.queue.arn,
        functionName: consumer.functionArn,
        batchSize: p.batchSize,
        maximumBatchingWindowInSeconds: when(gt(window, 0), window, undefined as unknown as number),
        functionResponseTypes: ['ReportBatchItemFailures'],
        // The consumer's role must allow receiving before the mapping starts polling.
        dependsOn: consumer.permissionsDependables,
      });
      const maximumConcurrency = min(reserved ?? 0, 1000);
      if (limited === true) this.eventSourceMapping.putScalingConfig({ maximumConcurrency });
      else if (limited !== false) {
        this.eventSourceMapping.addOverride('dynamic.scaling_config', {
          for_each: Token.asList(when(limited, [1], [])),
          content: { maximum_concurrency: maximumConcurrency },
        });
      }
    }
  }

  /** The mapping id, or null without a consumer (a module's optional consumer). */
  public get eventSourceMappingUuid(): string | undefined {
    return this.eventSourceMapping ? optionalAttr(this.eventSourceMapping, 'uuid') : undefined;
  }

  /**
   * Lets `producer` send messages: `sqs:SendMessage` on this queue only, and the queue URL in its
   * environment under `envVar`. Returns what it added.
   */
  public grantSend(producer: ITracedFunction, envVar = 'QUEUE_URL'): Grant {
    return grant(
      producer,
      [{ sid: `Send${sidPart(this.node.id)}`, actions: SEND_ACTIONS, resources: [this.queue.arn] }],
      { [envVar]: this.queue.url },
    );
  }

  /**
   * Lets `consumer` receive, delete and change the visibility of this queue's messages (a `consumer`
   * given in the props gets this). Returns what it added.
   */
  public grantConsume(consumer: ITracedFunction): Grant {
    return grant(consumer, [{ sid: 'ConsumeQueue', actions: CONSUME_ACTIONS, resources: [this.queue.arn] }]);
  }
}
