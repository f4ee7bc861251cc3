/** Spans shaped like a trace:demo run, with fixed ids and times, for the pure renderers' tests. */
import { SpanKind, StatusCode, fromMillis, type TraceSpan } from '../../trace/model';

export const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
export const CHAT_TRACE = '6925999000000000000000000000000a';
export const CONSUMER_TRACE = '6925999100000000000000000000000b';

const lambda = (service: string) => ({
  'service.name': service,
  'cloud.provider': 'aws',
  'cloud.platform': 'aws_lambda',
});

function span(
  partial: Partial<TraceSpan> & Pick<TraceSpan, 'spanId' | 'name'> & { from: number; to: number },
): TraceSpan {
  const { from, to, ...rest } = partial;
  return {
    traceId: CHAT_TRACE,
    kind: SpanKind.INTERNAL,
    status: { code: StatusCode.UNSET },
    attributes: {},
    events: [],
    links: [],
    instrumentation: { name: 'traced-chatbot' },
    resource: lambda('dev-chatbot'),
    startTime: fromMillis(T0 + from),
    endTime: fromMillis(T0 + to),
    ...rest,
  };
}

/** The request trace and the consumer's linked trace; `fail` is the failure switch's run. */
export function demoSpans(fail = false): TraceSpan[] {
  const gateway = span({
    spanId: 'a000000000000001',
    name: 'POST /chat',
    kind: SpanKind.SERVER,
    from: 0,
    to: 400,
    status: { code: fail ? StatusCode.ERROR : StatusCode.UNSET },
    attributes: { 'http.request.method': 'POST', 'http.response.status_code': fail ? 500 : 200 },
    instrumentation: { name: 'trace-demo' },
    resource: {
      'service.name': 'dev-chatbot/prod',
      'cloud.platform': 'aws_api_gateway',
      'trace.demo.emulated': true,
    },
  });
  const init = span({
    spanId: 'a000000000000002',
    parentSpanId: gateway.spanId,
    name: 'Initialization',
    from: 5,
    to: 200,
    instrumentation: { name: 'trace-demo', version: '1' },
  });
  const fn = span({
    spanId: 'a000000000000003',
    parentSpanId: gateway.spanId,
    name: 'dev-chatbot',
    kind: SpanKind.SERVER,
    from: 200,
    to: 390,
    instrumentation: { name: '@opentelemetry/instrumentation-aws-lambda' },
  });
  const validate = span({
    spanId: 'a000000000000004',
    parentSpanId: fn.spanId,
    name: 'validate-request',
    from: 201,
    to: 203,
  });
  const lookup = span({
    spanId: 'a000000000000005',
    parentSpanId: fn.spanId,
    name: 'knowledge-lookup',
    from: 203,
    to: fail ? 205 : 300,
    ...(fail
      ? {
          status: { code: StatusCode.ERROR, message: 'Simulated failure in knowledge base query' },
          events: [
            {
              name: 'exception',
              time: fromMillis(T0 + 205),
              attributes: {
                'exception.type': 'SimulatedFailure',
                'exception.message': 'Simulated failure in knowledge base query',
                'exception.stacktrace':
                  'SimulatedFailure: Simulated failure in knowledge base query\n    at <anonymous>',
              },
            },
          ],
        }
      : {}),
  });
  if (fail) return [gateway, init, fn, validate, lookup];
  const invokeAgent = span({
    spanId: 'a000000000000006',
    parentSpanId: lookup.spanId,
    name: 'BedrockAgentRuntime.InvokeAgent',
    kind: SpanKind.CLIENT,
    from: 210,
    to: 290,
    attributes: { 'rpc.system': 'aws-api', 'rpc.service': 'BedrockAgentRuntime', 'rpc.method': 'InvokeAgent' },
    instrumentation: { name: '@opentelemetry/instrumentation-aws-sdk' },
  });
  const publish = span({
    spanId: 'a000000000000007',
    parentSpanId: fn.spanId,
    name: 'publish-enquiry',
    from: 300,
    to: 380,
  });
  const send = span({
    spanId: 'a000000000000008',
    parentSpanId: publish.spanId,
    name: 'dev-enquiries send',
    kind: SpanKind.PRODUCER,
    from: 302,
    to: 378,
    attributes: {
      'rpc.system': 'aws-api',
      'rpc.service': 'SQS',
      'rpc.method': 'SendMessage',
      'messaging.system': 'aws_sqs',
      'messaging.destination.name': 'dev-enquiries',
    },
    instrumentation: { name: '@opentelemetry/instrumentation-aws-sdk' },
  });
  // The SDK's transport, as an un-suppressed http instrumentation would record it.
  const transport = span({
    spanId: 'a000000000000009',
    parentSpanId: send.spanId,
    name: 'POST',
    kind: SpanKind.CLIENT,
    from: 303,
    to: 377,
    attributes: { 'server.address': '127.0.0.1', 'http.response.status_code': 200 },
    instrumentation: { name: '@opentelemetry/instrumentation-http' },
  });
  const consumerResource = lambda('dev-enquiry-consumer');
  const consumerFn = span({
    traceId: CONSUMER_TRACE,
    spanId: 'b000000000000001',
    parentSpanId: 'ffffffffffffffff',
    name: 'dev-enquiry-consumer',
    kind: SpanKind.SERVER,
    from: 500,
    to: 540,
    resource: consumerResource,
    instrumentation: { name: '@opentelemetry/instrumentation-aws-lambda' },
  });
  const receive = span({
    traceId: CONSUMER_TRACE,
    spanId: 'b000000000000002',
    parentSpanId: consumerFn.spanId,
    name: 'process dev-enquiries',
    kind: SpanKind.CONSUMER,
    from: 501,
    to: 539,
    attributes: { 'messaging.system': 'aws_sqs', 'messaging.destination.name': 'dev-enquiries' },
    resource: consumerResource,
    instrumentation: { name: '@opentelemetry/instrumentation-aws-lambda' },
  });
  const processed = span({
    traceId: CONSUMER_TRACE,
    spanId: 'b000000000000003',
    parentSpanId: consumerFn.spanId,
    name: 'process-enquiry',
    kind: SpanKind.CONSUMER,
    from: 502,
    to: 530,
    attributes: { 'messaging.system': 'aws_sqs', 'messaging.operation': 'process' },
    links: [{ traceId: CHAT_TRACE, spanId: gateway.spanId, attributes: { 'messaging.link.source': 'AWSTraceHeader' } }],
    resource: consumerResource,
  });
  return [gateway, init, fn, validate, lookup, invokeAgent, publish, send, transport, consumerFn, receive, processed];
}
