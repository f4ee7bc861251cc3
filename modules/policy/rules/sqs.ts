import type { PolicyRule } from '../types';
import type { ResourceView, StackView } from '../view';

/** The SQS queue an event source mapping reads, when it is one of this stack's. */
function mappedQueue(mapping: ResourceView, s: StackView): ResourceView | undefined {
  const queue = s.referenced(mapping.attrs.event_source_arn);
  return queue?.type === 'aws_sqs_queue' ? queue : undefined;
}

const isSqsMapping = (r: ResourceView) =>
  /^(\$\{aws_sqs_queue\.|arn:[^:]+:sqs:)/.test(String(r.attrs.event_source_arn ?? ''));

export const sqsRules: PolicyRule[] = [
  {
    id: 'TS-SQS-1',
    severity: 'error',
    title: 'SQS queues are encrypted at rest',
    fix: 'Set sqs_managed_sse_enabled = true or kms_master_key_id.',
    appliesTo: ['aws_sqs_queue'],
    refs: { checkov: 'CKV_AWS_27', cdkNag: 'AwsSolutions-SQS2', securityHub: 'SQS.1' },
    check: (r) =>
      r.attrs.sqs_managed_sse_enabled === true || r.attrs.kms_master_key_id
        ? undefined
        : 'neither sqs_managed_sse_enabled nor kms_master_key_id is set',
  },
  {
    id: 'TS-SQS-2',
    severity: 'error',
    title: 'SQS queues deny requests without TLS',
    fix: 'Attach a queue policy with Deny sqs:* when aws:SecureTransport is "false" (TracedQueue does).',
    appliesTo: ['aws_sqs_queue'],
    refs: { cdkNag: 'AwsSolutions-SQS4' },
    check: (r, s) => {
      const policies = s
        .ofType('aws_sqs_queue_policy')
        .filter((p) => s.referenced(p.attrs.queue_url)?.address === r.address);
      const denies = policies.some((p) =>
        (s.policyStatements(p.attrs.policy) ?? []).some(
          (st) =>
            st.effect === 'Deny' &&
            st.conditions.some(
              (c) => c.test === 'Bool' && c.variable === 'aws:SecureTransport' && c.values.includes('false'),
            ),
        ),
      );
      return denies ? undefined : 'no queue policy denies aws:SecureTransport = false';
    },
  },
  {
    id: 'TS-SQS-3',
    severity: 'error',
    title: 'Queues consumed by Lambda have a dead-letter queue',
    fix: 'Set a redrive_policy with a deadLetterTargetArn and maxReceiveCount on the source queue.',
    appliesTo: ['aws_lambda_event_source_mapping'],
    refs: { cdkNag: 'AwsSolutions-SQS3' },
    check: (r, s) => {
      const queue = mappedQueue(r, s);
      if (!queue) return undefined;
      return queue.attrs.redrive_policy
        ? undefined
        : `${queue.address} has no redrive_policy: failing messages are retried until they expire`;
    },
  },
  {
    id: 'TS-SQS-4',
    severity: 'error',
    title: "A consumed queue's visibility timeout is at least 6x its consumer's timeout",
    fix: 'Raise visibility_timeout_seconds to 6x the function timeout plus the batching window (AWS guidance).',
    appliesTo: ['aws_lambda_event_source_mapping'],
    refs: {},
    check: (r, s) => {
      const queue = mappedQueue(r, s);
      const fn = s
        .ofType('aws_lambda_function')
        .find((f) => s.referenced(r.attrs.function_name)?.address === f.address);
      if (!queue || !fn) return undefined;
      const timeout = typeof fn.attrs.timeout === 'number' ? fn.attrs.timeout : 3;
      const window =
        typeof r.attrs.maximum_batching_window_in_seconds === 'number' ? r.attrs.maximum_batching_window_in_seconds : 0;
      const visibility =
        typeof queue.attrs.visibility_timeout_seconds === 'number' ? queue.attrs.visibility_timeout_seconds : 30;
      const minimum = 6 * timeout + window;
      return visibility >= minimum
        ? undefined
        : `${queue.address} visibility ${visibility} s < ${minimum} s (6x ${fn.address} timeout ${timeout} s + window ${window} s)`;
    },
  },
  {
    id: 'TS-SQS-5',
    severity: 'error',
    title: 'SQS event source mappings report partial batch failures',
    fix: 'Set function_response_types = ["ReportBatchItemFailures"] and return batchItemFailures from the handler.',
    appliesTo: ['aws_lambda_event_source_mapping'],
    refs: {},
    check: (r) => {
      if (!isSqsMapping(r)) return undefined;
      const types = (r.attrs.function_response_types as string[] | undefined) ?? [];
      return types.includes('ReportBatchItemFailures')
        ? undefined
        : 'function_response_types lacks ReportBatchItemFailures: one bad message fails its whole batch';
    },
  },
];
