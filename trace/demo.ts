/**
 * One chat request end to end through a synthesized stack's deployment zips:
 *
 *   client -> API Gateway (stand-in span) -> the function behind the route (real zip, under the
 *   OpenTelemetry setup the ADOT layer makes) -> Bedrock and SQS (loopback fakes) -> the SQS
 *   message delivered to the queue's consumer (real zip) with the attributes SQS sets, so the
 *   consumer links its span to the producer's trace exactly as it does on AWS.
 *
 * What AWS itself does is emulated and says so (`trace.demo.emulated` on the resource): API
 * Gateway's segment and the SQS delivery. Everything the functions do is their own code.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { startFakeAws, type FakeAws, type RecordedRequest } from './fake-aws';
import { invoke, taskRootFromZip, type Invocation } from './lambda';
import { SpanKind, StatusCode, fromMillis, groupTraces, type Trace, type TraceSpan } from './model';
import { parseReference, type StackFunction, type StackRoute, type SynthesizedStack } from './stack';

/** The account id the stand-ins use in ARNs and queue URLs. */
export const DEMO_ACCOUNT = '111122223333';

export interface DemoOptions {
  readonly stack: SynthesizedStack;
  /** Turn the failure switch on (`SIMULATE_FAILURE=true` for the function behind the route). */
  readonly fail?: boolean;
  /** @default 'Where is my parcel?' */
  readonly question?: string;
  /** Which route to call, `POST /chat`. @default - the first POST route with a Lambda proxy integration */
  readonly route?: string;
}

export interface DemoInvocation {
  readonly functionName: string;
  readonly durationMs: number;
  readonly error?: Invocation['error'];
  readonly stdout: string;
  readonly stderr: string;
}

export interface DemoResult {
  readonly stackName: string;
  readonly route: StackRoute;
  /** What API Gateway answered the client. */
  readonly response: { statusCode: number; body: string };
  readonly spans: TraceSpan[];
  readonly traces: Trace[];
  readonly invocations: DemoInvocation[];
  /** Every request the functions made to the AWS stand-ins, in order. */
  readonly awsRequests: RecordedRequest[];
  /** Whole run, wall clock. */
  readonly durationMs: number;
}

export class DemoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoError';
  }
}

function hex(bytes: number): string {
  return crypto.randomBytes(bytes).toString('hex');
}

/** A fresh X-Ray trace id (the first 8 hex digits are the epoch seconds) in OpenTelemetry form. */
export function newTraceId(now = Date.now()): string {
  return (
    Math.floor(now / 1000)
      .toString(16)
      .padStart(8, '0') + hex(12)
  );
}

/** The `_X_AMZN_TRACE_ID` the Lambda runtime sets for a sampled trace. */
export function xrayHeader(traceId: string, parentSpanId: string): string {
  return `Root=1-${traceId.slice(0, 8)}-${traceId.slice(8)};Parent=${parentSpanId};Sampled=1`;
}

/** A deterministic 10-character id (Bedrock's agent and alias id format) for a logical id. */
function fakeId(seed: string): string {
  return crypto.createHash('sha256').update(seed).digest('hex').slice(0, 10).toUpperCase();
}

/**
 * Replaces every `${type.name.attribute}` in a function's environment with what the stand-ins
 * answer to; a reference the demo cannot stand in for is an error naming it.
 */
export function resolveEnvironment(fn: StackFunction, stack: SynthesizedStack, fake: Pick<FakeAws, 'url'>) {
  const region = stack.region;
  const resolved: Record<string, string> = {};
  for (const [key, value] of Object.entries(fn.environment)) {
    resolved[key] = value.replace(/\$\{[^}]*\}/g, (token) => {
      const ref = parseReference(token);
      const block = ref ? stack.resources[ref[0]]?.[ref[1]] : undefined;
      const answer = ref && block ? standIn(ref, block, region, fake.url) : undefined;
      if (answer === undefined) {
        throw new DemoError(
          `trace:demo cannot stand in for ${token} in ${fn.functionName}'s environment variable ${key}; ` +
            'it knows SQS queues, KMS keys and aliases, Bedrock agents, aliases and knowledge bases.',
        );
      }
      return answer;
    });
  }
  return resolved;
}

