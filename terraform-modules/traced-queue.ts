import { TRACED_QUEUE_INPUTS, TracedQueue } from '../modules/traced-queue';
import { constructModule } from './framework';

/** TracedQueue as a module: the construct, its consumer given by ARN and role name (optional at plan). */
export const tracedQueueModule = constructModule({
  name: 'traced-queue',
  title: 'Traced SQS queue with a dead-letter queue',
  description:
    'An SQS queue with its dead-letter queue: SQS-managed encryption, TLS-only policies on both, a redrive-allow policy so only this queue may use the DLQ, an alarm when the DLQ holds messages, and optionally a Lambda consumer with partial batch failures and receive/delete rights on this queue only.',
  inputs: TRACED_QUEUE_INPUTS,
  construct: (scope, props) => new TracedQueue(scope, 'queue', props),
  outputs: (queue) => ({
    queue_arn: { value: queue.queueArn, description: 'The queue ARN' },
    queue_url: { value: queue.queueUrl, description: 'The queue URL (give it to producers)' },
    dlq_arn: { value: queue.dlqArn, description: 'The dead-letter queue ARN' },
    dlq_url: { value: queue.dlqUrl, description: 'The dead-letter queue URL' },
    event_source_mapping_uuid: {
      value: queue.eventSourceMappingUuid,
      description: 'The consumer mapping id, or null without a consumer',
    },
  }),
  example: {
    queue_name: '"dev-enquiries"',
    consumer_function_arn: '"arn:aws:lambda:us-west-2:111122223333:function:dev-enquiry-consumer"',
    consumer_role_name: '"dev-enquiry-consumer-role"',
    consumer_timeout_seconds: '10',
  },
});
