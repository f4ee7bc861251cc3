import { Fn, Op, Token } from 'cdktf';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { policyDocument } from '../modules/core/iam';
import { CONSUME_ACTIONS, TracedQueue } from '../modules/traced-queue';
import { wholeIn, type ModuleSpec } from './framework';

/**
 * TracedQueue as a module: the construct for the queues, their policies and the DLQ alarm; the optional
 * consumer (given by ARN and role name, as a module cannot take a construct) with Terraform `count`.
 */
export const tracedQueueModule: ModuleSpec = {
  name: 'traced-queue',
  title: 'Traced SQS queue with a dead-letter queue',
  description:
    'An SQS queue with its dead-letter queue: SQS-managed encryption, TLS-only policies on both, a redrive-allow policy so only this queue may use the DLQ, an alarm when the DLQ holds messages, and optionally a Lambda consumer with partial batch failures and receive/delete rights on this queue only.',
  variables: [
    {
      name: 'queue_name',
      type: 'string',
      description: 'The queue name: 1..76 letters, digits, hyphens and underscores (the DLQ adds -dlq).',
      validation: [
        {
          condition: 'can(regex("^[A-Za-z0-9_-]{1,76}$", var.queue_name))',
          errorMessage: 'queue_name must be 1..76 letters, digits, hyphens and underscores.',
        },
      ],
    },
    {
      name: 'max_receive_count',
      type: 'number',
      description: 'Receives before a message moves to the DLQ, 1..1000 (AWS advises >= 5 for Lambda).',
      default: 5,
      validation: [wholeIn('max_receive_count', 1, 1000)],
    },
    {
      name: 'retention_days',
      type: 'number',
      description: 'Days a message is kept, 1..14.',
      default: 4,
      validation: [wholeIn('retention_days', 1, 14)],
    },
    {
      name: 'visibility_timeout_seconds',
      type: 'number',
      description: 'Visibility timeout, 0..43200; with a consumer at least 6x its timeout plus the batching window.',
      default: 60,
      validation: [
        wholeIn('visibility_timeout_seconds', 0, 43200),
        {
          condition:
            'var.consumer_function_arn == null || var.visibility_timeout_seconds >= 6 * var.consumer_timeout_seconds + var.max_batching_window_seconds',
          errorMessage:
            "visibility_timeout_seconds must be at least 6x the consumer's timeout plus the batching window, or messages are redelivered mid-processing.",
        },
      ],
    },
    {
      name: 'alarm_actions',
      type: 'list(string)',
      description: 'SNS topic ARNs notified when the DLQ holds messages.',
      default: [],
    },
    {
      name: 'consumer_function_arn',
      type: 'string',
      description: 'ARN of a Lambda function that consumes the queue; null for none.',
      default: null,
    },
    {
      name: 'consumer_role_name',
      type: 'string',
      description: "Name of the consumer's execution role: it gets receive/delete/get-attributes on this queue only.",
      default: null,
      validation: [
        {
          condition: '(var.consumer_function_arn == null) == (var.consumer_role_name == null)',
          errorMessage: 'consumer_role_name must be set together with consumer_function_arn.',
        },
      ],
    },
    {
      name: 'consumer_timeout_seconds',
      type: 'number',
      description: "The consumer function's timeout, 1..900 (for the visibility check).",
      default: 10,
      validation: [wholeIn('consumer_timeout_seconds', 1, 900)],
    },
    {
      name: 'batch_size',
      type: 'number',
      description: 'Records per batch, 1..10 (up to 10000 with a batching window).',
      default: 10,
      validation: [
        wholeIn('batch_size', 1, 10000),
        {
          condition: 'var.batch_size <= 10 || var.max_batching_window_seconds >= 1',
          errorMessage: 'batch_size must be at most 10 without a batching window.',
        },
      ],
    },
    {
      name: 'max_batching_window_seconds',
      type: 'number',
      description: 'Seconds to gather a batch, 0..300.',
      default: 0,
      validation: [wholeIn('max_batching_window_seconds', 0, 300)],
    },
  ],
  build(scope, v) {
    const queue = new TracedQueue(scope, 'queue', {
      queueName: v.queue_name.stringValue,
      maxReceiveCount: v.max_receive_count.numberValue,
      retentionDays: v.retention_days.numberValue,
      visibilityTimeoutSeconds: v.visibility_timeout_seconds.numberValue,
      alarmActions: v.alarm_actions.listValue,
    });
    // Counted by the role name, known at plan; a new function's ARN is only known after apply.
    const consumers = Token.asNumber(Fn.conditional(Op.eq(v.consumer_role_name.value, Token.nullValue()), 0, 1));
    const doc = policyDocument(scope, 'consumer-permissions', [
      { sid: 'ConsumeQueue', actions: CONSUME_ACTIONS, resources: [queue.queueArn] },
    ]);
    const policy = new IamRolePolicy(scope, 'consumer-policy', {
      count: consumers,
      name: `${v.queue_name.stringValue}-consume`,
      role: v.consumer_role_name.stringValue,
      policy: doc.json,
    });
    const mapping = new LambdaEventSourceMapping(scope, 'consumer', {
      count: consumers,
      eventSourceArn: queue.queueArn,
      functionName: v.consumer_function_arn.stringValue,
      batchSize: v.batch_size.numberValue,
      maximumBatchingWindowInSeconds: v.max_batching_window_seconds.numberValue,
      functionResponseTypes: ['ReportBatchItemFailures'],
      dependsOn: [policy],
    });
    return {
      queue_arn: { value: queue.queueArn, description: 'The queue ARN' },
      queue_url: { value: queue.queueUrl, description: 'The queue URL (give it to producers)' },
      dlq_arn: { value: queue.dlqArn, description: 'The dead-letter queue ARN' },
      dlq_url: { value: queue.dlqUrl, description: 'The dead-letter queue URL' },
      event_source_mapping_uuid: {
        value: `\${one(${mapping.fqn}[*].uuid)}`,
        description: 'The consumer mapping id, or null without a consumer',
      },
    };
  },
  example: {
    queue_name: '"dev-enquiries"',
    consumer_function_arn: '"arn:aws:lambda:us-west-2:111122223333:function:dev-enquiry-consumer"',
    consumer_role_name: '"dev-enquiry-consumer-role"',
    consumer_timeout_seconds: '10',
    visibility_timeout_seconds: '60',
  },
};
