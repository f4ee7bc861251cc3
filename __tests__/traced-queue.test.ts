import * as path from 'node:path';
import { TracedFunction, TracedQueue, type TracedQueueProps } from '../modules';
import { errorOf, resources, synth } from './helpers';
import type { ReadableStack } from '../modules';

const entry = path.join(__dirname, '..', 'handlers', 'sqs-consumer.ts');
const fn = (stack: ReadableStack, id: string, timeoutSeconds = 10, reservedConcurrency: number | 'unreserved' = 10) =>
  new TracedFunction(stack, id, { functionName: id, entry, region: 'us-west-2', timeoutSeconds, reservedConcurrency });

type Doc = { statement: Record<string, unknown>[] };

describe('TracedQueue without a consumer', () => {
  const s = synth((stack) => new TracedQueue(stack, 'q', { queueName: 'orders' }));
  const queues = resources(s, 'aws_sqs_queue');

  it('encrypts both queues and keeps DLQ messages 14 days', () => {
    expect(queues.q_queue).toMatchObject({
      name: 'orders',
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 345600,
      visibility_timeout_seconds: 30,
    });
    expect(queues.q_dlq).toMatchObject({
      name: 'orders-dlq',
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 1209600,
    });
    expect(queues.q_queue.redrive_policy).toBe(
      '${jsonencode({"deadLetterTargetArn" = aws_sqs_queue.q_dlq.arn, "maxReceiveCount" = 5})}',
    );
  });

  it('lets only this queue redrive into the DLQ', () => {
    expect(resources(s, 'aws_sqs_queue_redrive_allow_policy')['q_dlq-redrive-allow']).toMatchObject({
      queue_url: '${aws_sqs_queue.q_dlq.url}',
      redrive_allow_policy:
        '${jsonencode({"redrivePermission" = "byQueue", "sourceQueueArns" = [aws_sqs_queue.q_queue.arn]})}',
    });
  });

  it('denies non-TLS access to both queues', () => {
    for (const name of ['queue', 'dlq']) {
      expect(resources(s, 'aws_sqs_queue_policy')[`q_${name}-policy`].policy).toBe(
        `\${data.aws_iam_policy_document.q_${name}-tls-only.json}`,
      );
      expect((s.data.aws_iam_policy_document[`q_${name}-tls-only`] as unknown as Doc).statement).toEqual([
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          actions: ['sqs:*'],
          resources: [`\${aws_sqs_queue.q_${name}.arn}`],
          principals: [{ type: 'AWS', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ]);
    }
  });

  it('alarms when the DLQ holds a message', () => {
    expect(resources(s, 'aws_cloudwatch_metric_alarm')['q_dlq-not-empty']).toMatchObject({
      alarm_name: 'orders-dlq-not-empty',
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: '${aws_sqs_queue.q_dlq.name}' },
      threshold: 0,
      comparison_operator: 'GreaterThanThreshold',
      treat_missing_data: 'notBreaching',
    });
  });

  it('alarms when the oldest message waited longer than maxMessageAgeSeconds', () => {
    expect(resources(s, 'aws_cloudwatch_metric_alarm')['q_oldest-message-age']).toMatchObject({
      alarm_name: 'orders-oldest-message-age',
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: '${aws_sqs_queue.q_queue.name}' },
      statistic: 'Maximum',
      threshold: 300,
      comparison_operator: 'GreaterThanThreshold',
    });
    const later = synth((stack) => new TracedQueue(stack, 'q', { queueName: 'orders', maxMessageAgeSeconds: 900 }));
    expect(resources(later, 'aws_cloudwatch_metric_alarm')['q_oldest-message-age'].threshold).toBe(900);
  });
});

