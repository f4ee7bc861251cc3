/**
 * Consumes enquiries from SQS. Returns the failed records' message ids (partial batch response),
 * so only they are retried and, after maxReceiveCount, land in the DLQ: nothing is dropped silently.
 *
 * Each record is processed in its own span, linked to the producer's trace through the record's
 * AWSTraceHeader (or the W3C traceparent message attribute), so X-Ray connects chatbot and consumer.
 */
import { SpanKind, type Link } from '@opentelemetry/api';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { enquiryProblem, type Enquiry } from './lib/enquiry';
import { emfLine, logError, logInfo } from './lib/log';
import { inSpan, linkFromAwsTraceHeader, linkFromTraceparent, markFailed } from './lib/tracing';

export const METRIC_NAMESPACE = 'TracedChatbot';

/** Processes one record: an error string when it is not a valid enquiry. */
export function processRecord(record: SQSRecord, now = Date.now()): string | null {
  if (typeof record?.body !== 'string') return 'body is not a string';
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    return 'body is not valid JSON';
  }
  const problem = enquiryProblem(body);
  if (problem) return problem;
  const enquiry = body as Enquiry;
  const ageMs = Math.max(0, now - Date.parse(enquiry.askedAt));
  logInfo('enquiry processed', {
    enquiryId: enquiry.enquiryId,
    sessionId: enquiry.sessionId,
    questionChars: enquiry.question.length,
    answerChars: enquiry.answer?.length ?? 0,
    answerTruncated: enquiry.answerTruncated === true,
    ageMs,
    messageId: record.messageId,
  });
  process.stdout.write(
    `${emfLine(
      METRIC_NAMESPACE,
      { Service: 'enquiry-consumer' },
      { EnquiriesProcessed: { value: 1, unit: 'Count' }, EnquiryAge: { value: ageMs, unit: 'Milliseconds' } },
      { enquiryId: enquiry.enquiryId },
      now,
    )}\n`,
  );
  return null;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Links from a record to the trace that produced it (none from attributes of the wrong shape). */
export function producerLinks(record: SQSRecord): Link[] {
  const links: Link[] = [];
  const fromHeader = linkFromAwsTraceHeader(text(record?.attributes?.AWSTraceHeader));
  if (fromHeader) links.push(fromHeader);
  const fromAttribute = linkFromTraceparent(text(record?.messageAttributes?.traceparent?.stringValue));
  if (fromAttribute && !links.some((l) => l.context.traceId === fromAttribute.context.traceId))
    links.push(fromAttribute);
  return links;
}

/**
 * The records of an SQS event. Lambda always sends `{ Records: [...] }`; anything else is logged and
 * yields no records, so no event shape makes the handler throw.
 */
function recordsOf(event: unknown): unknown[] {
  const records = (event as { Records?: unknown } | null | undefined)?.Records;
  if (Array.isArray(records)) return records;
  logError('not an SQS event: no Records array', { eventType: event === null ? 'null' : typeof event });
  return [];
}

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const item of recordsOf(event)) {
    const record = (typeof item === 'object' && item !== null ? item : {}) as SQSRecord;
    const messageId = text(record.messageId);
    await inSpan(
      'process-enquiry',
      (span) => {
        let problem: string | null;
        try {
          problem = processRecord(record);
        } catch (e) {
          problem = `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
        }
        if (!problem) return;
        markFailed(span, new Error(`enquiry rejected: ${problem}`));
        if (messageId === undefined) {
          // Nothing to name in a batch item failure (an empty id would fail the whole batch).
          logError('record without a messageId dropped', { problem });
          return;
        }
        logError('enquiry rejected; it will be retried, then moved to the DLQ', {
          messageId,
          receiveCount: text(record.attributes?.ApproximateReceiveCount),
          problem,
        });
        batchItemFailures.push({ itemIdentifier: messageId });
      },
      {
        kind: SpanKind.CONSUMER,
        links: producerLinks(record),
        attributes: {
          'messaging.system': 'aws_sqs',
          'messaging.operation': 'process',
          ...(messageId === undefined ? {} : { 'messaging.message.id': messageId }),
        },
      },
    );
  }
  return { batchItemFailures };
};
