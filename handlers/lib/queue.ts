/** Sends enquiries to SQS. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Enquiry } from './enquiry';

/** Sends one enquiry; the SDK retries throttling and transient errors (standard mode, 3 attempts). */
export async function publishEnquiry(
  client: SQSClient,
  queueUrl: string,
  enquiry: Enquiry,
): Promise<string | undefined> {
  const result = await client.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(enquiry),
      MessageAttributes: { enquiryId: { DataType: 'String', StringValue: enquiry.enquiryId } },
    }),
  );
  return result.MessageId;
}
