/** Text rules the AWS services downstream impose, as pure functions. No AWS SDK here. */

/**
 * What SQS accepts in a message body: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD |
 * #x10000 to #x10FFFF. Anything else (other C0 controls, lone surrogates, U+FFFE, U+FFFF) makes
 * SendMessage fail with InvalidMessageContents.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
const OUTSIDE_SQS_CHARACTER_SET = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** `U+FFFF`, `U+D800`, `U+0000`. */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The first character of `text` that SQS refuses, with its 1-based position counted in characters
 * (code points), or null when every character is allowed.
 */
export function firstCharOutsideSqs(text: string): { position: number; codePoint: number } | null {
  const match = OUTSIDE_SQS_CHARACTER_SET.exec(text);
  if (!match) return null;
  return { position: [...text.slice(0, match.index)].length + 1, codePoint: match[0].codePointAt(0) as number };
}

/**
 * JSON text that SQS accepts for any value: JSON.stringify already escapes C0 controls and lone
 * surrogates; U+FFFE and U+FFFF, the two it leaves raw, become `\ufffe` / `\uffff` escapes. The text
 * parses back to the same value.
 */
export function sqsSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/**
 * The longest prefix of `text` (never splitting a surrogate pair) for which `fits` holds, by binary
 * search over its length. `fits('')` is assumed true.
 */
export function longestPrefix(text: string, fits: (prefix: string) => boolean): string {
  if (fits(text)) return text;
  let low = 0; // fits
  let high = text.length; // does not fit
  while (high - low > 1) {
    const mid = (low + high) >>> 1;
    if (fits(cut(text, mid))) low = mid;
    else high = mid;
  }
  return cut(text, low);
}

/** `text.slice(0, end)`, one unit shorter when that would end on the first half of a surrogate pair. */
function cut(text: string, end: number): string {
  const last = text.charCodeAt(end - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
}
