/**
 * Conversation (Bedrock session) ids the chatbot issues: `<nonce>.<mac>`, where the MAC binds the
 * nonce to the API key that started the conversation, so one client cannot continue another's.
 * The format and the MAC input are pure; the MAC itself is computed by KMS (./session.ts).
 */
import { randomBytes } from 'node:crypto';

/** 16 random bytes and an HMAC-SHA-256, both base64url: 22 + 1 + 43 = 66 characters, within InvokeAgent's 2..100. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;

/** The MAC algorithm of the HMAC_256 KMS key. */
export const SESSION_MAC_ALGORITHM = 'HMAC_SHA_256';

/** A fresh nonce: 128 random bits, base64url. */
export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The bytes the MAC covers. Domain-separated and versioned; the API key id cannot contain a newline
 * (checked by the caller), so the encoding is unambiguous.
 */
export function sessionMacMessage(apiKeyId: string, nonce: string): Uint8Array {
  return Buffer.from(`traced-chatbot/session/v1\n${apiKeyId}\n${nonce}`, 'utf8');
}

export function formatSessionId(nonce: string, mac: Uint8Array): string {
  return `${nonce}.${Buffer.from(mac).toString('base64url')}`;
}

/** The nonce and MAC of a well-formed session id, or null. */
export function parseSessionId(sessionId: string): { nonce: string; mac: Uint8Array } | null {
  if (!SESSION_ID_PATTERN.test(sessionId)) return null;
  const [nonce, mac] = sessionId.split('.');
  return { nonce, mac: Buffer.from(mac, 'base64url') };
}
