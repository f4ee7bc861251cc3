/** API Gateway proxy responses and request body parsing. No AWS SDK here. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { longestPrefix } from './text';

/** The largest body the chatbot reads, in bytes: a 4,000-character question in any script fits. */
export const MAX_BODY_BYTES = 32 * 1024;

/**
 * Lambda's limit on a synchronous invocation's response (6 MB = 6,291,456 bytes), less 1 KiB kept
 * for the runtime's own envelope. API Gateway's 10 MB payload limit is the looser one.
 */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 - 1024;

/** What the chatbot reads from an API Gateway proxy event, read so that no event shape throws. */
export interface ProxyRequest {
  readonly body: unknown;
  readonly isBase64Encoded: boolean;
  /** `requestContext.identity.apiKeyId`: the API key the caller presented, when it is a plausible id. */
  readonly apiKeyId?: string;
  /** `requestContext.requestTimeEpoch` when it is a plausible epoch millisecond. */
  readonly requestTimeEpoch?: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function readProxyEvent(event: unknown): ProxyRequest {
  const e = isObject(event) ? event : {};
  const context = isObject(e.requestContext) ? e.requestContext : {};
  const identity = isObject(context.identity) ? context.identity : {};
  const apiKeyId =
    typeof identity.apiKeyId === 'string' && /^[A-Za-z0-9]{1,128}$/.test(identity.apiKeyId)
      ? identity.apiKeyId
      : undefined;
  const epoch = context.requestTimeEpoch;
  // 2001-09-09 .. 2286-11-20: anything else is not a request time.
  const requestTimeEpoch =
    typeof epoch === 'number' && Number.isInteger(epoch) && epoch >= 1e12 && epoch < 1e13 ? epoch : undefined;
  return { body: e.body, isBase64Encoded: e.isBase64Encoded === true, apiKeyId, requestTimeEpoch };
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(
  statusCode: number,
  error: string,
  extra: Record<string, unknown> = {},
): APIGatewayProxyResult {
  return json(statusCode, { error, ...extra });
}

/** Why a request body could not be read, as an HTTP status and a message for the caller. */
export class BadRequest extends Error {
  constructor(
    public readonly statusCode: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'BadRequest';
  }
}

/**
 * A 200 response whose `field` (a string) is cut, and `truncated: true` added, so that the serialized
 * response stays within {@link MAX_RESPONSE_BYTES}.
 */
export function fittedJson(
  body: Record<string, unknown>,
  field: string,
  maxBytes = MAX_RESPONSE_BYTES,
): APIGatewayProxyResult {
  const size = (b: Record<string, unknown>) => Buffer.byteLength(JSON.stringify(json(200, b)));
  if (size(body) <= maxBytes) return json(200, body);
  const cut = (text: string) => ({ ...body, [field]: text, truncated: true });
  return json(200, cut(longestPrefix(String(body[field]), (text) => size(cut(text)) <= maxBytes)));
}

/** The body as text: decodes base64 bodies strictly; throws {@link BadRequest}. */
export function bodyText(event: { body?: unknown; isBase64Encoded?: unknown }): string {
  if (event.body === null || event.body === undefined || event.body === '')
    throw new BadRequest(400, 'request body is required');
  if (typeof event.body !== 'string') throw new BadRequest(400, 'request body must be text');
  let text = event.body;
  if (event.isBase64Encoded === true) {
    const compact = event.body.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
      throw new BadRequest(400, 'request body is not valid base64');
    }
    const bytes = Buffer.from(compact, 'base64');
    if (bytes.length > MAX_BODY_BYTES) throw new BadRequest(413, `request body exceeds ${MAX_BODY_BYTES} bytes`);
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new BadRequest(400, 'request body is not valid UTF-8');
    }
  }
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES)
    throw new BadRequest(413, `request body exceeds ${MAX_BODY_BYTES} bytes`);
  return text;
}

/** The body parsed as a JSON object; throws {@link BadRequest}. */
export function jsonBody(event: { body?: unknown; isBase64Encoded?: unknown }): Record<string, unknown> {
  const text = bodyText(event);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadRequest(400, 'request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadRequest(400, 'request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
