/**
 * The trace harness: proves offline that a request is traced end to end.
 *
 * Each handler's real deployment zip (synthesized by the app, the very asset Terraform uploads) is
 * loaded the way the ADOT layer loads it: OpenTelemetry registered first (X-Ray id generator and
 * propagator; aws-sdk, aws-lambda and http instrumentations; in-memory exporter), then the bundle.
 * The SDK clients talk to a fake AWS endpoint on 127.0.0.1 (SQS JSON protocol, Bedrock event stream).
 *
 * Why the upstream pieces and not @aws/aws-distro-opentelemetry-node-autoinstrumentation itself: the
 * distro configures its exporters from the environment only (OTLP or console), so spans cannot be
 * captured in memory; it is built from these same instrumentations, and the versions here are the
 * distro 0.13.0's own (sdk 2.8.0, instrumentation 0.219.0, aws-sdk 0.74.0, aws-lambda 0.71).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleHandler } from '../../modules';
import { referenceApp } from '../support/reference-app';
import { startFakeAws, type FakeAws } from './fake-aws';
import { invoke, taskRootFromZip, type HarnessSpan, type Invocation } from './harness';

const root = path.resolve(__dirname, '..', '..');
const ERROR = 2;
const CONSUMER = 4;

/** A fresh X-Ray trace header, as the Lambda runtime sets it with active tracing. */
function xrayHeader(): { header: string; traceId: string; xrayId: string } {
  const epoch = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  const unique = crypto.randomBytes(12).toString('hex');
  const parent = crypto.randomBytes(8).toString('hex');
  return {
    header: `Root=1-${epoch}-${unique};Parent=${parent};Sampled=1`,
    traceId: epoch + unique,
    xrayId: `1-${epoch}-${unique}`,
  };
}

function chatEvent(question: string, sessionId?: string) {
  return {
    resource: '/chat',
    path: '/chat',
    httpMethod: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question, ...(sessionId ? { sessionId } : {}) }),
    isBase64Encoded: false,
    requestContext: {
      requestTimeEpoch: Date.UTC(2026, 10, 25, 12),
      stage: 'prod',
      resourcePath: '/chat',
      httpMethod: 'POST',
      identity: { apiKeyId: 'harnesskey' },
    },
  };
}

const byName = (spans: HarnessSpan[], name: string) => spans.filter((s) => s.name === name);
const only = (spans: HarnessSpan[], name: string) => {
  const found = byName(spans, name);
  expect(found.map((s) => s.name)).toEqual([name]);
  return found[0];
};
const awsSdkSpans = (spans: HarnessSpan[]) =>
  spans.filter((s) => s.instrumentation === '@opentelemetry/instrumentation-aws-sdk');

