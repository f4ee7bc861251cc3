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

/** Links from a record to the trace that produced it. */
export function producerLinks(record: SQSRecord): Link[] {
  const links: Link[] = [];
  const fromHeader = linkFromAwsTraceHeader(record.attributes?.AWSTraceHeader);
  if (fromHeader) links.push(fromHeader);
  const fromAttribute = linkFromTraceparent(record.messageAttributes?.traceparent?.stringValue);
  if (fromAttribute && !links.some((l) => l.context.traceId === fromAttribute.context.traceId))
    links.push(fromAttribute);
  return links;
}

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    await inSpan(
      'process-enquiry',
      (span) => {
        const problem = processRecord(record);
        if (problem) {
          markFailed(span, new Error(`enquiry rejected: ${problem}`));
          logError('enquiry rejected; it will be retried, then moved to the DLQ', {
            messageId: record.messageId,
            receiveCount: record.attributes?.ApproximateReceiveCount,
            problem,
          });
          batchItemFailures.push({ itemIdentifier: record.messageId });
        }
      },
      {
        kind: SpanKind.CONSUMER,
        links: producerLinks(record),
        attributes: {
          'messaging.system': 'aws_sqs',
          'messaging.operation': 'process',
          'messaging.message.id': record.messageId,
        },
      },
    );
  }
  return { batchItemFailures };
};
