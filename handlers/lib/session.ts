/** Issues and verifies conversation ids with a KMS HMAC key: no secret ever reaches the function. */
import { GenerateMacCommand, VerifyMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import { SESSION_MAC_ALGORITHM, formatSessionId, newNonce, parseSessionId, sessionMacMessage } from './session-id';

/** A new conversation id for `apiKeyId` (kms:GenerateMac). */
export async function issueSessionId(
  kms: KMSClient,
  keyArn: string,
  apiKeyId: string,
  abortSignal?: AbortSignal,
): Promise<string> {
  const nonce = newNonce();
  const { Mac } = await kms.send(
    new GenerateMacCommand({
      KeyId: keyArn,
      MacAlgorithm: SESSION_MAC_ALGORITHM,
      Message: sessionMacMessage(apiKeyId, nonce),
    }),
    { abortSignal },
  );
  if (!Mac || Mac.length !== 32) throw new Error('GenerateMac returned no 32-byte MAC');
  return formatSessionId(nonce, Mac);
}

/**
 * Whether `sessionId` was issued to `apiKeyId` (kms:VerifyMac). A MAC that does not match is
 * `false` (KMS answers KMSInvalidMacException); any other failure is thrown.
 */
export async function sessionIdIssuedTo(
  kms: KMSClient,
  keyArn: string,
  apiKeyId: string,
  sessionId: string,
  abortSignal?: AbortSignal,
): Promise<boolean> {
  const parsed = parseSessionId(sessionId);
  if (!parsed) return false;
  try {
    const { MacValid } = await kms.send(
      new VerifyMacCommand({
        KeyId: keyArn,
        MacAlgorithm: SESSION_MAC_ALGORITHM,
        Message: sessionMacMessage(apiKeyId, parsed.nonce),
        Mac: parsed.mac,
      }),
      { abortSignal },
    );
    return MacValid === true;
  } catch (error) {
    if ((error as { name?: string })?.name === 'KMSInvalidMacException') return false;
    throw error;
  }
}

/** How the chatbot answers a failed KMS call: status and a message safe to show the caller. */
export function sessionFailure(error: unknown): { statusCode: 429 | 503; message: string } {
  const name = (error as { name?: string })?.name ?? '';
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (name === 'ThrottlingException' || status === 429) {
    return { statusCode: 429, message: 'too many conversations are starting; retry in a few seconds' };
  }
  return { statusCode: 503, message: 'the conversation could not be checked; retry later' };
}
