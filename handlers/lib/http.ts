/** API Gateway proxy responses and request body parsing. No AWS SDK here. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** The largest body the chatbot reads, in bytes: a 4,000-character question in any script fits. */
export const MAX_BODY_BYTES = 32 * 1024;

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

/** The body as text: decodes base64 bodies strictly; throws {@link BadRequest}. */
export function bodyText(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): string {
  if (event.body === null || event.body === undefined || event.body === '')
    throw new BadRequest(400, 'request body is required');
  let text = event.body;
  if (event.isBase64Encoded) {
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
export function jsonBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): Record<string, unknown> {
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
