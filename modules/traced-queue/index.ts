export { CONSUME_ACTIONS, SEND_ACTIONS, TracedQueue, minimumVisibilityTimeout } from './traced-queue';
export { QUEUE_DEFAULTS, type TracedQueueProps } from './props';
