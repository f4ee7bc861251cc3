/** TracedQueue's inputs, described once: `props.ts`, the checks, the module variables and the README come from here. */
import { Token } from 'cdktf';
import { add, eq, ge, implies, inRange, isSet, le, mul, or, presentWhen, when } from '../core/expr';
import { alarmActions } from '../core/alarms';
import { inputs, none, ref, derived, text, whole } from '../core/inputs';
import { TracedFunction, type ITracedFunction } from '../traced-function';
import type { TracedQueueProps } from './props';

/** The visibility timeout AWS advises for a Lambda consumer: 6x its timeout plus the batching window. */
export function minimumVisibilityTimeout(consumerTimeoutSeconds: number, batchingWindowSeconds: number): number {
  return add(mul(6, consumerTimeoutSeconds), batchingWindowSeconds);
}

export const TRACED_QUEUE_INPUTS = inputs<TracedQueueProps>()(
  {
    queueName: text({
      doc: 'The queue name: 1..76 letters, digits, hyphens and underscores (the DLQ adds `-dlq`).',
      pattern: /^[A-Za-z0-9_-]{1,76}$/,
      rule: '1..76 letters, digits, hyphens and underscores (the DLQ adds "-dlq")',
    }),
    consumer: ref<ITracedFunction>({
      doc: `A function that consumes the queue: an event source mapping with partial batch failures
(\`ReportBatchItemFailures\`), and receive/delete/get-attributes on this queue only.`,
      type: 'ITracedFunction',
      from: '../traced-function',
      default: none('no consumer'),
      // A module takes the consumer by ARN and role name; it exists when the role name, known at plan, is set.
      module: {
        parts: [
          {
            suffix: 'function_arn',
            type: 'string',
            description: 'ARN of the Lambda function that consumes the queue; null for none.',
            default: null,
          },
          {
            suffix: 'role_name',
            type: 'string',
            description:
              "Name of the consumer's execution role: it gets receive/delete/get-attributes on this queue only.",
            default: null,
          },
          {
            suffix: 'timeout_seconds',
            type: 'number',
            description: "The consumer's timeout, 1..900 (the visibility timeout derives from it).",
            default: 10,
          },
          {
            suffix: 'reserved_concurrency',
            type: 'number',
            description: "The consumer's reserved concurrency; null when unreserved (the mapping never polls faster).",
            default: null,
          },
        ],
        read: (get, { scope, variable }) =>
          presentWhen(
            TracedFunction.fromFunctionAttributes(scope, 'consumer', {
              functionArn: get.string('function_arn'),
              roleName: get.string('role_name'),
              timeoutSeconds: get.number('timeout_seconds'),
              reservedConcurrency: get.number('reserved_concurrency'),
              policyName: `${Token.asString(variable('queue_name'))}-consume`,
            }),
            isSet(get.expression('role_name')),
          ),
        checks: [
          {
            part: 'role_name',
            rule: 'set together with consumer_function_arn',
            test: (get) => eq(isSet(get.expression('role_name')), isSet(get.expression('function_arn'))),
          },
          {
            part: 'timeout_seconds',
            rule: 'a whole number in 1..900',
            test: (get) => inRange(get.number('timeout_seconds'), 1, 900, true),
          },
          {
            part: 'reserved_concurrency',
            rule: 'a whole number >= 1, or null',
            test: (get) =>
              implies(
                isSet(get.number('reserved_concurrency')),
                inRange(get.number('reserved_concurrency'), 1, 1000000, true),
              ),
          },
        ],
      },
    }),
    maxReceiveCount: whole({
      doc: `Receives before a message moves to the dead-letter queue, 1..1000. AWS advises at least 5 for a
Lambda consumer, so one throttled batch does not send good messages to the DLQ.`,
      min: 1,
      max: 1000,
      default: 5,
    }),
    batchSize: whole({
      doc: 'Records per batch, 1..10 (1..10000 with a batching window).',
      min: 1,
      max: 10000,
      default: 10,
    }),
    maxBatchingWindowSeconds: whole({ doc: 'Seconds to gather a batch, 0..300.', min: 0, max: 300, default: 0 }),
    visibilityTimeoutSeconds: whole({
      doc: `The visibility timeout in seconds, 0..43200. With a consumer it must be at least 6x the
consumer's timeout plus the batching window (AWS guidance), else messages are redelivered
while still being processed.`,
      see: 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html',
      min: 0,
      max: 43200,
      default: derived(
        "6x the consumer's timeout plus the batching window, or 30 without a consumer",
        (p: { consumer?: ITracedFunction; maxBatchingWindowSeconds: number }) =>
          when(
            isSet(p.consumer),
            minimumVisibilityTimeout(p.consumer?.timeoutSeconds ?? 0, p.maxBatchingWindowSeconds),
            30,
          ),
      ),
    }),
    retentionDays: whole({ doc: 'Days a message is kept, 1..14 (SQS: 60 s to 14 days).', min: 1, max: 14, default: 4 }),
    maxMessageAgeSeconds: whole({
      doc: `The age of the oldest message, in seconds, above which the queue-age alarm fires (the consumer is
failing, throttled or too slow), 60..1209600.`,
      see: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html',
      min: 60,
      max: 1209600,
      default: 300,
      since: '0.2.0',
    }),
    alarmActions: alarmActions({
      alarms: "the queue's alarms (dead-letter queue not empty, oldest message too old)",
    }),
  },
  {
    kind: 'TracedQueue',
    typeName: 'TracedQueueProps',
    doc: 'Props of {@link TracedQueue}.',
    checks: [
      {
        field: 'batchSize',
        rule: (n) => `at most 10 without a batching window (set ${n('maxBatchingWindowSeconds')} >= 1)`,
        test: (p) => or(le(p.batchSize, 10), ge(p.maxBatchingWindowSeconds, 1)),
      },
      {
        field: 'visibilityTimeoutSeconds',
        rule: (n, p?: { consumer: ITracedFunction; maxBatchingWindowSeconds: number }) =>
          p
            ? `at least ${minimumVisibilityTimeout(p.consumer.timeoutSeconds, p.maxBatchingWindowSeconds)} (6x the consumer's ${p.consumer.timeoutSeconds} s timeout + ${p.maxBatchingWindowSeconds} s batching window), or messages are redelivered mid-processing`
            : `at least 6x ${n('consumer')}_timeout_seconds + ${n('maxBatchingWindowSeconds')}, or messages are redelivered mid-processing`,
        test: (p) =>
          implies(
            isSet(p.consumer),
            ge(
              p.visibilityTimeoutSeconds,
              minimumVisibilityTimeout(p.consumer?.timeoutSeconds ?? 0, p.maxBatchingWindowSeconds),
            ),
          ),
      },
    ],
  },
);