describe('TracedQueue with a consumer and a producer', () => {
  const s = synth((stack) => {
    const consumer = fn(stack, 'consumer', 20, 5);
    const producer = fn(stack, 'producer');
    const q = new TracedQueue(stack, 'enquiries', {
      queueName: 'enquiries',
      consumer,
      alarmActions: ['arn:aws:sns:us-west-2:111122223333:ops'],
    });
    q.grantSend(producer, 'ENQUIRY_QUEUE_URL');
  });

  it('defaults the visibility timeout to 6x the consumer timeout', () => {
    expect(resources(s, 'aws_sqs_queue').enquiries_queue.visibility_timeout_seconds).toBe(120);
  });

  it('maps the queue to the consumer with partial batch failures, capped at its concurrency', () => {
    expect(resources(s, 'aws_lambda_event_source_mapping').enquiries_consumer).toMatchObject({
      event_source_arn: '${aws_sqs_queue.enquiries_queue.arn}',
      function_name: '${aws_lambda_function.consumer_function.arn}',
      batch_size: 10,
      function_response_types: ['ReportBatchItemFailures'],
      scaling_config: { maximum_concurrency: 5 },
    });
  });

  it('lets the consumer receive from this queue only, and the producer send to it', () => {
    const consumerDoc = s.data.aws_iam_policy_document.consumer_role_permissions as unknown as Doc;
    expect(consumerDoc.statement).toContainEqual(
      expect.objectContaining({
        sid: 'ConsumeQueue',
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
        resources: ['${aws_sqs_queue.enquiries_queue.arn}'],
      }),
    );
    const producerDoc = s.data.aws_iam_policy_document.producer_role_permissions as unknown as Doc;
    expect(producerDoc.statement).toContainEqual(
      expect.objectContaining({
        sid: 'SendEnquiries',
        actions: ['sqs:SendMessage'],
        resources: ['${aws_sqs_queue.enquiries_queue.arn}'],
      }),
    );
    expect(resources(s, 'aws_lambda_function').producer_function.environment).toMatchObject({
      variables: { ENQUIRY_QUEUE_URL: '${aws_sqs_queue.enquiries_queue.url}' },
    });
  });

  it('notifies the alarm actions', () => {
    expect(resources(s, 'aws_cloudwatch_metric_alarm')['enquiries_dlq-not-empty'].alarm_actions).toEqual([
      'arn:aws:sns:us-west-2:111122223333:ops',
    ]);
  });
});

describe('TracedQueue validation', () => {
  const fails = (props: Partial<TracedQueueProps>, timeout = 10) =>
    errorOf(
      (stack) => new TracedQueue(stack, 'q', { queueName: 'orders', consumer: fn(stack, 'c', timeout), ...props }),
    );

  it.each<[Partial<TracedQueueProps>, string]>([
    [
      { visibilityTimeoutSeconds: 59 },
      "visibilityTimeoutSeconds must be at least 60 (6x the consumer's 10 s timeout + 0 s batching window), or messages are redelivered mid-processing, got 59",
    ],
    [
      { visibilityTimeoutSeconds: 50, maxBatchingWindowSeconds: 5 },
      "visibilityTimeoutSeconds must be at least 65 (6x the consumer's 10 s timeout + 5 s batching window), or messages are redelivered mid-processing, got 50",
    ],
    [
      { queueName: 'bad name' },
      'queueName must be 1..76 letters, digits, hyphens and underscores (the DLQ adds "-dlq"), got "bad name"',
    ],
    [{ maxReceiveCount: 0 }, 'maxReceiveCount must be a whole number in 1..1000, got 0'],
    [
      { batchSize: 11 },
      'batchSize must be at most 10 without a batching window (set maxBatchingWindowSeconds >= 1), got 11',
    ],
    [{ batchSize: 10001, maxBatchingWindowSeconds: 1 }, 'batchSize must be a whole number in 1..10000, got 10001'],
    [{ retentionDays: 15 }, 'retentionDays must be a whole number in 1..14, got 15'],
    [{ maxBatchingWindowSeconds: 301 }, 'maxBatchingWindowSeconds must be a whole number in 0..300, got 301'],
  ])('%j', (props, message) => {
    expect(fails(props).split('\n')[0]).toBe(`TracedQueue "test/q": ${message}`);
  });

  it('allows large batches with a batching window', () => {
    expect(() =>
      synth(
        (stack) =>
          new TracedQueue(stack, 'q', {
            queueName: 'orders',
            consumer: fn(stack, 'c'),
            batchSize: 100,
            maxBatchingWindowSeconds: 5,
          }),
      ),
    ).not.toThrow();
  });
});
