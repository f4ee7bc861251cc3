/**
 * Fake AWS endpoints on 127.0.0.1 for the trace tool: enough of the JSON protocols of SQS
 * (SendMessage) and KMS (GenerateMac, VerifyMac: real HMACs with a key of this process) over
 * HTTP/1.1, and of Bedrock InvokeAgent's event stream (HTTP/2: the Bedrock agent runtime client
 * speaks only HTTP/2), to answer the real SDK clients. Anything else gets a 400 that names it.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeAws {
  /** The SQS and KMS endpoint (HTTP/1.1; the X-Amz-Target header tells the services apart). */
  readonly url: string;
  /** The Bedrock agent runtime endpoint (HTTP/2 without TLS). */
  readonly bedrockUrl: string;
  readonly requests: RecordedRequest[];
  /** The chunks InvokeAgent streams back. */
  answerChunks: string[];
  /**
   * Knowledge bases the agent has: asked with `enableTrace`, it reports a lookup in each (an
   * invocation input, then an observation with the lookup's start and end) before answering.
   */
  knowledgeBaseIds: string[];
  close(): Promise<void>;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** One event of a Bedrock agent's completion stream. */
function streamEvent(type: 'chunk' | 'trace', body: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(body)),
  });
}

function chunkEvent(text: string): Uint8Array {
  return streamEvent('chunk', { bytes: Buffer.from(text).toString('base64') });
}

/**
 * A knowledge base lookup as the agent's trace reports it: the invocation input, then the
 * observation with the references found and the lookup's times (RFC 3339 strings in the event stream).
 */
function lookupEvents(ids: { agentId: string; aliasId: string; sessionId: string }, kb: string, query: string) {
  const part = (trace: unknown) => ({
    agentId: ids.agentId,
    agentAliasId: ids.aliasId,
    sessionId: ids.sessionId,
    agentVersion: '1',
    trace: { orchestrationTrace: trace },
  });
  const traceId = `${crypto.randomUUID()}-0`;
  const started = Date.now();
  const input = part({
    invocationInput: {
      traceId,
      invocationType: 'KNOWLEDGE_BASE',
      knowledgeBaseLookupInput: { knowledgeBaseId: kb, text: query },
    },
  });
  // Nothing is searched: the fake has no documents, and says so in the one reference it returns.
  const ended = Date.now();
  const output = part({
    observation: {
      traceId,
      type: 'KNOWLEDGE_BASE',
      knowledgeBaseLookupOutput: {
        retrievedReferences: [{ content: { text: 'trace:demo stand-in: no documents' } }],
        metadata: {
          startTime: new Date(started).toISOString(),
          endTime: new Date(ended).toISOString(),
          totalTimeMs: ended - started,
        },
      },
    },
  });
  return [streamEvent('trace', input), streamEvent('trace', output)];
}

function md5(text: string): string {
  return crypto.createHash('md5').update(text).digest('hex');
}

const MAC_ALGORITHMS: Record<string, string> = {
  HMAC_SHA_224: 'sha224',
  HMAC_SHA_256: 'sha256',
  HMAC_SHA_384: 'sha384',
  HMAC_SHA_512: 'sha512',
};

type JsonAnswer = [status: number, body: Record<string, unknown>];