describe('trace harness', () => {
  let fake: FakeAws;
  let outdir: string;
  let stack: { resource: Record<string, Record<string, Record<string, unknown>>> };
  const taskRoots: Record<string, string> = {};
  let chatEnv: Record<string, string>;

  beforeAll(async () => {
    fake = await startFakeAws();
    const app = referenceApp();
    outdir = app.outdir;
    stack = app.stacks.dev as typeof stack;
    for (const fn of ['chatbot', 'consumer']) {
      const resource = stack.resource.aws_lambda_function[`${fn}_function`];
      const zip = fs.readFileSync(path.join(outdir, 'stacks', 'dev', resource.filename as string));
      // The asset is what Terraform uploads: its hash is the function's source_code_hash.
      expect(crypto.createHash('sha256').update(zip).digest('base64')).toBe(resource.source_code_hash);
      taskRoots[fn] = taskRootFromZip(zip);
    }
    chatEnv = {
      BEDROCK_AGENT_ID: 'AGENT12345',
      BEDROCK_AGENT_ALIAS_ID: 'ALIAS12345',
      ENQUIRY_QUEUE_URL: `${fake.url}/111122223333/dev-enquiries`,
      AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: fake.bedrockUrl,
      AWS_ENDPOINT_URL_SQS: fake.url,
      AWS_ENDPOINT_URL_KMS: fake.url,
      SESSION_KEY_ARN: 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      SIMULATE_FAILURE: 'false',
    };
  });

  afterAll(async () => {
    await fake?.close();
    for (const dir of Object.values(taskRoots)) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('a chatbot invocation', () => {
    const trace = xrayHeader();
    let run: Invocation;
    let sendRequest: (typeof fake.requests)[number];

    beforeAll(async () => {
      const before = fake.requests.length;
      run = await invoke(taskRoots.chatbot, 'dev-chatbot', chatEvent('Where is my parcel?'), {
        ...chatEnv,
        _X_AMZN_TRACE_ID: trace.header,
      });
      sendRequest = fake.requests
        .slice(before)
        .find((r) => r.headers['x-amz-target'] === 'AmazonSQS.SendMessage') as typeof sendRequest;
    });

    it('answers from the streamed completion, with the X-Ray trace id', () => {
      expect(run.error).toBeUndefined();
      expect(run.response?.statusCode).toBe(200);
      expect(JSON.parse(run.response?.body as string)).toMatchObject({
        answer: 'The parcel left our warehouse yesterday.',
        sessionId: expect.stringMatching(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/),
        traceId: trace.xrayId,
      });
    });

    it('yields the Lambda span, the custom spans and client spans for InvokeAgent and SendMessage', () => {
      const names = run.spans.map((s) => s.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'dev-chatbot',
          'validate-request',
          'authorize-session',
          'knowledge-lookup',
          'publish-enquiry',
        ]),
      );
      const sdk = awsSdkSpans(run.spans).map((s) => `${s.attributes['rpc.service']}.${s.attributes['rpc.method']}`);
      expect(sdk.sort()).toEqual(['BedrockAgentRuntime.InvokeAgent', 'KMS.GenerateMac', 'SQS.SendMessage']);
    });

    it('puts every span in one trace: the X-Ray trace the Lambda runtime started', () => {
      expect(new Set(run.spans.map((s) => s.traceId))).toEqual(new Set([trace.traceId]));
      // X-Ray format: the first 8 hex digits are the trace's start time in epoch seconds.
      const started = parseInt(trace.traceId.slice(0, 8), 16);
      expect(Math.abs(started - Date.now() / 1000)).toBeLessThan(600);
    });

    it('nests each SDK call under the step that made it', () => {
      const lambda = only(run.spans, 'dev-chatbot');
      const lookup = only(run.spans, 'knowledge-lookup');
      const publish = only(run.spans, 'publish-enquiry');
      expect(lookup.parentSpanId).toBe(lambda.spanId);
      expect(publish.parentSpanId).toBe(lambda.spanId);
      const [invokeAgent] = awsSdkSpans(run.spans).filter((s) => s.attributes['rpc.method'] === 'InvokeAgent');
      const [send] = awsSdkSpans(run.spans).filter((s) => s.attributes['rpc.method'] === 'SendMessage');
      const [generateMac] = awsSdkSpans(run.spans).filter((s) => s.attributes['rpc.method'] === 'GenerateMac');
      expect(generateMac.parentSpanId).toBe(only(run.spans, 'authorize-session').spanId);
      expect(invokeAgent.parentSpanId).toBe(lookup.spanId);
      expect(send.parentSpanId).toBe(publish.spanId);
      expect(send.attributes['messaging.system']).toBe('aws_sqs');
    });

    it('sends the trace context with the enquiry to SQS', () => {
      expect(sendRequest).toBeDefined();
      const header = String(sendRequest.headers['x-amzn-trace-id'] ?? '');
      expect(header).toMatch(new RegExp(`^Root=${trace.xrayId};Parent=[0-9a-f]{16};Sampled=1$`));
      const attributes = JSON.parse(sendRequest.body).MessageAttributes as Record<string, { StringValue: string }>;
      expect(attributes.traceparent.StringValue).toMatch(new RegExp(`^00-${trace.traceId}-[0-9a-f]{16}-01$`));
    });

    describe('and the consumer of that enquiry', () => {
      const consumerTrace = xrayHeader();
      let consumed: Invocation;
      let producerHeader: string;

      beforeAll(async () => {
        producerHeader = String(sendRequest.headers['x-amzn-trace-id']);
        const sent = JSON.parse(sendRequest.body) as {
          MessageBody: string;
          MessageAttributes: Record<string, { DataType: string; StringValue: string }>;
        };
        // What SQS delivers: the producer's header as AWSTraceHeader, attributes in camelCase.
        const record = {
          messageId: 'm-harness-1',
          receiptHandle: 'r',
          body: sent.MessageBody,
          attributes: {
            ApproximateReceiveCount: '1',
            AWSTraceHeader: producerHeader,
            SentTimestamp: String(Date.now()),
          },
          messageAttributes: Object.fromEntries(
            Object.entries(sent.MessageAttributes).map(([k, v]) => [
              k,
              { dataType: v.DataType, stringValue: v.StringValue, stringListValues: [], binaryListValues: [] },
            ]),
          ),
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-west-2:111122223333:dev-enquiries',
          awsRegion: 'us-west-2',
        };
        consumed = await invoke(
          taskRoots.consumer,
          'dev-enquiry-consumer',
          { Records: [record] },
          { _X_AMZN_TRACE_ID: consumerTrace.header },
        );
      });

      it('processes it', () => {
        expect(consumed.error).toBeUndefined();
        expect(consumed.response).toEqual({ batchItemFailures: [] });
      });

      it("links the record's span to the producer's trace", () => {
        const span = only(consumed.spans, 'process-enquiry');
        expect(span.kind).toBe(CONSUMER);
        const parent = /Parent=([0-9a-f]{16})/.exec(producerHeader)?.[1];
        expect(span.links).toContainEqual({
          traceId: trace.traceId,
          spanId: parent,
          attributes: { 'messaging.link.source': 'AWSTraceHeader' },
        });
        expect(span.traceId).toBe(consumerTrace.traceId);
      });
    });
  });

  describe('a conversation continued by the real bundle', () => {
    it('verifies the issued id with KMS for the same API key, and refuses it for another', async () => {
      const first = await invoke(taskRoots.chatbot, 'dev-chatbot', chatEvent('Hello?'), chatEnv);
      const { sessionId } = JSON.parse(first.response?.body as string) as { sessionId: string };
      const again = await invoke(taskRoots.chatbot, 'dev-chatbot', chatEvent('And then?', sessionId), chatEnv);
      expect(again.response?.statusCode).toBe(200);
      expect(awsSdkSpans(again.spans).map((s) => s.attributes['rpc.method'])).toContain('VerifyMac');
      const other = chatEvent('And then?', sessionId);
      other.requestContext.identity.apiKeyId = 'otherkey00';
      const refused = await invoke(taskRoots.chatbot, 'dev-chatbot', other, chatEnv);
      expect(refused.response?.statusCode).toBe(403);
      expect(awsSdkSpans(refused.spans).map((s) => s.attributes['rpc.method'])).toEqual(['VerifyMac']);
    });
  });

  describe('with the failure switch on', () => {
    const trace = xrayHeader();
    let run: Invocation;

    beforeAll(async () => {
      run = await invoke(taskRoots.chatbot, 'dev-chatbot', chatEvent('Where is my parcel?'), {
        ...chatEnv,
        SIMULATE_FAILURE: 'true',
        _X_AMZN_TRACE_ID: trace.header,
      });
    });

    it('answers 500 with the trace id', () => {
      expect(run.response?.statusCode).toBe(500);
      expect(JSON.parse(run.response?.body as string)).toEqual({
        error: 'the assistant failed to answer',
        traceId: trace.xrayId,
      });
    });

    it('marks the knowledge lookup span as an error with the recorded exception', () => {
      const lookup = only(run.spans, 'knowledge-lookup');
      expect(lookup.status).toEqual({ code: ERROR, message: 'Simulated failure in knowledge base query' });
      expect(lookup.events).toContainEqual({
        name: 'exception',
        attributes: expect.objectContaining({
          'exception.type': 'SimulatedFailure',
          'exception.message': 'Simulated failure in knowledge base query',
        }),
      });
      // The conversation id was issued (KMS) before the lookup failed; nothing after it ran.
      expect(awsSdkSpans(run.spans).map((s) => s.attributes['rpc.method'])).toEqual(['GenerateMac']);
      expect(new Set(run.spans.map((s) => s.traceId))).toEqual(new Set([trace.traceId]));
    });
  });

  describe('a deliberately inlined bundle (the failure mode the build avoids)', () => {
    let run: Invocation;

    beforeAll(async () => {
      const inlined = bundleHandler({
        entry: path.join(root, 'handlers', 'chatbot.ts'),
        target: 'node22',
        externalSdk: false,
      });
      taskRoots.inlined = taskRootFromZip(inlined.zip);
      run = await invoke(taskRoots.inlined, 'dev-chatbot', chatEvent('Where is my parcel?'), {
        ...chatEnv,
        _X_AMZN_TRACE_ID: xrayHeader().header,
      });
    });

    it('still answers', () => {
      expect(run.response?.statusCode).toBe(200);
    });

    it('produces no SDK spans: KMS and SQS calls are anonymous POSTs, InvokeAgent is invisible', () => {
      expect(awsSdkSpans(run.spans)).toEqual([]);
      const http = run.spans.filter((s) => s.instrumentation === '@opentelemetry/instrumentation-http');
      // The KMS and SQS calls over HTTP/1.1 show as bare POSTs; the Bedrock call goes over HTTP/2, which
      // the http instrumentation does not see, so X-Ray would show no Bedrock node at all.
      expect(http.map((s) => [s.name, s.attributes['server.address'] ?? s.attributes['net.peer.name']])).toEqual([
        ['POST', '127.0.0.1'],
        ['POST', '127.0.0.1'],
      ]);
    });
  });

  it('deploys the sampling presets in the reference stack', () => {
    const rules = stack.resource.aws_xray_sampling_rule;
    expect(
      Object.fromEntries(
        Object.values(rules).map((r) => [r.rule_name, [r.priority, r.fixed_rate, r.reservoir_size, r.url_path]]),
      ),
    ).toEqual({
      'dev-health': [100, 0, 0, '/health*'],
      'dev-critical-payment': [200, 1, 1, '/payment*'],
      'dev-critical-checkout': [201, 1, 1, '/checkout*'],
      'dev-chat': [300, 0.1, 5, '/chat*'],
    });
  });
});
