/** Sends enquiries to SQS. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Enquiry } from './enquiry';
import { longestPrefix, sqsSafeJson } from './text';

/**
 * The largest message the enquiry queue takes, body and attributes together: SQS's
 * `MaximumMessageSize` as the queue is created (262,144 bytes).
 */
export const ENQUIRY_MAX_BYTES = 262_144;

type Attributes = Record<string, { DataType: string; StringValue: string }>;

const attributesOf = (enquiry: Enquiry): Attributes => ({
  enquiryId: { DataType: 'String', StringValue: enquiry.enquiryId },
});

/** SQS counts attribute names, types and values against the size limit too. */
const attributeBytes = (attributes: Attributes) =>
  Object.entries(attributes).reduce(
    (n, [name, a]) => n + Buffer.byteLength(name) + Buffer.byteLength(a.DataType) + Buffer.byteLength(a.StringValue),
    0,
  );

/** The enquiry as it fits the queue: its answer cut (and `answerTruncated: true`) when the message would be too large. */
export function fitEnquiry(enquiry: Enquiry, maxBytes = ENQUIRY_MAX_BYTES): Enquiry {
  const reserved = attributeBytes(attributesOf(enquiry));
  const fits = (e: Enquiry) => Buffer.byteLength(sqsSafeJson(e)) + reserved <= maxBytes;
  if (fits(enquiry)) return enquiry;
  const cut = (answer: string): Enquiry => ({ ...enquiry, answer, answerTruncated: true });
  return cut(longestPrefix(enquiry.answer, (answer) => fits(cut(answer))));
}

/** The SendMessage input for an (already fitted) enquiry: SQS-safe JSON. */
export function enquiryMessage(
  queueUrl: string,
  enquiry: Enquiry,
): { QueueUrl: string; MessageBody: string; MessageAttributes: Attributes } {
  return { QueueUrl: queueUrl, MessageBody: sqsSafeJson(enquiry), MessageAttributes: attributesOf(enquiry) };
}

/** Sends one enquiry; the SDK retries throttling and transient errors (standard mode, 3 attempts). */
export async function publishEnquiry(
  client: SQSClient,
  queueUrl: string,
  enquiry: Enquiry,
  abortSignal?: AbortSignal,
): Promise<string | undefined> {
  const result = await client.send(new SendMessageCommand(enquiryMessage(queueUrl, enquiry)), { abortSignal });
  return result.MessageId;
}