function standIn(
  [type, id, attribute]: [string, string, string],
  block: Record<string, unknown>,
  region: string,
  endpoint: string,
): string | undefined {
  const name = String(block.name ?? id);
  switch (`${type}.${attribute}`) {
    case 'aws_sqs_queue.url':
    case 'aws_sqs_queue.id':
      return `${endpoint}/${DEMO_ACCOUNT}/${name}`;
    case 'aws_sqs_queue.arn':
      return `arn:aws:sqs:${region}:${DEMO_ACCOUNT}:${name}`;
    case 'aws_sqs_queue.name':
      return name;
    case 'aws_kms_key.arn':
      return `arn:aws:kms:${region}:${DEMO_ACCOUNT}:key/${crypto.createHash('md5').update(id).digest('hex')}`;
    case 'aws_kms_key.key_id':
    case 'aws_kms_key.id':
      return crypto.createHash('md5').update(id).digest('hex');
    case 'aws_kms_alias.name':
    case 'aws_kms_alias.id':
      return String(block.name ?? `alias/${id}`);
    case 'aws_kms_alias.arn':
      return `arn:aws:kms:${region}:${DEMO_ACCOUNT}:${String(block.name ?? `alias/${id}`)}`;
    case 'aws_bedrockagent_agent.agent_id':
    case 'aws_bedrockagent_agent.id':
    case 'aws_bedrockagent_agent_alias.agent_alias_id':
    case 'aws_bedrockagent_knowledge_base.id':
      return fakeId(`${type}.${id}`);
    default:
      return undefined;
  }
}

/**
 * The knowledge bases (enabled associations) of the agents a function's environment names: what the
 * fake agent reports looking up when asked for its trace.
 */
export function knowledgeBaseIds(fn: StackFunction, stack: SynthesizedStack): string[] {
  const agents = new Set(
    Object.values(fn.environment)
      .map(parseReference)
      .filter((ref) => ref?.[0] === 'aws_bedrockagent_agent')
      .map((ref) => ref?.[1]),
  );
  return Object.values(stack.resources.aws_bedrockagent_agent_knowledge_base_association ?? {})
    .filter((a) => agents.has(parseReference(a.agent_id)?.[1]) && a.knowledge_base_state !== 'DISABLED')
    .map((a) => String(a.knowledge_base_id));
}

function routeOf(stack: SynthesizedStack, wanted?: string): StackRoute {
  const routes = stack.routes;
  const route = wanted
    ? routes.find((r) => `${r.method} ${r.path}` === wanted)
    : (routes.find((r) => r.method === 'POST') ?? routes[0]);
  if (!route) {
    const known = routes.map((r) => `${r.method} ${r.path}`).join(', ') || 'none';
    throw new DemoError(
      wanted
        ? `stack ${stack.name} has no Lambda proxy route ${wanted} (it has: ${known})`
        : `stack ${stack.name} has no API Gateway route with a Lambda proxy integration to call`,
    );
  }
  return route;
}

/** The event API Gateway (REST API, Lambda proxy integration) hands the function. */
export function apiGatewayEvent(route: StackRoute, body: string, traceHeader: string, now: number) {
  const requestId = crypto.randomUUID();
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'trace-demo',
    'X-Amzn-Trace-Id': traceHeader,
  };
  return {
    resource: route.path,
    path: route.path,
    httpMethod: route.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: DEMO_ACCOUNT,
      apiId: fakeId(route.apiName).toLowerCase(),
      stage: route.stageName,
      requestId,
      requestTimeEpoch: now,
      resourcePath: route.path,
      httpMethod: route.method,
      path: `/${route.stageName}${route.path}`,
      protocol: 'HTTP/1.1',
      identity: {
        sourceIp: '127.0.0.1',
        userAgent: 'trace-demo',
        // The id of the API key the client sent, when the method requires one.
        apiKeyId: route.apiKeyRequired ? fakeId(`${route.apiName}/api-key`).toLowerCase() : null,
      },
    },
  };
}

