import { Fn, Op, Token } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy';
import { policyDocument } from '../core/iam';
import { Validator, isUnresolved } from '../core/validation';
import type { TracedFunction } from '../traced-function';
import { QUEUE_DEFAULTS, type TracedQueueProps } from './props';

const DAY = 86400;

/** Actions a consumer needs on its queue (AWS Lambda developer guide). */
export const CONSUME_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:ChangeMessageVisibility',
];
/** Actions a producer needs. */
export const SEND_ACTIONS = ['sqs:SendMessage'];

/** The visibility timeout AWS advises for a Lambda consumer: 6x its timeout plus the batching window. */
export function minimumVisibilityTimeout(consumerTimeoutSeconds: number, batchingWindowSeconds: number): number {
  return 6 * consumerTimeoutSeconds + batchingWindowSeconds;
}

/**
 * An SQS queue with its dead-letter queue: SQS-managed encryption, TLS-only policies on both, a
 * redrive-allow policy so only this queue may use the DLQ, an alarm when the DLQ holds messages,
 * and optionally a Lambda consumer with partial batch failures.
 */
export class TracedQueue extends Construct {
  public readonly queueName: string;
  public readonly queueArn: string;
  public readonly queueUrl: string;
  public readonly dlqArn: string;
  public readonly dlqUrl: string;
  public readonly dlqName: string;
  /** The visibility timeout in effect. */
  public readonly visibilityTimeoutSeconds: number;
  /** Escape hatches. */
  public readonly queue: SqsQueue;
  public readonly deadLetterQueue: SqsQueue;
  public readonly eventSourceMapping?: LambdaEventSourceMapping;

  constructor(scope: Construct, id: string, props: TracedQueueProps) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? QUEUE_DEFAULTS.maxReceiveCount;
    const batchSize = props.batchSize ?? QUEUE_DEFAULTS.batchSize;
    const window = props.maxBatchingWindowSeconds ?? QUEUE_DEFAULTS.maxBatchingWindowSeconds;
    const retentionDays = props.retentionDays ?? QUEUE_DEFAULTS.retentionDays;
    const consumer = props.consumer;
    const minimum = consumer ? minimumVisibilityTimeout(consumer.timeoutSeconds, window) : 0;
    const visibility = props.visibilityTimeoutSeconds ?? (consumer ? minimum : QUEUE_DEFAULTS.visibilityTimeoutSeconds);

    const v = new Validator('TracedQueue', this);
    v.matches(
      'queueName',
      props.queueName,
      /^[A-Za-z0-9_-]{1,76}$/,
      '1..76 letters, digits, hyphens and underscores (the DLQ adds "-dlq")',
    );
    v.intRange('maxReceiveCount', maxReceiveCount, 1, 1000);
    v.intRange('maxBatchingWindowSeconds', window, 0, 300);
    v.intRange('batchSize', batchSize, 1, 10000);
    if (!isUnresolved(batchSize) && batchSize > 10 && window === 0) {
      v.fail('batchSize', 'at most 10 without a batching window (set maxBatchingWindowSeconds >= 1)', batchSize);
    }
    v.intRange('retentionDays', retentionDays, 1, 14);
    v.intRange('visibilityTimeoutSeconds', visibility, 0, 43200);
    if (consumer && !isUnresolved(visibility) && visibility < minimum) {
      v.fail(
        'visibilityTimeoutSeconds',
        `at least ${minimum} (6x the consumer's ${consumer.timeoutSeconds} s timeout + ${window} s batching window), or messages are redelivered mid-processing`,
        visibility,
      );
    }
    v.throwIfInvalid();

    this.queueName = props.queueName;
    this.dlqName = `${props.queueName}-dlq`;
    this.visibilityTimeoutSeconds = visibility;

    this.deadLetterQueue = new SqsQueue(this, 'dlq', {
      name: this.dlqName,
      messageRetentionSeconds: QUEUE_DEFAULTS.dlqRetentionDays * DAY,
      sqsManagedSseEnabled: true,
    });
    this.queue = new SqsQueue(this, 'queue', {
      name: props.queueName,
      messageRetentionSeconds: isUnresolved(retentionDays)
        ? Token.asNumber(Op.mul(retentionDays, DAY))
        : retentionDays * DAY,
      visibilityTimeoutSeconds: visibility,
      sqsManagedSseEnabled: true,
      redrivePolicy: Fn.jsonencode({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount }),
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
      alarmDescription: `Messages in ${this.dlqName}: enquiries that failed processing ${maxReceiveCount} times. Inspect, fix, then redrive them.`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: this.deadLetterQueue.name },
      statistic: 'Maximum',
      period: 60,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: props.alarmActions,
      okActions: props.alarmActions,
    });

    if (consumer) {
      consumer.addToRolePolicy({ sid: 'ConsumeQueue', actions: CONSUME_ACTIONS, resources: [this.queue.arn] });
      const reserved = consumer.reservedConcurrency;
      this.eventSourceMapping = new LambdaEventSourceMapping(this, 'consumer', {
        eventSourceArn: this.queue.arn,
        functionName: consumer.functionArn,
        batchSize,
        maximumBatchingWindowInSeconds: window > 0 ? window : undefined,
        functionResponseTypes: ['ReportBatchItemFailures'],
        // Never poll faster than the function may run: excess batches would be throttled back.
        scalingConfig:
          reserved !== undefined && reserved >= 2 ? { maximumConcurrency: Math.min(reserved, 1000) } : undefined,
        // The consumer's role must allow receiving before the mapping starts polling.
        dependsOn: consumer.role.dependables,
      });
    }
  }

  /**
   * Lets `producer` send messages: `sqs:SendMessage` on this queue only, and the queue URL in its
   * environment under `envVar`.
   */
  public grantSend(producer: TracedFunction, envVar = 'QUEUE_URL'): void {
    producer.addToRolePolicy({
      sid: `Send${sidPart(this.node.id)}`,
      actions: SEND_ACTIONS,
      resources: [this.queue.arn],
    });
    producer.addEnvironment(envVar, this.queue.url);
  }
}

/** A statement-id-safe form of a construct id. */
function sidPart(id: string): string {
  return id
    .replace(/(^|[^A-Za-z0-9])([A-Za-z0-9])/g, (_, __, c: string) => c.toUpperCase())
    .replace(/[^A-Za-z0-9]/g, '');
}
