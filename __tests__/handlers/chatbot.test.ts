import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
  ModelNotReadyException,
} from '@aws-sdk/client-bedrock-agent-runtime';
import {
  GenerateMacCommand,
  KMSClient,
  KMSInternalException,
  KMSInvalidMacException,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { handler } from '../../handlers/chatbot';
import { SESSION_ID_PATTERN } from '../../handlers/lib/session-id';

const bedrock = mockClient(BedrockAgentRuntimeClient);
const sqs = mockClient(SQSClient);
const kms = mockClient(KMSClient);
const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
const TRACE_ID = '1-5759e988-bd862e3fe1be46a994272793';
const KEY_ARN = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const API_KEY = 'a1b2c3d4e5';

/** A stand-in for the KMS HMAC key: GenerateMac and VerifyMac over a key only this test knows. */
const hmac = (message: Uint8Array) => createHmac('sha256', 'test-only-key').update(message).digest();

function event(body: string | null, extra: Record<string, unknown> = {}, apiKeyId: string | null = API_KEY) {
  return {
    body,
    isBase64Encoded: false,
    requestContext: {
      requestTimeEpoch: Date.UTC(2026, 10, 25, 12),
      ...(apiKeyId === null ? {} : { identity: { apiKeyId } }),
    },
    ...extra,
  } as unknown as APIGatewayProxyEvent;
}

async function* stream(...parts: string[]) {
  for (const p of parts) yield { chunk: { bytes: new TextEncoder().encode(p) } };
}

/** A call that never answers and ignores every signal: the worst a network can do. */
const hang = () => new Promise<never>(() => undefined);

/** A Lambda context with `ms` left. */
const remaining = (ms: number) => ({ getRemainingTimeInMillis: () => ms });

/** Characters SQS refuses in a message (outside #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF). */
const OUTSIDE_SQS = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

const parse = (r: { body: string }) => JSON.parse(r.body);
let stdout: jest.SpyInstance;
let stderr: jest.SpyInstance;
const loggedErrors = () => {
  const lines = stderr.mock.calls.map((c) => String(c[0]));
  // Node's own warnings go to stderr too: only the handler's JSON lines count.
  return lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
};

beforeEach(() => {
  bedrock.reset();
  sqs.reset();
  kms.reset();
  process.env.BEDROCK_AGENT_ID = 'AGENT12345';
  process.env.BEDROCK_AGENT_ALIAS_ID = 'ALIAS12345';
  process.env.ENQUIRY_QUEUE_URL = 'https://sqs.us-west-2.amazonaws.com/111122223333/dev-enquiries';
  process.env.SESSION_KEY_ARN = KEY_ARN;
  process.env._X_AMZN_TRACE_ID = TRACE;
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  kms.on(GenerateMacCommand).callsFake((input) => ({
    KeyId: input.KeyId,
    MacAlgorithm: input.MacAlgorithm,
    Mac: hmac(input.Message),
  }));
  kms.on(VerifyMacCommand).callsFake((input) => {
    if (!timingSafeEqual(hmac(input.Message), Buffer.from(input.Mac))) {
      throw new KMSInvalidMacException({ message: 'invalid MAC', $metadata: {} });
    }
    return { KeyId: input.KeyId, MacAlgorithm: input.MacAlgorithm, MacValid: true };
  });
  bedrock.on(InvokeAgentCommand).callsFake(() => ({ completion: stream('ok') }));
});

afterEach(() => {
  stdout.mockRestore();
  stderr.mockRestore();
});

/** Starts a conversation for `apiKeyId` and returns the session id the chatbot issued. */
async function startConversation(apiKeyId = API_KEY): Promise<string> {
  const response = await handler(event('{"question":"hi"}', {}, apiKeyId));
  expect(response.statusCode).toBe(200);
  return parse(response).sessionId;
}

describe('chatbot handler', () => {
  it('answers from the streamed completion, queues the enquiry and returns the trace id', async () => {
    bedrock.on(InvokeAgentCommand).resolves({ completion: stream('Hello, ', 'traveller', '!') } as never);
    const response = await handler(event(JSON.stringify({ question: 'Where is my order?' })));
    expect(response.statusCode).toBe(200);
    const body = parse(response);
    expect(body).toEqual({
      answer: 'Hello, traveller!',
      sessionId: expect.stringMatching(SESSION_ID_PATTERN),
      enquiryId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      traceId: TRACE_ID,
    });
    expect(bedrock.commandCalls(InvokeAgentCommand)[0].args[0].input).toEqual({
      agentId: 'AGENT12345',
      agentAliasId: 'ALIAS12345',
      sessionId: body.sessionId,
      inputText: 'Where is my order?',
    });
    const sent = sqs.commandCalls(SendMessageCommand)[0].args[0].input;
    expect(sent.QueueUrl).toBe(process.env.ENQUIRY_QUEUE_URL);
    expect(JSON.parse(sent.MessageBody as string)).toEqual({
      enquiryId: body.enquiryId,
      question: 'Where is my order?',
      answer: 'Hello, traveller!',
      sessionId: body.sessionId,
      askedAt: '2026-11-25T12:00:00.000Z',
    });
  });

  it('decodes a multi-byte character split across chunks', async () => {
    const bytes = new TextEncoder().encode('é');
    async function* split() {
      yield { chunk: { bytes: bytes.slice(0, 1) } };
      yield { chunk: { bytes: bytes.slice(1) } };
    }
    bedrock.on(InvokeAgentCommand).resolves({ completion: split() } as never);
    expect(parse(await handler(event(JSON.stringify({ question: 'accent?' }))))).toMatchObject({ answer: 'é' });
  });

  it('accepts a base64 body', async () => {
    const body = Buffer.from(JSON.stringify({ question: 'hi' })).toString('base64');
    expect((await handler(event(body, { isBase64Encoded: true }))).statusCode).toBe(200);
  });

  it.each<[string, Record<string, unknown>, number, string]>([
    ['no body', { body: null }, 400, 'request body is required'],
    ['a body that is not text', { body: 42 }, 400, 'request body must be text'],
    ['non-JSON', { body: 'question=hi' }, 400, 'request body is not valid JSON'],
    ['a JSON array', { body: '["hi"]' }, 400, 'request body must be a JSON object'],
    ['bad base64', { body: '!!!not-base64', isBase64Encoded: true }, 400, 'request body is not valid base64'],
    [
      'base64 of invalid UTF-8',
      { body: Buffer.from([0xff, 0xfe, 0x7b]).toString('base64'), isBase64Encoded: true },
      400,
      'request body is not valid UTF-8',
    ],
    ['a missing question', { body: '{"q":"hi"}' }, 400, 'question is required'],
    ['a non-string question', { body: '{"question":42}' }, 400, 'question must be a string'],
    ['a blank question', { body: '{"question":"  \\n\\t "}' }, 400, 'question must not be blank'],
    [
      'an oversized question',
      { body: JSON.stringify({ question: 'x'.repeat(4001) }) },
      400,
      'question must be at most 4000 characters',
    ],
    [
      'an oversized body',
      { body: JSON.stringify({ question: 'x', pad: 'y'.repeat(40000) }) },
      413,
      'request body exceeds 32768 bytes',
    ],
    [
      'a session id the caller made up',
      { body: '{"question":"hi","sessionId":"session-1"}' },
      400,
      'sessionId must be a sessionId this API returned; omit it to start a conversation',
    ],
  ])('rejects %s and never calls KMS or Bedrock', async (_label, extra, status, message) => {
    const response = await handler(event(null, extra));
    expect(response.statusCode).toBe(status);
    expect(parse(response)).toEqual({ error: message });
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
    expect(kms.calls()).toHaveLength(0);
  });

  it('accepts exactly 4000 characters, counted as characters not UTF-16 units', async () => {
    expect((await handler(event(JSON.stringify({ question: '😀'.repeat(4000) })))).statusCode).toBe(200);
  });

  it.each<[string, () => Error, number]>([
    ['throttling', () => new ThrottlingException({ message: 'slow down', $metadata: {} }), 429],
    ['a quota', () => new ServiceQuotaExceededException({ message: 'quota', $metadata: {} }), 429],
    ['a model that is not ready', () => new ModelNotReadyException({ message: 'warming', $metadata: {} }), 503],
    ['any other failure', () => new ValidationException({ message: 'bad', $metadata: {} }), 502],
  ])('answers %s from Bedrock with JSON (%#)', async (_label, error, status) => {
    bedrock.on(InvokeAgentCommand).rejects(error());
    const response = await handler(event('{"question":"hi"}'));
    expect(response.statusCode).toBe(status);
    expect(parse(response)).toEqual({ error: expect.any(String), traceId: TRACE_ID });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('treats a failure inside the stream like a failed call', async () => {
    async function* broken() {
      yield { chunk: { bytes: new TextEncoder().encode('partial') } };
      throw new ThrottlingException({ message: 'throttled mid-stream', $metadata: {} });
    }
    bedrock.on(InvokeAgentCommand).resolves({ completion: broken() } as never);
    expect((await handler(event('{"question":"hi"}'))).statusCode).toBe(429);
  });

  it('still answers when the enquiry cannot be queued, and logs the full enquiry for replay', async () => {
    bedrock.on(InvokeAgentCommand).resolves({ completion: stream('the answer') } as never);
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('queue unavailable'), { name: 'ServiceUnavailable' }));
    const response = await handler(event('{"question":"hi"}'));
    expect(response.statusCode).toBe(200);
    expect(loggedErrors()).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'enquiry not queued; replay it from this log line',
        errorMessage: 'queue unavailable',
        enquiry: expect.objectContaining({
          question: 'hi',
          answer: 'the answer',
          enquiryId: parse(response).enquiryId,
        }),
      }),
    );
  });

  it('fails the knowledge lookup with 500 when the failure switch is on, without calling Bedrock', async () => {
    process.env.SIMULATE_FAILURE = 'true';
    try {
      const response = await handler(event('{"question":"hi"}'));
      expect(response.statusCode).toBe(500);
      expect(parse(response)).toEqual({ error: 'the assistant failed to answer', traceId: TRACE_ID });
      expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
      expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
      expect(loggedErrors()).toContainEqual(
        expect.objectContaining({ errorMessage: 'Simulated failure in knowledge base query' }),
      );
    } finally {
      delete process.env.SIMULATE_FAILURE;
    }
  });

  it.each(['ENQUIRY_QUEUE_URL', 'SESSION_KEY_ARN'])('answers 500 JSON when %s is missing', async (name) => {
    delete process.env[name];
    const response = await handler(event('{"question":"hi"}'));
    expect(response.statusCode).toBe(500);
    expect(parse(response).error).toBe('the chatbot is misconfigured');
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
  });
});