/** What SQS delivers to a consumer for a SendMessage request: the producer's trace header as AWSTraceHeader. */
export function sqsRecord(request: RecordedRequest, queueArn: string, region: string) {
  const sent = JSON.parse(request.body) as {
    MessageBody: string;
    MessageAttributes?: Record<string, { DataType: string; StringValue?: string }>;
  };
  const header = request.headers['x-amzn-trace-id'];
  return {
    messageId: crypto.randomUUID(),
    receiptHandle: hex(32),
    body: sent.MessageBody,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'AROAEXAMPLE:trace-demo',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
      ...(header ? { AWSTraceHeader: String(header) } : {}),
    },
    // In the event, attribute values are camelCase (they are PascalCase in SendMessage).
    messageAttributes: Object.fromEntries(
      Object.entries(sent.MessageAttributes ?? {}).map(([k, v]) => [
        k,
        { dataType: v.DataType, stringValue: v.StringValue, stringListValues: [], binaryListValues: [] },
      ]),
    ),
    md5OfBody: crypto.createHash('md5').update(sent.MessageBody).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** The span API Gateway's X-Ray segment stands for, as OpenTelemetry would record it. */
function apiGatewaySpan(
  route: StackRoute,
  ids: { traceId: string; spanId: string },
  startMs: number,
  endMs: number,
  statusCode: number,
  region: string,
): TraceSpan {
  const service = `${route.apiName}/${route.stageName}`;
  return {
    traceId: ids.traceId,
    spanId: ids.spanId,
    name: `${route.method} ${route.path}`,
    kind: SpanKind.SERVER,
    startTime: fromMillis(startMs),
    endTime: fromMillis(endMs),
    status: statusCode >= 500 ? { code: StatusCode.ERROR } : { code: StatusCode.UNSET },
    attributes: {
      'http.request.method': route.method,
      'http.route': route.path,
      'url.path': `/${route.stageName}${route.path}`,
      'http.response.status_code': statusCode,
      'aws.api_gateway.rest_api.name': route.apiName,
      'aws.api_gateway.stage': route.stageName,
    },
    events: [],
    links: [],
    instrumentation: { name: 'trace-demo' },
    resource: {
      'service.name': service,
      'cloud.provider': 'aws',
      'cloud.platform': 'aws_api_gateway',
      'cloud.region': region,
      'trace.demo.emulated': true,
    },
  };
}

/** Runs the demo request; every task root and fake endpoint is gone when it returns. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const { stack } = options;
  const route = routeOf(stack, options.route);
  const front = stack.functions[route.functionId];
  const fake = await startFakeAws();
  const taskRoots = new Map<string, string>();
  const invocations: DemoInvocation[] = [];
  const spans: TraceSpan[] = [];
  try {
    const run = async (fn: StackFunction, event: unknown, traceHeader: string, overrides: Record<string, string>) => {
      if (!taskRoots.has(fn.id)) taskRoots.set(fn.id, taskRootFromZip(fs.readFileSync(fn.zipFile)));
      const env = resolveEnvironment(fn, stack, fake);
      // invoke.cjs is the layer's wrapper: the layer's own path means nothing here.
      delete env.AWS_LAMBDA_EXEC_WRAPPER;
      const t0 = Date.now();
      const result = await invoke(taskRoots.get(fn.id) as string, event, {
        functionName: fn.functionName,
        handler: fn.handler,
        region: stack.region,
        timeoutSeconds: fn.timeoutSeconds,
        memoryMb: fn.memoryMb,
        env: {
          ...env,
          ...overrides,
          AWS_ENDPOINT_URL_SQS: fake.url,
          AWS_ENDPOINT_URL_KMS: fake.url,
          AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: fake.bedrockUrl,
          _X_AMZN_TRACE_ID: traceHeader,
        },
      });
      invocations.push({
        functionName: fn.functionName,
        durationMs: Date.now() - t0,
        error: result.error,
        stdout: result.stdout,
        stderr: result.stderr,
      });
      spans.push(...result.spans);
      return result;
    };

    // The request: API Gateway samples it, starts the trace and calls the function.
    const overrides: Record<string, string> = {};
    if (options.fail) {
      if (!('SIMULATE_FAILURE' in front.environment)) {
        throw new DemoError(`${front.functionName} has no SIMULATE_FAILURE switch: --fail cannot turn it on`);
      }
      overrides.SIMULATE_FAILURE = 'true';
    }
    fake.knowledgeBaseIds = knowledgeBaseIds(front, stack);
    const traceId = newTraceId();
    const gatewaySpanId = hex(8);
    const header = xrayHeader(traceId, gatewaySpanId);
    const body = JSON.stringify({ question: options.question ?? 'Where is my parcel?' });
    const requestStart = Date.now();
    const before = fake.requests.length;
    const result = await run(front, apiGatewayEvent(route, body, header, requestStart), header, overrides);
    // A function error (the handler threw) is a 502 from API Gateway.
    const response = result.response
      ? { statusCode: Number(result.response.statusCode), body: String(result.response.body ?? '') }
      : { statusCode: 502, body: JSON.stringify({ message: 'Internal server error' }) };
    spans.push(
      apiGatewaySpan(
        route,
        { traceId, spanId: gatewaySpanId },
        requestStart,
        Date.now(),
        response.statusCode,
        stack.region,
      ),
    );

    // SQS delivers what the function sent to the queue's consumer: a new trace, linked.
    const sends = fake.requests.slice(before).filter((r) => r.headers['x-amz-target'] === 'AmazonSQS.SendMessage');
    for (const send of sends) {
      const queueName = String((JSON.parse(send.body) as { QueueUrl: string }).QueueUrl)
        .split('/')
        .pop();
      const queue = Object.values(stack.queues).find((q) => q.queueName === queueName);
      const consumer = queue?.consumerId ? stack.functions[queue.consumerId] : undefined;
      if (!queue || !consumer) continue;
      const arn = `arn:aws:sqs:${stack.region}:${DEMO_ACCOUNT}:${queue.queueName}`;
      await run(consumer, { Records: [sqsRecord(send, arn, stack.region)] }, xrayHeader(newTraceId(), hex(8)), {});
    }
    return {
      stackName: stack.name,
      route,
      response,
      spans,
      traces: groupTraces(spans),
      invocations,
      awsRequests: [...fake.requests],
      durationMs: Date.now() - started,
    };
  } finally {
    await fake.close();
    for (const dir of taskRoots.values()) fs.rmSync(dir, { recursive: true, force: true });
  }
}
