/** The chat request and the enquiry message that travels through SQS, and their validation. */
import { BadRequest } from './http';
import { SESSION_ID_PATTERN } from './session-id';
import { codePointName, firstCharOutsideSqs } from './text';

export const MAX_QUESTION_CHARS = 4000;

export interface ChatRequest {
  readonly question: string;
  readonly sessionId?: string;
}

/** The message the chatbot sends to the queue and the consumer processes. */
export interface Enquiry {
  readonly enquiryId: string;
  readonly question: string;
  readonly answer: string;
  readonly sessionId: string;
  /** ISO 8601 time the question was asked. */
  readonly askedAt: string;
  /** True when `answer` was cut to fit the queue's message size. */
  readonly answerTruncated?: boolean;
}

/** Checks a parsed chat body; throws {@link BadRequest} naming the problem. */
export function parseChatRequest(body: Record<string, unknown>): ChatRequest {
  const { question, sessionId } = body;
  if (question === undefined) throw new BadRequest(400, 'question is required');
  if (typeof question !== 'string') throw new BadRequest(400, 'question must be a string');
  if (question.trim().length === 0) throw new BadRequest(400, 'question must not be blank');
  if ([...question].length > MAX_QUESTION_CHARS) {
    throw new BadRequest(400, `question must be at most ${MAX_QUESTION_CHARS} characters`);
  }
  // Refused here, before Bedrock is paid for an answer the enquiry queue could not carry.
  const bad = firstCharOutsideSqs(question);
  if (bad) {
    throw new BadRequest(
      400,
      `question must not contain ${codePointName(bad.codePoint)} (character ${bad.position}): only text characters are accepted`,
    );
  }
  if (sessionId !== undefined && (typeof sessionId !== 'string' || !SESSION_ID_PATTERN.test(sessionId))) {
    throw new BadRequest(400, 'sessionId must be a sessionId this API returned; omit it to start a conversation');
  }
  return { question, sessionId: sessionId as string | undefined };
}

/** A problem with one enquiry record, or null when it is valid. */
export function enquiryProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const e = value as Record<string, unknown>;
  if (typeof e.enquiryId !== 'string' || e.enquiryId.length === 0) return 'enquiryId must be a non-empty string';
  if (typeof e.question !== 'string' || e.question.trim().length === 0) return 'question must be a non-blank string';
  if (typeof e.askedAt !== 'string' || !isIsoDate(e.askedAt)) return 'askedAt must be an ISO 8601 date-time';
  if (e.answer !== undefined && typeof e.answer !== 'string') return 'answer must be a string';
  if (e.sessionId !== undefined && typeof e.sessionId !== 'string') return 'sessionId must be a string';
  if (e.answerTruncated !== undefined && typeof e.answerTruncated !== 'boolean')
    return 'answerTruncated must be a boolean';
  return null;
}

/** A full ISO 8601 date-time with a zone (what `Date.prototype.toISOString` writes), and a real date. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return false;
  const time = Date.parse(text);
  if (Number.isNaN(time)) return false;
  // Date.parse rolls 2026-02-30 over to March: compare the calendar date back.
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  const check = new Date(Date.UTC(y, m - 1, d));
  return check.getUTCFullYear() === y && check.getUTCMonth() === m - 1 && check.getUTCDate() === d;
}
