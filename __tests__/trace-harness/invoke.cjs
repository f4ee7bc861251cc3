/**
 * The trace harness's Lambda stand-in, run as a fresh Node process per invocation.
 *
 * It does what the ADOT layer's wrapper does before the function code loads: registers an
 * OpenTelemetry tracer provider (X-Ray id generator, X-Ray Lambda + W3C propagators) with the
 * aws-sdk, aws-lambda and http instrumentations, BEFORE the bundle is required, then loads the bundle
 * from LAMBDA_TASK_ROOT by `_HANDLER`, invokes it once, and prints the response and the finished spans
 * (from an in-memory exporter) as JSON.
 *
 * Input: the HARNESS environment variable, JSON { event, env, resultFile }. Output: resultFile.
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
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { AwsInstrumentation } = require('@opentelemetry/instrumentation-aws-sdk');
const { AwsLambdaInstrumentation } = require('@opentelemetry/instrumentation-aws-lambda');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({
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
    new AwsInstrumentation({ suppressInternalInstrumentation: false }),
    new AwsLambdaInstrumentation(),
    new HttpInstrumentation(),
  ],
});

(async () => {
  const [moduleName, exportName] = process.env._HANDLER.split('.');
  const mod = require(path.join(process.env.LAMBDA_TASK_ROOT, `${moduleName}.js`));
  const lambdaContext = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:111122223333:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    memoryLimitInMB: '256',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    logStreamName: 'harness',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 10000,
    done() {},
    fail() {},
    succeed() {},
  };
  let response;
  let error;
  try {
    response = await mod[exportName](input.event, lambdaContext);
  } catch (e) {
    error = { name: e.name, message: e.message };
  }
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans().map((s) => ({
    name: s.name,
    kind: s.kind,
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    parentSpanId: s.parentSpanContext?.spanId ?? s.parentSpanId,
    status: s.status,
    attributes: s.attributes,
    events: s.events.map((e) => ({ name: e.name, attributes: e.attributes })),
    links: s.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId, attributes: l.attributes })),
    instrumentation: (s.instrumentationScope ?? s.instrumentationLibrary).name,
  }));
  // Not stdout: the function's own logs go there.
  require('node:fs').writeFileSync(input.resultFile, JSON.stringify({ response, error, spans }));
})();
