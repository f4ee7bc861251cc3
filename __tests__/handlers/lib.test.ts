/** The handlers' plain functions: text rules, deadlines against real hung endpoints, session ids. */
import * as http from 'node:http';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { SQSClient } from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { askAgent } from '../../handlers/lib/agent';
import { DeadlineExceeded, beforeDeadline, deadlineFrom } from '../../handlers/lib/deadline';
import { fittedJson } from '../../handlers/lib/http';
import { ENQUIRY_MAX_BYTES, enquiryMessage, fitEnquiry, publishEnquiry } from '../../handlers/lib/queue';
import { SESSION_ID_PATTERN, formatSessionId, newNonce, parseSessionId } from '../../handlers/lib/session-id';
import { codePointName, firstCharOutsideSqs, longestPrefix, sqsSafeJson } from '../../handlers/lib/text';

const OUTSIDE_SQS = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
const anyUnit = fc.oneof(
  fc.constantFrom('\ufffe', '\uffff', '\ud800', '\udbff', '\udc00', '\u0000', '\u0008', '\u000b', '\u001f', '"', '\\'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const anyText = fc.string({ unit: anyUnit, maxLength: 60 });

describe('text', () => {
  it('names the first character SQS refuses, by code point and 1-based character position', () => {
    expect(firstCharOutsideSqs('fine\t\n\r 😀 \ue000 \ufffd')).toBeNull();
    expect(firstCharOutsideSqs('😀😀\uffff')).toEqual({ position: 3, codePoint: 0xffff });
    expect(firstCharOutsideSqs('a\udc00')).toEqual({ position: 2, codePoint: 0xdc00 });
    expect(codePointName(0x1b)).toBe('U+001B');
  });

  it('sqsSafeJson: only characters SQS accepts, and it parses back to the same value (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), anyText), anyText, (record, text) => {
        const value = { ...record, text };
        const json = sqsSafeJson(value);
        expect(OUTSIDE_SQS.exec(json)).toBeNull();
        expect(JSON.parse(json)).toEqual(value);
      }),
      { seed: 20261126, numRuns: 500 },
    );
  });

  it('longestPrefix: the longest prefix that fits, never half a surrogate pair (property)', () => {
    fc.assert(
      fc.property(anyText, fc.nat(80), (text, max) => {
        const fits = (s: string) => Buffer.byteLength(s) <= max;
        const prefix = longestPrefix(text, fits);
        expect(text.startsWith(prefix)).toBe(true);
        expect(fits(prefix)).toBe(true);
        // Longest: one more character would not fit (a high surrogate, paired or lone, is never the last unit).
        const unit = text.charCodeAt(prefix.length);
        const pair = (text.codePointAt(prefix.length) ?? 0) > 0xffff;
        const lone = unit >= 0xd800 && unit <= 0xdbff && !pair;
        if (prefix.length < text.length && !lone)
          expect(fits(text.slice(0, prefix.length + (pair ? 2 : 1)))).toBe(false);
      }),
      { seed: 20261126, numRuns: 500 },
    );
  });
});

describe('fitting the limits', () => {
  const enquiry = {
    enquiryId: '3f1e0c8e-4a4b-4c59-9a11-2d0c35e8a001',
    question: 'q',
    answer: '',
    sessionId: 's',
    askedAt: '2026-11-25T12:00:00.000Z',
  };
  const messageBytes = (m: ReturnType<typeof enquiryMessage>) =>
    Buffer.byteLength(m.MessageBody) +
    Object.entries(m.MessageAttributes).reduce(
      (n, [k, a]) => n + Buffer.byteLength(k) + Buffer.byteLength(a.DataType) + Buffer.byteLength(a.StringValue),
      0,
    );

  it('cuts an enquiry to the queue size, body and attributes together, escapes included', () => {
    // "\uffff" takes 6 bytes once escaped: the cut must count the escaped form.
    const fitted = fitEnquiry({ ...enquiry, answer: '\uffff'.repeat(100_000) });
    expect(fitted.answerTruncated).toBe(true);
    const bytes = messageBytes(enquiryMessage('url', fitted));
    expect(bytes).toBeLessThanOrEqual(ENQUIRY_MAX_BYTES);
    expect(bytes).toBeGreaterThan(ENQUIRY_MAX_BYTES - 8);
  });

  it('leaves an enquiry that fits alone', () => {
    expect(fitEnquiry({ ...enquiry, answer: 'short' })).toEqual({ ...enquiry, answer: 'short' });
  });

  it('cuts a response field so the serialized response fits, counting JSON escapes twice', () => {
    const response = fittedJson({ answer: '"'.repeat(5000), traceId: 't' }, 'answer', 4000);
    expect(Buffer.byteLength(JSON.stringify(response))).toBeLessThanOrEqual(4000);
    expect(JSON.parse(response.body)).toMatchObject({ truncated: true, traceId: 't' });
  });
});

