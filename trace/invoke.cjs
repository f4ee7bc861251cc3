/**
 * The trace harness's Lambda stand-in, run as a fresh Node process per invocation.
 *
 * It does what the ADOT layer's wrapper does before the function code loads: registers an
 * OpenTelemetry tracer provider (X-Ray id generator, X-Ray Lambda + W3C propagators) with the
 * aws-sdk, aws-lambda and http instrumentations, BEFORE the bundle is required, then loads the bundle
 * from LAMBDA_TASK_ROOT by `_HANDLER`, invokes it once, and prints the response and the finished spans
 * (from an in-memory exporter) as JSON.
 *
 * The resource names the service like the layer does (`service.name` = the function name), so the
 * spans of each process say which service emitted them.
 *
 * Input: the HARNESS environment variable, JSON { event, env, resultFile, timeoutSeconds, memoryMb }.
 * Output: resultFile, JSON { response, error, spans } (spans in trace/model.ts's TraceSpan shape).
 */
'use strict';
const path = require('node:path');

const input = JSON.parse(process.env.HARNESS);
Object.assign(process.env, input.env);

const { CompositePropagator, W3CTraceContextPropagator } = require('@opentelemetry/core');
const { AWSXRayIdGenerator } = require('@opentelemetry/id-generator-aws-xray');
const { AWSXRayLambdaPropagator } = require('@opentelemetry/propagator-aws-xray-lambda');
const { InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { AwsInstrumentation } = require('@opentelemetry/instrumentation-aws-sdk');
const { AwsLambdaInstrumentation } = require('@opentelemetry/instrumentation-aws-lambda');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({
    'service.name': process.env.AWS_LAMBDA_FUNCTION_NAME,
    'cloud.provider': 'aws',
    'cloud.platform': 'aws_lambda',
    'cloud.region': process.env.AWS_REGION,
    'faas.name': process.env.AWS_LAMBDA_FUNCTION_NAME,
    'faas.version': '$LATEST',
  }),
  idGenerator: new AWSXRayIdGenerator(),
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
provider.register({
  propagator: new CompositePropagator({
    propagators: [new AWSXRayLambdaPropagator(), new W3CTraceContextPropagator()],
  }),
});
registerInstrumentations({
  tracerProvider: provider,
  instrumentations: [
    new AwsInstrumentation({ suppressInternalInstrumentation: true }),
    new AwsLambdaInstrumentation(),
    new HttpInstrumentation(),
  ],
});

(async () => {
  const [moduleName, exportName] = process.env._HANDLER.split('.');
  const mod = require(path.join(process.env.LAMBDA_TASK_ROOT, `${moduleName}.js`));
  // What X-Ray shows as the function's "Initialization" on a cold start: from the process start to
  // the handler's first call (Node, the layer's setup above, the bundle's top level).
  const api = require('@opentelemetry/api');
  const runtimeParent = api.propagation.extract(api.ROOT_CONTEXT, {}, api.defaultTextMapGetter);
  provider
    .getTracer('trace-demo', '1')
    .startSpan(
      'Initialization',
      { startTime: performance.timeOrigin, attributes: { 'faas.coldstart': true } },
      runtimeParent,
    )
    .end();
  const deadline = Date.now() + (input.timeoutSeconds ?? 3) * 1000;
  const lambdaContext = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:111122223333:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    memoryLimitInMB: String(input.memoryMb ?? 128),
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    logStreamName: 'harness',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
  let response;
  let error;
  try {
    response = await mod[exportName](input.event, lambdaContext);
  } catch (e) {
    error = { name: e.name, message: e.message, stack: e.stack };
  }
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans().map((s) => ({
    name: s.name,
    kind: s.kind,
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    parentSpanId: s.parentSpanContext?.spanId ?? s.parentSpanId,
    startTime: s.startTime,
    endTime: s.endTime,
    status: s.status,
    attributes: s.attributes,
    events: s.events.map((e) => ({ name: e.name, time: e.time, attributes: e.attributes })),
    links: s.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId, attributes: l.attributes })),
    instrumentation: { name: s.instrumentationScope.name, version: s.instrumentationScope.version },
    resource: s.resource.attributes,
  }));
  // Not stdout: the function's own logs go there.
  require('node:fs').writeFileSync(input.resultFile, JSON.stringify({ response, error, spans }));
})();