/** KMS GenerateMac / VerifyMac with one secret per KeyId, held by this process. */
function kms(target: string, input: Record<string, string>, secrets: Map<string, Buffer>): JsonAnswer | undefined {
  if (target !== 'TrentService.GenerateMac' && target !== 'TrentService.VerifyMac') return undefined;
  const algorithm = MAC_ALGORITHMS[input.MacAlgorithm];
  if (!algorithm || !input.KeyId || typeof input.Message !== 'string') {
    return [400, { __type: 'ValidationException', message: 'KeyId, Message and a MacAlgorithm are required' }];
  }
  const secret = secrets.get(input.KeyId) ?? crypto.randomBytes(32);
  secrets.set(input.KeyId, secret);
  const mac = crypto.createHmac(algorithm, secret).update(Buffer.from(input.Message, 'base64')).digest();
  if (target === 'TrentService.GenerateMac') {
    return [200, { KeyId: input.KeyId, MacAlgorithm: input.MacAlgorithm, Mac: mac.toString('base64') }];
  }
  const given = Buffer.from(input.Mac ?? '', 'base64');
  if (given.length !== mac.length || !crypto.timingSafeEqual(given, mac)) {
    return [400, { __type: 'KMSInvalidMacException', message: 'The MAC is not valid' }];
  }
  return [200, { KeyId: input.KeyId, MacAlgorithm: input.MacAlgorithm, MacValid: true }];
}

export async function startFakeAws(): Promise<FakeAws> {
  const requests: RecordedRequest[] = [];
  const fake = {
    answerChunks: ['The parcel ', 'left our warehouse ', 'yesterday.'],
    knowledgeBaseIds: [] as string[],
  };
  const macSecrets = new Map<string, Buffer>();
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const target = String(req.headers['x-amz-target'] ?? '');
      const headers = { 'x-amzn-requestid': crypto.randomUUID() };
      if (target === 'AmazonSQS.SendMessage') {
        const input = JSON.parse(body) as { MessageBody: string };
        res.writeHead(200, { ...headers, 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ MessageId: crypto.randomUUID(), MD5OfMessageBody: md5(input.MessageBody) }));
        return;
      }
      const answer = kms(target, body ? JSON.parse(body) : {}, macSecrets);
      if (answer) {
        res.writeHead(answer[0], { ...headers, 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(answer[1]));
        return;
      }
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          __type: 'UnknownOperationException',
          message: `fake AWS cannot answer ${req.method} ${req.url} ${target}`,
        }),
      );
    });
  });
  const bedrock = http2.createServer();
  bedrock.on('stream', (stream, headers) => {
    const parts: Buffer[] = [];
    stream.on('data', (d: Buffer) => parts.push(d));
    stream.on('end', () => {
      const requestPath = String(headers[':path']);
      requests.push({
        method: String(headers[':method']),
        path: requestPath,
        headers: headers as http.IncomingHttpHeaders,
        body: Buffer.concat(parts).toString('utf8'),
      });
      const agent = /^\/agents\/([^/]+)\/agentAliases\/([^/]+)\/sessions\/([^/]+)\/text$/.exec(requestPath);
      if (headers[':method'] !== 'POST' || !agent) {
        stream.respond({ ':status': 404, 'content-type': 'application/json' });
        stream.end(JSON.stringify({ message: `fake Bedrock cannot answer ${requestPath}` }));
        return;
      }
      stream.respond({
        ':status': 200,
        'content-type': 'application/vnd.amazon.eventstream',
        'x-amzn-bedrock-agent-content-type': 'application/json',
        'x-amz-bedrock-agent-session-id': decodeURIComponent(agent[3]),
        'x-amzn-requestid': crypto.randomUUID(),
      });
      const input = JSON.parse(Buffer.concat(parts).toString('utf8') || '{}') as {
        enableTrace?: boolean;
        inputText?: string;
      };
      if (input.enableTrace) {
        const ids = { agentId: agent[1], aliasId: agent[2], sessionId: decodeURIComponent(agent[3]) };
        for (const kb of fake.knowledgeBaseIds) {
          for (const event of lookupEvents(ids, kb, input.inputText ?? '')) stream.write(event);
        }
      }
      for (const chunk of fake.answerChunks) stream.write(chunkEvent(chunk));
      stream.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => bedrock.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const bedrockPort = (bedrock.address() as AddressInfo).port;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    bedrockUrl: `http://127.0.0.1:${bedrockPort}`,
    requests,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => bedrock.close(() => resolve()));
    },
  });
}