describe('deadlines', () => {
  it('is the remaining time less the margin, with a fallback for a missing or broken context', () => {
    expect(deadlineFrom({ getRemainingTimeInMillis: () => 25_000 }, 1_000).at).toBe(1_000 + 23_500);
    expect(deadlineFrom(undefined, 0).at).toBe(10_000);
    expect(deadlineFrom({ getRemainingTimeInMillis: () => 'soon' }, 0).at).toBe(10_000);
    const broken = {
      getRemainingTimeInMillis: () => {
        throw new Error('no');
      },
    };
    expect(deadlineFrom(broken, 0).at).toBe(10_000);
    expect(deadlineFrom({ getRemainingTimeInMillis: () => 100 }, 0).at).toBe(0);
  });

  it('passes a result through and clears its timer', async () => {
    await expect(beforeDeadline({ at: Date.now() + 5000 }, 'step', async () => 'done')).resolves.toBe('done');
  });

  it('passes a failure through unchanged', async () => {
    const failure = new Error('boom');
    await expect(beforeDeadline({ at: Date.now() + 5000 }, 'step', () => Promise.reject(failure))).rejects.toBe(
      failure,
    );
  });

  /** A server that accepts requests and never answers, recording when each connection closes. */
  async function hungServer(kind: 'http1' | 'http2') {
    const closed: string[] = [];
    const server =
      kind === 'http1'
        ? http.createServer((req) => req.socket.on('close', () => closed.push('socket')))
        : http2.createServer().on('stream', (stream) => stream.on('close', () => closed.push('stream')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const stop = () =>
      new Promise<void>((resolve) => {
        (server as http.Server).closeAllConnections?.();
        server.close(() => resolve());
      });
    return { url, closed, stop };
  }

  const credentials = { accessKeyId: 'AKIATESTFAKE00000000', secretAccessKey: 'fake' };

  it('aborts a real SendMessage that never gets an answer, and closes its connection', async () => {
    const server = await hungServer('http1');
    const client = new SQSClient({ region: 'us-west-2', endpoint: server.url, credentials, maxAttempts: 1 });
    try {
      const started = Date.now();
      // 1 s: time for the request to reach the server even on a loaded machine, so there is a socket to close.
      const call = beforeDeadline({ at: Date.now() + 1000 }, 'SendMessage', (signal) =>
        publishEnquiry(
          client,
          `${server.url}/111122223333/dev-enquiries`,
          { enquiryId: 'e', question: 'q', answer: 'a', sessionId: 's', askedAt: '2026-11-25T12:00:00.000Z' },
          signal,
        ),
      );
      await expect(call).rejects.toBeInstanceOf(DeadlineExceeded);
      expect(Date.now() - started).toBeLessThan(5000);
      // The SDK got the signal: the socket is destroyed, not left hanging until the function dies.
      for (let i = 0; i < 300 && server.closed.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(server.closed).toEqual(['socket']);
    } finally {
      client.destroy();
      await server.stop();
    }
  });

  it('aborts a real InvokeAgent (HTTP/2) that never gets an answer, and closes its stream', async () => {
    const server = await hungServer('http2');
    const client = new BedrockAgentRuntimeClient({
      region: 'us-west-2',
      endpoint: server.url,
      credentials,
      maxAttempts: 1,
    });
    try {
      const call = beforeDeadline({ at: Date.now() + 300 }, 'InvokeAgent', (signal) =>
        askAgent(client, { agentId: 'AGENT12345', aliasId: 'ALIAS12345' }, 'session-1', 'hi', { abortSignal: signal }),
      );
      await expect(call).rejects.toMatchObject({ name: 'DeadlineExceeded', step: 'InvokeAgent' });
      for (let i = 0; i < 50 && server.closed.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(server.closed).toEqual(['stream']);
    } finally {
      client.destroy();
      await server.stop();
    }
  });
});

describe('session ids', () => {
  it('format and parse round-trip, within InvokeAgent sessionId limits', () => {
    const nonce = newNonce();
    const id = formatSessionId(nonce, Buffer.alloc(32, 7));
    expect(id).toMatch(SESSION_ID_PATTERN);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(id).toMatch(/^[0-9a-zA-Z._:-]{2,100}$/);
    expect(parseSessionId(id)).toEqual({ nonce, mac: Buffer.alloc(32, 7) });
    expect(parseSessionId('session-1')).toBeNull();
    expect(parseSessionId(`${id}x`)).toBeNull();
  });
});
