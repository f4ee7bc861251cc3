/**
 * The trace harness proves offline that a request is traced end to end.
 *
 * `runDemo` (trace/) runs each handler's real deployment zip (synthesized by the app, the very asset
 * Terraform uploads) the way the ADOT layer loads it: OpenTelemetry registered first (X-Ray id
 * generator and propagator; aws-sdk, aws-lambda and http instrumentations; in-memory exporter),
 * then the bundle. The SDK clients talk to fake AWS endpoints on 127.0.0.1.
 *
 * Why the upstream pieces and not @aws/aws-distro-opentelemetry-node-autoinstrumentation itself: the
 * distro configures its exporters from the environment only (OTLP or console), so spans cannot be
 * captured in memory; it is built from these same instrumentations, and the versions here are the
 * distro 0.13.0's own (sdk 2.8.0, instrumentation 0.219.0, aws-sdk 0.74.0, aws-lambda 0.71).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createApp } from '../../app';
import { bundleHandler } from '../../modules/traced-function/bundle';
import {
  apiGatewayEvent,
  newTraceId,
  resolveEnvironment,
  runDemo,
  xrayHeader,
  type DemoResult,
} from '../../trace/demo';
import { startFakeAws } from '../../trace/fake-aws';
import { invoke, taskRootFromZip, type Invocation } from '../../trace/lambda';
import { SpanKind, StatusCode, serviceOf, xrayTraceId, type TraceSpan } from '../../trace/model';
import { buildServiceMap } from '../../trace/service-map';
import { readStack, type SynthesizedStack } from '../../trace/stack';
import { referenceApp } from '../support/reference-app';
import { childTmpdir } from './child-tmpdir';

const root = path.resolve(__dirname, '..', '..');

const only = (spans: TraceSpan[], name: string) => {
  const found = spans.filter((s) => s.name === name);
  expect(found.map((s) => s.name)).toEqual([name]);
  return found[0];
};
const awsSdkSpans = (spans: TraceSpan[]) =>
  spans.filter((s) => s.instrumentation.name === '@opentelemetry/instrumentation-aws-sdk');
const ofService = (spans: TraceSpan[], service: string) => spans.filter((s) => serviceOf(s) === service);

describe('trace harness', () => {
  let outdir: string;
  let stack: SynthesizedStack;

  beforeAll(() => {
    // The reference app as `npm run synth` wrote it, shared by the suites (read only).
    outdir = referenceApp().outdir;
    stack = readStack(outdir, 'dev');
  });

  it('reads the functions, the route and the queue wiring from the synthesized stack', () => {
    expect(stack.routes).toEqual([
      {
        apiName: 'dev-chatbot',
        stageName: 'prod',
        method: 'POST',
        path: '/chat',
        functionId: 'chatbot_function',
        apiKeyRequired: true,
      },
    ]);
    expect(stack.functions.chatbot_function).toMatchObject({
      functionName: 'dev-chatbot',
      handler: 'index.handler',
      timeoutSeconds: 25,
      activeTracing: true,
    });
    expect(stack.queues.enquiries_queue).toMatchObject({ queueName: 'dev-enquiries', consumerId: 'consumer_function' });
  });

  describe('the demo request', () => {
    let run: DemoResult;
    let chatbot: TraceSpan[];
    let gateway: TraceSpan;

    beforeAll(async () => {
      run = await runDemo({ stack });
      chatbot = ofService(run.spans, 'dev-chatbot');
      gateway = only(run.spans, 'POST /chat');
    });

    it('answers from the streamed completion, with the X-Ray trace id API Gateway started', () => {
      expect(run.invocations.map((i) => [i.functionName, i.error])).toEqual([
        ['dev-chatbot', undefined],
        ['dev-enquiry-consumer', undefined],
      ]);
      expect(run.response.statusCode).toBe(200);
      expect(JSON.parse(run.response.body)).toMatchObject({
        answer: 'The parcel left our warehouse yesterday.',
        // Issued by the chatbot: <nonce>.<HMAC by the KMS key>.
        sessionId: expect.stringMatching(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/),
        traceId: xrayTraceId(gateway.traceId),
      });
      // X-Ray format: the first 8 hex digits are the trace's start time in epoch seconds.
      expect(Math.abs(parseInt(gateway.traceId.slice(0, 8), 16) - Date.now() / 1000)).toBeLessThan(600);
    });

    it("puts the function's spans under API Gateway's, in one trace", () => {
      expect(serviceOf(gateway)).toBe('dev-chatbot/prod');
      expect(gateway.parentSpanId).toBeUndefined();
      expect(new Set(chatbot.map((s) => s.traceId))).toEqual(new Set([gateway.traceId]));
      const lambda = only(chatbot, 'dev-chatbot');
      expect(lambda.kind).toBe(SpanKind.SERVER);
      expect(lambda.parentSpanId).toBe(gateway.spanId);
      expect(only(chatbot, 'Initialization').parentSpanId).toBe(gateway.spanId);
    });

    it('yields the custom spans and client spans for GenerateMac, InvokeAgent and SendMessage, each under its step', () => {
      const lambda = only(chatbot, 'dev-chatbot');
      const authorize = only(chatbot, 'authorize-session');
      const lookup = only(chatbot, 'knowledge-lookup');
      const publish = only(chatbot, 'publish-enquiry');
      for (const step of ['validate-request', 'authorize-session', 'knowledge-lookup', 'publish-enquiry']) {
        expect(only(chatbot, step).parentSpanId).toBe(lambda.spanId);
      }
      const sdk = awsSdkSpans(chatbot);
      expect(sdk.map((s) => `${s.attributes['rpc.service']}.${s.attributes['rpc.method']}`).sort()).toEqual([
        'BedrockAgentRuntime.InvokeAgent',
        'KMS.GenerateMac',
        'SQS.SendMessage',
      ]);
      const [generateMac] = sdk.filter((s) => s.attributes['rpc.method'] === 'GenerateMac');
      const [invokeAgent] = sdk.filter((s) => s.attributes['rpc.method'] === 'InvokeAgent');
      const [send] = sdk.filter((s) => s.attributes['rpc.method'] === 'SendMessage');
      expect(generateMac.parentSpanId).toBe(authorize.spanId);
      expect(invokeAgent.parentSpanId).toBe(lookup.spanId);
      expect(send.parentSpanId).toBe(publish.spanId);
      expect(send.attributes).toMatchObject({
        'messaging.system': 'aws_sqs',
        'messaging.destination.name': 'dev-enquiries',
      });
      // The layer suppresses the SDK's own HTTP spans (the distro's suppressInternalInstrumentation).
      expect(chatbot.filter((s) => s.instrumentation.name === '@opentelemetry/instrumentation-http')).toEqual([]);
    });

    it('sends the trace context with the enquiry to SQS', () => {
      const send = run.awsRequests.find((r) => r.headers['x-amz-target'] === 'AmazonSQS.SendMessage');
      expect(send).toBeDefined();
      const header = String(send?.headers['x-amzn-trace-id'] ?? '');
      expect(header).toMatch(new RegExp(`^Root=${xrayTraceId(gateway.traceId)};Parent=[0-9a-f]{16};Sampled=1$`));
      const attributes = JSON.parse(send?.body as string).MessageAttributes as Record<string, { StringValue: string }>;
      expect(attributes.traceparent.StringValue).toMatch(new RegExp(`^00-${gateway.traceId}-[0-9a-f]{16}-01$`));
    });

    it("delivers it to the consumer, whose span links to the producer's trace", () => {
      const consumer = ofService(run.spans, 'dev-enquiry-consumer');
      const processed = only(consumer, 'process-enquiry');
      expect(processed.kind).toBe(SpanKind.CONSUMER);
      expect(processed.traceId).not.toBe(gateway.traceId);
      const send = run.awsRequests.find((r) => r.headers['x-amz-target'] === 'AmazonSQS.SendMessage');
      const parent = /Parent=([0-9a-f]{16})/.exec(String(send?.headers['x-amzn-trace-id']))?.[1];
      expect(processed.links).toContainEqual({
        traceId: gateway.traceId,
        spanId: parent,
        attributes: { 'messaging.link.source': 'AWSTraceHeader' },
      });
      expect(run.traces.map((t) => t.traceId)).toEqual([gateway.traceId, processed.traceId]);
    });
  });

  describe('a conversation continued by the real bundle', () => {
    it('verifies the issued id with KMS for the same API key, and refuses it for another', async () => {
      const fake = await startFakeAws();
      const fn = stack.functions.chatbot_function;
      const taskRoot = taskRootFromZip(fs.readFileSync(fn.zipFile));
      const [route] = stack.routes;
      const ask = (body: Record<string, string>, apiKeyId: string) => {
        const header = xrayHeader(newTraceId(), '53995c3f42cd8ad8');
        const event = apiGatewayEvent(route, JSON.stringify(body), header, Date.now());
        event.requestContext.identity.apiKeyId = apiKeyId;
        return invoke(taskRoot, event, {
          functionName: fn.functionName,
          timeoutSeconds: fn.timeoutSeconds,
          env: {
            ...resolveEnvironment(fn, stack, fake),
            AWS_ENDPOINT_URL_KMS: fake.url,
            AWS_ENDPOINT_URL_SQS: fake.url,
            AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: fake.bedrockUrl,
            _X_AMZN_TRACE_ID: header,
          },
        });
      };
      try {
        const first = await ask({ question: 'Hello?' }, 'harnesskey');
        const { sessionId } = JSON.parse(first.response?.body as string) as { sessionId: string };
        const again = await ask({ question: 'And then?', sessionId }, 'harnesskey');
        expect(again.response?.statusCode).toBe(200);
        expect(awsSdkSpans(again.spans).map((s) => s.attributes['rpc.method'])).toContain('VerifyMac');
        const refused = await ask({ question: 'And then?', sessionId }, 'otherkey00');
        expect(refused.response?.statusCode).toBe(403);
        expect(awsSdkSpans(refused.spans).map((s) => s.attributes['rpc.method'])).toEqual(['VerifyMac']);
      } finally {
        await fake.close();
        fs.rmSync(taskRoot, { recursive: true, force: true });
      }
    });
  });

  describe('an agent with a knowledge base', () => {
    let run: DemoResult;

    beforeAll(async () => {
      // The dev stack synthesized with a knowledge base configured, as a user would configure it.
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-kb-'));
      try {
        createApp({
          projectRoot: root,
          outdir: scratch,
          env: {
            TRACED_ENVIRONMENTS: 'dev',
            TRACED_DEV_BEDROCK_KNOWLEDGE_BASES: JSON.stringify({
              KB12345678: 'Product manuals and the returns policy',
            }),
          },
        }).synth();
        run = await runDemo({ stack: readStack(scratch, 'dev') });
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    }, 60000);

    it('records the retrieval the agent reports as a span under the knowledge lookup', () => {
      expect(run.response.statusCode).toBe(200);
      const send = run.awsRequests.find((r) => r.path.startsWith('/agents/'));
      expect(JSON.parse(send?.body as string)).toMatchObject({ enableTrace: true });
      const lookup = only(run.spans, 'knowledge-lookup');
      const retrieval = only(run.spans, 'knowledge-base-lookup');
      expect(retrieval).toMatchObject({
        kind: SpanKind.CLIENT,
        parentSpanId: lookup.spanId,
        traceId: lookup.traceId,
        attributes: {
          'aws.bedrock.knowledge_base.id': 'KB12345678',
          'aws.bedrock.knowledge_base.retrieved_references': 1,
        },
      });
      expect(lookup.attributes['chat.knowledge_base_lookups']).toBe(1);
    });

    it('draws the knowledge base behind the agent on the map', () => {
      const edges = buildServiceMap(run.spans).edges.map((e) => `${e.from} -> ${e.to}`);
      expect(edges).toContain('aws:BedrockAgentRuntime -> kb:KB12345678');
      expect(edges).not.toContain('dev-chatbot -> kb:KB12345678');
    });
  });

  describe('with the failure switch on', () => {
    let run: DemoResult;

    beforeAll(async () => {
      run = await runDemo({ stack, fail: true });
    });

    it('answers 500 with the trace id, and API Gateway records the fault', () => {
      const gateway = only(run.spans, 'POST /chat');
      expect(run.response.statusCode).toBe(500);
      expect(JSON.parse(run.response.body)).toEqual({
        error: 'the assistant failed to answer',
        traceId: xrayTraceId(gateway.traceId),
      });
      expect(gateway.status.code).toBe(StatusCode.ERROR);
      expect(gateway.attributes['http.response.status_code']).toBe(500);
    });

    it('marks the knowledge lookup span as an error with the recorded exception, and calls nothing after it', () => {
      const lookup = only(run.spans, 'knowledge-lookup');
      expect(lookup.status).toEqual({ code: StatusCode.ERROR, message: 'Simulated failure in knowledge base query' });
      expect(lookup.events).toContainEqual(
        expect.objectContaining({
          name: 'exception',
          attributes: expect.objectContaining({
            'exception.type': 'SimulatedFailure',
            'exception.message': 'Simulated failure in knowledge base query',
          }),
        }),
      );
      // The conversation id was issued (KMS) before the lookup failed; nothing after it ran.
      expect(awsSdkSpans(run.spans).map((s) => s.attributes['rpc.method'])).toEqual(['GenerateMac']);
      expect(run.traces).toHaveLength(1);
    });
  });

  describe('a deliberately inlined bundle (the failure mode the build avoids)', () => {
    let run: Invocation;

    beforeAll(async () => {
      const fake = await startFakeAws();
      const inlined = bundleHandler({
        entry: path.join(root, 'handlers', 'chatbot.ts'),
        target: 'node22',
        externalSdk: false,
      });
      const taskRoot = taskRootFromZip(inlined.zip);
      try {
        run = await invoke(
          taskRoot,
          apiGatewayEvent(stack.routes[0], JSON.stringify({ question: 'Where is my parcel?' }), '', Date.now()),
          {
            functionName: 'dev-chatbot',
            timeoutSeconds: 25,
            env: {
              ...resolveEnvironment(stack.functions.chatbot_function, stack, fake),
              AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: fake.bedrockUrl,
              AWS_ENDPOINT_URL_SQS: fake.url,
              AWS_ENDPOINT_URL_KMS: fake.url,
              _X_AMZN_TRACE_ID: xrayHeader(newTraceId(), '53995c3f42cd8ad8'),
            },
          },
        );
      } finally {
        await fake.close();
        fs.rmSync(taskRoot, { recursive: true, force: true });
      }
    });

    it('still answers', () => {
      expect(run.response?.statusCode).toBe(200);
    });

    it('produces no SDK spans: KMS and SQS calls are anonymous POSTs, InvokeAgent is invisible', () => {
      expect(awsSdkSpans(run.spans)).toEqual([]);
      const http = run.spans.filter((s) => s.instrumentation.name === '@opentelemetry/instrumentation-http');
      // The KMS and SQS calls over HTTP/1.1 show as bare POSTs; the Bedrock call goes over HTTP/2, which
      // the http instrumentation does not see, so X-Ray would show no Bedrock node at all.
      expect(http.map((s) => [s.name, s.attributes['server.address'] ?? s.attributes['net.peer.name']])).toEqual([
        ['POST', '127.0.0.1'],
        ['POST', '127.0.0.1'],
      ]);
    });
  });

  describe('npm run trace:demo', () => {
    const cli = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          process.execPath,
          ['--import', 'tsx', path.join(root, 'trace', 'main.ts'), ...args],
          { cwd: root, env: { ...process.env, NO_COLOR: '1', TMPDIR: childTmpdir() }, timeout: 60000 },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        ),
      );

    it('prints the waterfall and the map, writes the report, exports the spans over OTLP', async () => {
      const bodies: { url?: string; type?: string; body: Buffer }[] = [];
      const receiver = http.createServer((req, res) => {
        const parts: Buffer[] = [];
        req.on('data', (d: Buffer) => parts.push(d));
        req.on('end', () => {
          bodies.push({ url: req.url, type: req.headers['content-type'], body: Buffer.concat(parts) });
          res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-cli-'));
      const report = path.join(scratch, 'report.html');
      const otlp = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      let run: Awaited<ReturnType<typeof cli>>;
      try {
        run = await cli(['--outdir', outdir, '--out', report, '--otlp', otlp]);
      } finally {
        await new Promise<void>((resolve) => receiver.close(() => resolve()));
      }
      const html = fs.readFileSync(report, 'utf8');
      fs.rmSync(scratch, { recursive: true, force: true });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain('\x1b[');
      const traceIds = [...run.stdout.matchAll(/^Trace \d {2}1-([0-9a-f]{8})-([0-9a-f]{24}) /gm)].map(
        (m) => m[1] + m[2],
      );
      expect(traceIds).toHaveLength(2);
      expect(run.stdout).toContain('  dev-enquiries ⇢ dev-enquiry-consumer  (link, 1 trace)');
      expect(run.stdout).toMatch(/^ {2}client → dev-chatbot\/prod {2}\(1 call, /m);
      expect(html).toContain('data-node="dev-enquiry-consumer"');
      expect(bodies.map((b) => [b.url, b.type])).toEqual([['/v1/traces', 'application/x-protobuf']]);
      for (const id of traceIds) expect(bodies[0].body.includes(Buffer.from(id, 'hex'))).toBe(true);
    });
  });

  it('says which command to run when nothing is synthesized, and names the stacks there are', () => {
    const nothing = path.join(outdir, 'nothing-here');
    expect(() => readStack(nothing)).toThrow(`No synthesized app at ${nothing}: run \`npm run synth\` first.`);
    expect(() => readStack(outdir, 'staging')).toThrow(
      `No stack "staging" in ${outdir} (it has account-us-west-2, dev, prod). Synthesize it: \`TRACED_ENVIRONMENTS=staging npm run synth\` (it must be declared in cdktf.json).`,
    );
  });

  it('deploys the sampling presets in the reference stack', () => {
    const rules = stack.resources.aws_xray_sampling_rule;
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
