import type { TracedFunction } from '../traced-function';

export interface TracedQueueProps {
  /** The queue name: 1..76 letters, digits, hyphens and underscores (the DLQ adds `-dlq`). */
  readonly queueName: string;

  /**
   * A function that consumes the queue: an event source mapping with partial batch failures
   * (`ReportBatchItemFailures`), and receive/delete/get-attributes on this queue only.
   * @default - no consumer
   */
  readonly consumer?: TracedFunction;

  /**
   * Receives before a message moves to the dead-letter queue, 1..1000. AWS advises at least 5 for a
   * Lambda consumer, so one throttled batch does not send good messages to the DLQ.
   * @default 5
   */
  readonly maxReceiveCount?: number;

  /** Records per batch, 1..10 (1..10000 with a batching window). @default 10 */
  readonly batchSize?: number;

  /** Seconds to gather a batch, 0..300. @default 0 */
  readonly maxBatchingWindowSeconds?: number;

  /**
   * The visibility timeout in seconds, 0..43200. With a consumer it must be at least 6x the
   * consumer's timeout plus the batching window (AWS guidance), else messages are redelivered
   * while still being processed.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
   * @default - 6x the consumer's timeout plus the batching window, or 30 without a consumer
   */
  readonly visibilityTimeoutSeconds?: number;

  /** Days a message is kept, 1..14 (SQS: 60 s to 14 days). @default 4 */
  readonly retentionDays?: number;

  /** SNS topic ARNs (or other alarm actions) notified when the DLQ holds messages. @default - none */
  readonly alarmActions?: string[];
}

export const QUEUE_DEFAULTS = {
  maxReceiveCount: 5,
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  retentionDays: 4,
  /** SQS's own default, without a consumer. */
  visibilityTimeoutSeconds: 30,
  /** The DLQ keeps messages as long as SQS allows. */
  dlqRetentionDays: 14,
} as const;
