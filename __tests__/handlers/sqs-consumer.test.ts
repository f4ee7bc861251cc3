import type { SQSEvent, SQSRecord } from 'aws-lambda';
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
});
