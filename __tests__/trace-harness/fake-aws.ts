/**
 * Fake AWS endpoints on 127.0.0.1 for the trace harness: enough of the SQS JSON protocol
 * (SendMessage, HTTP/1.1), of KMS (GenerateMac/VerifyMac, JSON 1.1 over HTTP/1.1) and of Bedrock
 * InvokeAgent's event stream (HTTP/2: the Bedrock agent runtime client speaks only HTTP/2) to answer
 * the real SDK clients.
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
  /** The SQS endpoint (HTTP/1.1). */
  readonly url: string;
  /** The Bedrock agent runtime endpoint (HTTP/2 without TLS). */
  readonly bedrockUrl: string;
  readonly requests: RecordedRequest[];
  /** The chunks InvokeAgent streams back. */
  answerChunks: string[];
  close(): Promise<void>;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** One `chunk` event of a Bedrock agent's completion stream. */
function chunkEvent(text: string): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: 'chunk' },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify({ bytes: Buffer.from(text).toString('base64') })),
  });
}

function md5(text: string): string {
  return crypto.createHash('md5').update(text).digest('hex');
}

/** The fake KMS HMAC key: a secret of this process only. */
const macKey = crypto.randomBytes(32);
const mac = (messageBase64: string) =>
  crypto.createHmac('sha256', macKey).update(Buffer.from(messageBase64, 'base64')).digest();
const sameMac = (expected: Buffer, givenBase64: string | undefined) => {
  const given = Buffer.from(givenBase64 ?? '', 'base64');
  return given.length === expected.length && crypto.timingSafeEqual(expected, given);
};

export async function startFakeAws(): Promise<FakeAws> {
  const requests: RecordedRequest[] = [];
  const fake = { answerChunks: ['The parcel ', 'left our warehouse ', 'yesterday.'] };
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const target = req.headers['x-amz-target'];
      if (target === 'TrentService.GenerateMac' || target === 'TrentService.VerifyMac') {
        const input = JSON.parse(body) as { KeyId: string; MacAlgorithm: string; Message: string; Mac?: string };
        const expected = mac(input.Message);
        const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': crypto.randomUUID() };
        if (target === 'TrentService.GenerateMac') {
          res.writeHead(200, headers);
          res.end(
            JSON.stringify({ KeyId: input.KeyId, MacAlgorithm: input.MacAlgorithm, Mac: expected.toString('base64') }),
          );
        } else if (sameMac(expected, input.Mac)) {
          res.writeHead(200, headers);
          res.end(JSON.stringify({ KeyId: input.KeyId, MacAlgorithm: input.MacAlgorithm, MacValid: true }));
        } else {
          res.writeHead(400, headers);
          res.end(JSON.stringify({ __type: 'KMSInvalidMacException', message: 'invalid MAC' }));
        }
        return;
      }
      if (target === 'AmazonSQS.SendMessage') {
        const input = JSON.parse(body) as { MessageBody: string };
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': crypto.randomUUID() });
        res.end(JSON.stringify({ MessageId: crypto.randomUUID(), MD5OfMessageBody: md5(input.MessageBody) }));
        return;
      }
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          __type: 'UnknownOperationException',
          message: `fake AWS cannot answer ${req.method} ${req.url} ${target ?? ''}`,
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
