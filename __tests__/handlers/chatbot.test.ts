import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
  ModelNotReadyException,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../handlers/chatbot';

const bedrock = mockClient(BedrockAgentRuntimeClient);
const sqs = mockClient(SQSClient);
const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

function event(body: string | null, extra: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    body,
    isBase64Encoded: false,
    requestContext: { requestTimeEpoch: Date.UTC(2026, 10, 25, 12) },
    ...extra,
  } as unknown as APIGatewayProxyEvent;
}

async function* stream(...parts: string[]) {
  for (const p of parts) yield { chunk: { bytes: new TextEncoder().encode(p) } };
}

const parse = (r: { body: string }) => JSON.parse(r.body);
let stdout: jest.SpyInstance;
let stderr: jest.SpyInstance;

beforeEach(() => {
  bedrock.reset();
  sqs.reset();
  process.env.BEDROCK_AGENT_ID = 'AGENT12345';
  process.env.BEDROCK_AGENT_ALIAS_ID = 'ALIAS12345';
  process.env.ENQUIRY_QUEUE_URL = 'https://sqs.us-west-2.amazonaws.com/111122223333/dev-enquiries';
  process.env._X_AMZN_TRACE_ID = TRACE;
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
});

afterEach(() => {
  stdout.mockRestore();
  stderr.mockRestore();
});

describe('chatbot handler', () => {
  it('answers from the streamed completion, queues the enquiry and returns the trace id', async () => {
    bedrock.on(InvokeAgentCommand).resolves({ completion: stream('Hello, ', 'traveller', '!') } as never);
    const response = await handler(event(JSON.stringify({ question: 'Where is my order?', sessionId: 'session-1' })));
    expect(response.statusCode).toBe(200);
    const body = parse(response);
    expect(body).toEqual({
      answer: 'Hello, traveller!',
      sessionId: 'session-1',
      enquiryId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      traceId: '1-5759e988-bd862e3fe1be46a994272793',
    });
    expect(bedrock.commandCalls(InvokeAgentCommand)[0].args[0].input).toEqual({
      agentId: 'AGENT12345',
      agentAliasId: 'ALIAS12345',
      sessionId: 'session-1',
      inputText: 'Where is my order?',
    });
    const sent = sqs.commandCalls(SendMessageCommand)[0].args[0].input;
    expect(sent.QueueUrl).toBe(process.env.ENQUIRY_QUEUE_URL);
    expect(JSON.parse(sent.MessageBody as string)).toEqual({
      enquiryId: body.enquiryId,
      question: 'Where is my order?',
      answer: 'Hello, traveller!',
      sessionId: 'session-1',
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

  it('starts a new session when none is given', async () => {
    bedrock.on(InvokeAgentCommand).resolves({ completion: stream('ok') } as never);
    const body = parse(await handler(event(JSON.stringify({ question: 'hi' }))));
    expect(body.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts a base64 body', async () => {
    bedrock.on(InvokeAgentCommand).resolves({ completion: stream('ok') } as never);
    const body = Buffer.from(JSON.stringify({ question: 'hi' })).toString('base64');
    expect((await handler(event(body, { isBase64Encoded: true }))).statusCode).toBe(200);
  });

  it.each<[string, Partial<APIGatewayProxyEvent>, number, string]>([
    ['no body', { body: null }, 400, 'request body is required'],
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
      'a bad sessionId',
      { body: '{"question":"hi","sessionId":"no spaces allowed"}' },
      400,
      'sessionId must be 2..100 letters, digits and . _ : -',
    ],
  ])('rejects %s with %i and never calls Bedrock', async (_label, extra, status, message) => {
    const response = await handler(event(null, extra));
    expect(response.statusCode).toBe(status);
    expect(parse(response)).toEqual({ error: message });
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
  });

  it('accepts exactly 4000 characters, counted as characters not UTF-16 units', async () => {
    bedrock.on(InvokeAgentCommand).resolves({ completion: stream('ok') } as never);
    expect((await handler(event(JSON.stringify({ question: '😀'.repeat(4000) })))).statusCode).toBe(200);
  });

  it.each<[string, () => Error, number]>([
    ['throttling', () => new ThrottlingException({ message: 'slow down', $metadata: {} }), 429],
    ['a quota', () => new ServiceQuotaExceededException({ message: 'quota', $metadata: {} }), 429],
    ['a model that is not ready', () => new ModelNotReadyException({ message: 'warming', $metadata: {} }), 503],
    ['any other failure', () => new ValidationException({ message: 'bad', $metadata: {} }), 502],
  ])('answers %s from Bedrock with %i JSON', async (_label, error, status) => {
    bedrock.on(InvokeAgentCommand).rejects(error());
    const response = await handler(event('{"question":"hi"}'));
    expect(response.statusCode).toBe(status);
    expect(parse(response)).toEqual({ error: expect.any(String), traceId: '1-5759e988-bd862e3fe1be46a994272793' });
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
    const logged = stderr.mock.calls.map((c) => JSON.parse(String(c[0])));
    expect(logged).toContainEqual(
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
      expect(parse(response)).toEqual({
        error: 'the assistant failed to answer',
        traceId: '1-5759e988-bd862e3fe1be46a994272793',
      });
      expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
      expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
      expect(JSON.parse(String(stderr.mock.calls[0][0]))).toMatchObject({
        errorMessage: 'Simulated failure in knowledge base query',
      });
    } finally {
      delete process.env.SIMULATE_FAILURE;
    }
  });

  it('answers 500 JSON when its environment is incomplete', async () => {
    delete process.env.ENQUIRY_QUEUE_URL;
    const response = await handler(event('{"question":"hi"}'));
    expect(response.statusCode).toBe(500);
    expect(parse(response).error).toBe('the chatbot is misconfigured');
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
  });
});
