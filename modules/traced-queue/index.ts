export { CONSUME_ACTIONS, SEND_ACTIONS, TracedQueue } from './traced-queue';
export { TRACED_QUEUE_INPUTS, minimumVisibilityTimeout } from './inputs';
export type { TracedQueueProps } from './props';