describe('conversation ids: issued by the chatbot, bound to the API key', () => {
  it('issues a new id on the first request, MACed by the KMS key over the API key id and a nonce', async () => {
    const sessionId = await startConversation();
    expect(sessionId).toMatch(SESSION_ID_PATTERN);
    const [call] = kms.commandCalls(GenerateMacCommand);
    expect(call.args[0].input).toMatchObject({ KeyId: KEY_ARN, MacAlgorithm: 'HMAC_SHA_256' });
    const message = Buffer.from(call.args[0].input.Message as Uint8Array).toString('utf8');
    expect(message).toBe(`traced-chatbot/session/v1\n${API_KEY}\n${sessionId.split('.')[0]}`);
    // Two conversations never share an id.
    expect(await startConversation()).not.toBe(sessionId);
  });

  it('continues a conversation of the same API key after VerifyMac', async () => {
    const sessionId = await startConversation();
    const response = await handler(event(JSON.stringify({ question: 'and then?', sessionId })));
    expect(response.statusCode).toBe(200);
    expect(parse(response).sessionId).toBe(sessionId);
    expect(kms.commandCalls(VerifyMacCommand)).toHaveLength(1);
    expect(bedrock.commandCalls(InvokeAgentCommand)[1].args[0].input.sessionId).toBe(sessionId);
  });

  it("refuses another API key's conversation with 403 and never reaches Bedrock", async () => {
    const sessionId = await startConversation('otherkey01');
    bedrock.resetHistory();
    const response = await handler(event(JSON.stringify({ question: 'what did they ask?', sessionId })));
    expect(response.statusCode).toBe(403);
    expect(parse(response)).toEqual({
      error: 'sessionId was not issued to this API key; omit it to start a new conversation',
      traceId: TRACE_ID,
    });
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
  });

  it('refuses a well-formed id whose MAC was tampered with', async () => {
    const [nonce, mac] = (await startConversation()).split('.');
    const forged = `${nonce}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    const response = await handler(event(JSON.stringify({ question: 'hi', sessionId: forged })));
    expect(response.statusCode).toBe(403);
  });

  it('answers 403 without an API key id: nothing would bind the conversation to a caller', async () => {
    const response = await handler(event('{"question":"hi"}', {}, null));
    expect(response.statusCode).toBe(403);
    expect(parse(response)).toEqual({ error: 'requests must carry an API key (x-api-key)', traceId: TRACE_ID });
    expect(kms.calls()).toHaveLength(0);
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
  });

  it.each<[string, () => Error, number]>([
    ['throttling', () => new ThrottlingException({ message: 'slow down', $metadata: {} }), 429],
    ['an internal error', () => new KMSInternalException({ message: 'oops', $metadata: {} }), 503],
  ])('answers KMS %s with JSON, before Bedrock (%#)', async (_label, error, status) => {
    kms.on(GenerateMacCommand).rejects(error());
    const response = await handler(event('{"question":"hi"}'));
    expect(response.statusCode).toBe(status);
    expect(parse(response)).toEqual({ error: expect.any(String), traceId: TRACE_ID });
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
  });
});

describe('deadlines: every AWS call ends before the function does', () => {
  // 1,600 ms left less the 1,500 ms margin: each test waits 100 ms for a call that never answers.
  const context = remaining(1600);

  it('answers 504 JSON with the trace id when InvokeAgent hangs, and queues nothing', async () => {
    bedrock.on(InvokeAgentCommand).callsFake(hang);
    const started = Date.now();
    const response = await handler(event('{"question":"hi"}'), context);
    expect(Date.now() - started).toBeLessThan(1600);
    expect(response.statusCode).toBe(504);
    expect(parse(response)).toEqual({ error: 'the assistant did not answer in time; retry', traceId: TRACE_ID });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(loggedErrors()).toContainEqual(
      expect.objectContaining({ message: 'InvokeAgent ran out of time', errorName: 'DeadlineExceeded' }),
    );
  });

  it('answers 504 when the completion stream stalls after its first chunk', async () => {
    async function* stalls() {
      yield { chunk: { bytes: new TextEncoder().encode('Let me think') } };
      await hang();
    }
    bedrock.on(InvokeAgentCommand).resolves({ completion: stalls() } as never);
    expect((await handler(event('{"question":"hi"}'), context)).statusCode).toBe(504);
  });

  it('answers 504 when KMS hangs', async () => {
    kms.on(GenerateMacCommand).callsFake(hang);
    expect((await handler(event('{"question":"hi"}'), context)).statusCode).toBe(504);
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
  });

  it('returns the answer when SendMessage hangs, and logs the enquiry for replay', async () => {
    sqs.on(SendMessageCommand).callsFake(hang);
    const started = Date.now();
    const response = await handler(event('{"question":"hi"}'), context);
    expect(Date.now() - started).toBeLessThan(1600);
    // The answer exists and is paid for: a 504 would only make the caller ask (and pay) again.
    expect(response.statusCode).toBe(200);
    expect(parse(response).answer).toBe('ok');
    expect(loggedErrors()).toContainEqual(
      expect.objectContaining({
        message: 'enquiry not queued; replay it from this log line',
        errorName: 'DeadlineExceeded',
        enquiry: expect.objectContaining({ question: 'hi', answer: 'ok' }),
      }),
    );
  });

  it('does not start a call when the function has less than the margin left', async () => {
    const response = await handler(event('{"question":"hi"}'), remaining(900));
    expect(response.statusCode).toBe(504);
    expect(kms.calls()).toHaveLength(0);
  });
});

describe('text that SQS would refuse', () => {
  it.each<[string, string, string]>([
    ['U+FFFF', 'where\uffff', 'question must not contain U+FFFF (character 6): only text characters are accepted'],
    ['U+FFFE', '\ufffeok', 'question must not contain U+FFFE (character 1): only text characters are accepted'],
    [
      'a lone surrogate',
      '😀 \ud800?',
      'question must not contain U+D800 (character 3): only text characters are accepted',
    ],
    ['NUL', 'a\u0000b', 'question must not contain U+0000 (character 2): only text characters are accepted'],
    ['ESC', 'a\u001bb', 'question must not contain U+001B (character 2): only text characters are accepted'],
  ])('rejects a question with %s with 400, before KMS or Bedrock', async (_label, question, error) => {
    const response = await handler(event(JSON.stringify({ question })));
    expect(response.statusCode).toBe(400);
    expect(parse(response)).toEqual({ error });
    expect(kms.calls()).toHaveLength(0);
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
  });

  it('accepts tabs, newlines and characters outside the BMP', async () => {
    const response = await handler(event(JSON.stringify({ question: 'line one\n\tline two 😀 \ue000' })));
    expect(response.statusCode).toBe(200);
  });

  it('escapes what SQS refuses in an answer: the message parses back to the very answer', async () => {
    // (A lone surrogate cannot arrive: the stream carries UTF-8. The property test below feeds them anyway.)
    const answer = 'odd\uffff \ufffe \u0001 end';
    bedrock.on(InvokeAgentCommand).resolves({ completion: stream(answer) } as never);
    expect((await handler(event('{"question":"hi"}'))).statusCode).toBe(200);
    const body = sqs.commandCalls(SendMessageCommand)[0].args[0].input.MessageBody as string;
    expect(OUTSIDE_SQS.exec(body)).toBeNull();
    expect(JSON.parse(body).answer).toBe(answer);
  });

  it('never sends SQS a character it refuses, whatever the question and answer (property)', async () => {
    const edge = fc.constantFrom('\ufffe', '\uffff', '\ud800', '\udfff', '\u0000', '\u001f', '\t', '\n', '\r', '"');
    const unit = fc.oneof(edge, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit, minLength: 1, maxLength: 40 }),
        fc.string({ unit, maxLength: 40 }),
        async (question, answer) => {
          bedrock.reset();
          sqs.reset();
          bedrock.on(InvokeAgentCommand).callsFake(() => ({ completion: stream(answer) }));
          sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
          const response = await handler(event(JSON.stringify({ question })));
          if (response.statusCode === 400) {
            expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
            return;
          }
          expect(response.statusCode).toBe(200);
          for (const call of sqs.commandCalls(SendMessageCommand)) {
            const body = call.args[0].input.MessageBody as string;
            expect(OUTSIDE_SQS.exec(body)).toBeNull();
            expect(JSON.parse(body).question).toBe(question);
          }
        },
      ),
      { seed: 20261126, numRuns: 150 },
    );
  });
});

describe('answers larger than a Lambda response', () => {
  it("cuts an answer over Lambda's 6 MB response limit and says so; the queued enquiry fits SQS", async () => {
    const megabyte = 'é'.repeat(512 * 1024); // 1 MiB of UTF-8
    bedrock.on(InvokeAgentCommand).resolves({ completion: stream(...Array(7).fill(megabyte)) } as never);
    const response = await handler(event('{"question":"tell me everything"}'));
    expect(response.statusCode).toBe(200);
    // What the Lambda runtime serializes is what must fit.
    expect(Buffer.byteLength(JSON.stringify(response))).toBeLessThanOrEqual(6 * 1024 * 1024);
    const body = parse(response);
    expect(body.truncated).toBe(true);
    expect(body.answer.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(megabyte.repeat(7).startsWith(body.answer)).toBe(true);
    const sent = sqs.commandCalls(SendMessageCommand)[0].args[0].input;
    expect(Buffer.byteLength(sent.MessageBody as string)).toBeLessThanOrEqual(256 * 1024);
    expect(JSON.parse(sent.MessageBody as string)).toMatchObject({ answerTruncated: true });
  });

  it('keeps an answer that fits whole, without a truncated flag', async () => {
    bedrock.on(InvokeAgentCommand).resolves({ completion: stream('x'.repeat(100_000)) } as never);
    const body = parse(await handler(event('{"question":"hi"}')));
    expect(body.answer).toHaveLength(100_000);
    expect(body.truncated).toBeUndefined();
  });
});

describe('any event shape', () => {
  const statuses = new Set([400, 403, 413]);

  it('answers JSON 4xx, never throws and never 500, for arbitrary events (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true }), async (e) => {
        const response = await handler(e as APIGatewayProxyEvent);
        expect(statuses.has(response.statusCode)).toBe(true);
        expect(typeof parse(response).error).toBe('string');
      }),
      { seed: 20261126, numRuns: 300 },
    );
  });

  it('answers 200 or a JSON 4xx for malformed API Gateway events around a valid question (property)', async () => {
    const field = fc.oneof(fc.anything(), fc.constant(undefined));
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          body: fc.oneof(fc.constant('{"question":"hi"}'), fc.string(), field),
          isBase64Encoded: fc.oneof(fc.boolean(), field),
          requestContext: fc.oneof(
            field,
            fc.record({
              requestTimeEpoch: fc.oneof(fc.integer(), fc.double(), fc.string(), field),
              identity: fc.oneof(field, fc.record({ apiKeyId: fc.oneof(fc.constant(API_KEY), fc.string(), field) })),
            }),
          ),
        }),
        fc.oneof(
          field,
          fc.record({
            getRemainingTimeInMillis: fc.oneof(
              field,
              fc.constant(() => 'soon'),
            ),
          }),
        ),
        async (e, context) => {
          const response = await handler(e as unknown as APIGatewayProxyEvent, context as never);
          expect(response.statusCode === 200 || statuses.has(response.statusCode)).toBe(true);
          expect(() => JSON.parse(response.body)).not.toThrow();
        },
      ),
      { seed: 20261126, numRuns: 300 },
    );
  });
});
