import { problem, type PolicyRule } from '../types';
import { NotChecked, bool, isExpression, isSet, num, str, strings } from '../values';
import { referenceAddress, type ResourceView, type StackView } from '../view';

/** The SQS queue an event source mapping reads, when it is one of this configuration's. */
function mappedQueue(mapping: ResourceView, s: StackView): ResourceView | undefined {
  const source = s.value(mapping, 'event_source_arn');
  return s.ofType('aws_sqs_queue').find((q) => s.refersTo(source, q));
}

const isSqsMapping = (r: ResourceView, s: StackView): boolean => {
  const source = s.value(r, 'event_source_arn');
  return /(^|\.)aws_sqs_queue\./.test(referenceAddress(source) ?? '') || /^arn:[^:]+:sqs:/.test(String(source ?? ''));
};

/** Queue policies (separate resources, or the queue's own `policy`) that apply to `queue`. */
export function queuePolicies(queue: ResourceView, s: StackView): { owner: ResourceView; policy: unknown }[] {
  const own = s.value(queue, 'policy');
  return [
    ...(isSet(own) ? [{ owner: queue, policy: own }] : []),
    ...s
      .ofType('aws_sqs_queue_policy')
      .filter((p) => s.refersTo(s.value(p, 'queue_url'), queue))
      .map((p) => ({ owner: p, policy: s.value(p, 'policy') })),
  ];
}

export const sqsRules: PolicyRule[] = [
  {
    id: 'TS-SQS-1',
    severity: 'error',
    title: 'SQS queues are encrypted at rest',
    fix: 'Set sqs_managed_sse_enabled = true or kms_master_key_id.',
    appliesTo: ['aws_sqs_queue'],
    refs: { checkov: 'CKV_AWS_27', cdkNag: 'AwsSolutions-SQS2', securityHub: 'SQS.1' },
    blindSpots: 'Whether the KMS key policy lets the producers use the key.',
    check: (r, s) => {
      if (isSet(s.value(r, 'kms_master_key_id'))) return undefined;
      return bool(s.value(r, 'sqs_managed_sse_enabled'), 'sqs_managed_sse_enabled') === true
        ? undefined
        : problem('sqs_managed_sse_enabled', 'neither sqs_managed_sse_enabled nor kms_master_key_id is set');
    },
  },
  {
    id: 'TS-SQS-2',
    severity: 'error',
    title: 'SQS queues deny requests without TLS',
    fix: 'Attach a queue policy with Deny sqs:* when aws:SecureTransport is "false" (TracedQueue does).',
    appliesTo: ['aws_sqs_queue'],
    refs: { checkov: 'CKV_AWS_378 (related)', cdkNag: 'AwsSolutions-SQS4' },
    blindSpots: 'A queue policy set outside this configuration; a policy given by a variable without a default.',
    check: (r, s) => {
      let unknown: NotChecked | undefined;
      for (const { owner, policy } of queuePolicies(r, s)) {
        try {
          const denies = s
            .statements(policy, `${owner.address}.policy`)
            .some(
              (st) =>
                st.effect === 'Deny' &&
                st.conditions.some(
                  (c) =>
                    /^Bool(IfExists)?$/i.test(c.test) &&
                    c.variable.toLowerCase() === 'aws:securetransport' &&
                    c.values.includes('false'),
                ),
            );
          if (denies) return undefined;
        } catch (e) {
          if (!(e instanceof NotChecked)) throw e;
          unknown ??= e;
        }
      }
      if (unknown) throw unknown;
      // a queue policy for a queue we cannot tell (a variable) may be this one's
      const unsure = s
        .ofType('aws_sqs_queue_policy')
        .find((p) => isExpression(s.value(p, 'queue_url')) && !s.referenced(s.value(p, 'queue_url')));
      if (unsure) str(s.value(unsure, 'queue_url'), `${unsure.address}.queue_url`);
      return problem('policy', 'no queue policy denies aws:SecureTransport = false');
    },
  },
  {
    id: 'TS-SQS-3',
    severity: 'error',
    title: 'Queues consumed by Lambda have a dead-letter queue',
    fix: 'Set a redrive_policy with a deadLetterTargetArn and maxReceiveCount on the source queue.',
    appliesTo: ['aws_lambda_event_source_mapping'],
    refs: { cdkNag: 'AwsSolutions-SQS3' },
    blindSpots: 'Queues outside this configuration; a redrive policy set by aws_sqs_queue_redrive_policy is accepted.',
    check: (r, s) => {
      const queue = mappedQueue(r, s);
      if (!queue) return undefined;
      const separate = s.ofType('aws_sqs_queue_redrive_policy').some((p) => s.refersTo(s.value(p, 'queue_url'), queue));
      return isSet(s.value(queue, 'redrive_policy')) || separate
        ? undefined
        : problem(
            'event_source_arn',
            `${queue.address} has no redrive_policy: failing messages are retried until they expire`,
          );
    },
  },
  {
    id: 'TS-SQS-4',
    severity: 'error',
    title: "A consumed queue's visibility timeout is at least 6x its consumer's timeout",
    fix: 'Raise visibility_timeout_seconds to 6x the function timeout plus the batching window (AWS guidance).',
    appliesTo: ['aws_lambda_event_source_mapping'],
    refs: {},
    blindSpots: 'Queues or functions outside this configuration.',
    check: (r, s) => {
      const queue = mappedQueue(r, s);
      const target = s.value(r, 'function_name');
      const fn = s.ofType('aws_lambda_function').find((f) => s.refersTo(target, f));
      if (!queue || !fn) return undefined;
      const timeout = num(s.value(fn, 'timeout'), `${fn.address}.timeout`) ?? 3;
      const window = num(s.value(r, 'maximum_batching_window_in_seconds'), 'maximum_batching_window_in_seconds') ?? 0;
      const visibility =
        num(s.value(queue, 'visibility_timeout_seconds'), `${queue.address}.visibility_timeout_seconds`) ?? 30;
      const minimum = 6 * timeout + window;
      return visibility >= minimum
        ? undefined
        : problem(
            'event_source_arn',
            `${queue.address} visibility ${visibility} s < ${minimum} s (6x ${fn.address} timeout ${timeout} s + window ${window} s)`,
          );
    },
  },
  {
    id: 'TS-SQS-5',
    severity: 'error',
    title: 'SQS event source mappings report partial batch failures',
    fix: 'Set function_response_types = ["ReportBatchItemFailures"] and return batchItemFailures from the handler.',
    appliesTo: ['aws_lambda_event_source_mapping'],
    refs: {},
    blindSpots: 'Whether the handler really returns batchItemFailures.',
    check: (r, s) => {
      if (!isSqsMapping(r, s)) return undefined;
      const types = strings(s.value(r, 'function_response_types'), 'function_response_types');
      return types.includes('ReportBatchItemFailures')
        ? undefined
        : problem('function_response_types', 'lacks ReportBatchItemFailures: one bad message fails its whole batch');
    },
  },
];
