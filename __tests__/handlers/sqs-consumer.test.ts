import type { SQSEvent, SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import { handler, processRecord } from '../../handlers/sqs-consumer';

const record = (messageId: string, body: unknown): SQSRecord =>
  ({
    messageId,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1' },
  }) as unknown as SQSRecord;

const good = {
  enquiryId: 'e-1',
  question: 'Where is my order?',
  answer: 'On its way',
  sessionId: 's-1',
  askedAt: '2026-11-25T12:00:00.000Z',
};
let stdout: jest.SpyInstance;
let stderr: jest.SpyInstance;

beforeEach(() => {
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  stdout.mockRestore();
  stderr.mockRestore();
});

describe('sqs-consumer handler', () => {
  it('reports only the bad records as batch item failures', async () => {
    const event: SQSEvent = {
      Records: [
        record('m-1', good),
        record('m-2', 'not json'),
        record('m-3', { ...good, askedAt: 'yesterday' }),
        record('m-4', { ...good, enquiryId: 'e-4' }),
        record('m-5', { question: 'no id', askedAt: good.askedAt }),
      ],
    };
    expect(await handler(event)).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-2' }, { itemIdentifier: 'm-3' }, { itemIdentifier: 'm-5' }],
    });
  });

  it('logs a structured line and an EMF metric per good enquiry', () => {
    expect(processRecord(record('m-1', good), Date.parse(good.askedAt) + 1500)).toBeNull();
    const lines = stdout.mock.calls.map((c) => JSON.parse(String(c[0])));
    expect(lines[0]).toMatchObject({
      level: 'INFO',
      message: 'enquiry processed',
      enquiryId: 'e-1',
      ageMs: 1500,
      messageId: 'm-1',
    });
    expect(lines[1]).toEqual({
      _aws: {
        Timestamp: Date.parse(good.askedAt) + 1500,
        CloudWatchMetrics: [
          {
            Namespace: 'TracedChatbot',
            Dimensions: [['Service']],
            Metrics: [
              { Name: 'EnquiriesProcessed', Unit: 'Count' },
              { Name: 'EnquiryAge', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      Service: 'enquiry-consumer',
      EnquiriesProcessed: 1,
      EnquiryAge: 1500,
      enquiryId: 'e-1',
    });
  });

  it.each<[unknown, string]>([
    ['{', 'body is not valid JSON'],
    [[good], 'not a JSON object'],
    [{ ...good, enquiryId: '' }, 'enquiryId must be a non-empty string'],
    [{ ...good, question: ' ' }, 'question must be a non-blank string'],
    [{ ...good, askedAt: undefined }, 'askedAt must be an ISO 8601 date-time'],
    [{ ...good, askedAt: '2026-02-30T00:00:00Z' }, 'askedAt must be an ISO 8601 date-time'],
    [{ ...good, askedAt: '2026-11-25' }, 'askedAt must be an ISO 8601 date-time'],
    [{ ...good, answer: 7 }, 'answer must be a string'],
  ])('rejects %j: %s', (body, problem) => {
    expect(processRecord(record('m', body))).toBe(problem);
  });

  it('logs why a record was rejected', async () => {
    await handler({ Records: [record('m-9', 'nope')] });
    expect(JSON.parse(String(stderr.mock.calls[0][0]))).toMatchObject({
      level: 'ERROR',
      messageId: 'm-9',
      problem: 'body is not valid JSON',
      receiveCount: '1',
    });
  });

  it('reads a truncated answer flag and rejects one of the wrong type', () => {
    expect(processRecord(record('m', { ...good, answerTruncated: true }))).toBeNull();
    expect(processRecord(record('m', { ...good, answerTruncated: 'yes' }))).toBe('answerTruncated must be a boolean');
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'Records'],
    ['no Records', {}],
    ['Records that is not an array', { Records: { 0: good } }],
  ])('returns no failures and logs, for an event that is %s', async (_label, event) => {
    expect(await handler(event as SQSEvent)).toEqual({ batchItemFailures: [] });
    expect(JSON.parse(String(stderr.mock.calls[0][0]))).toMatchObject({
      message: 'not an SQS event: no Records array',
    });
  });

  it('fails a record whose body is not a string, and drops (with a log line) one without a messageId', async () => {
    const result = await handler({
      Records: [{ messageId: 'm-1', body: 42 }, null, { body: JSON.stringify(good) }, { body: '{' }],
    } as unknown as SQSEvent);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    const logged = stderr.mock.calls.map((c) => JSON.parse(String(c[0])));
    expect(logged).toContainEqual(expect.objectContaining({ messageId: 'm-1', problem: 'body is not a string' }));
    expect(logged.filter((l) => l.message === 'record without a messageId dropped')).toHaveLength(2);
  });

  it('never throws, and names only real message ids, for arbitrary events and records (property)', async () => {
    const anyRecord = fc.oneof(
      fc.anything(),
      fc.record(
        {
          messageId: fc.oneof(fc.string({ minLength: 1 }), fc.anything()),
          body: fc.oneof(fc.constant(JSON.stringify(good)), fc.string(), fc.anything()),
          attributes: fc.oneof(
            fc.anything(),
            fc.record({ AWSTraceHeader: fc.anything(), ApproximateReceiveCount: fc.anything() }),
          ),
          messageAttributes: fc.oneof(fc.anything(), fc.record({ traceparent: fc.anything() })),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.anything(), fc.record({ Records: fc.array(anyRecord, { maxLength: 5 }) })),
        async (e) => {
          const result = await handler(e as SQSEvent);
          const ids = new Set(
            ((e as { Records?: unknown })?.Records instanceof Array ? (e as { Records: unknown[] }).Records : [])
              .map((r) => (r as { messageId?: unknown } | null)?.messageId)
              .filter((id) => typeof id === 'string'),
          );
          for (const failure of result.batchItemFailures) expect(ids.has(failure.itemIdentifier)).toBe(true);
        },
      ),
      { seed: 20261126, numRuns: 300 },
    );
  });
});
