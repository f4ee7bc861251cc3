/**
 * OTLP export against a loopback OTLP/HTTP receiver. The receiver reads the protobuf body with its
 * own wire-format reader and the field numbers of opentelemetry-proto (collector/trace/v1 and
 * trace/v1), not with the library that encoded it.
 *
 * The export runs in a child process: the OTLP exporter loads `http` with a dynamic import(),
 * which jest's module sandbox refuses.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { tracesUrl } from '../../trace/otlp';
import { toMillis, type TraceSpan } from '../../trace/model';
import { childTmpdir } from './child-tmpdir';
import { CHAT_TRACE, CONSUMER_TRACE, demoSpans } from './fixtures';

const root = path.resolve(__dirname, '..', '..');

/** Runs trace/otlp.ts's exportOtlp in a fresh Node; resolves to its error message, or undefined. */
async function exportOtlp(spans: TraceSpan[], endpoint: string): Promise<string | undefined> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-otlp-'));
  const input = path.join(dir, 'spans.json');
  fs.writeFileSync(input, JSON.stringify(spans));
  const script = `require('./trace/otlp').exportOtlp(JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')), process.argv[2])
    .catch((e) => { process.stderr.write(e.message); process.exitCode = 1; });`;
  try {
    return await new Promise((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', '-e', script, input, endpoint],
        { cwd: root, timeout: 20000, env: { ...process.env, TMPDIR: childTmpdir() } },
        (error, _out, err) => (error && !err ? reject(error) : resolve(error ? err : undefined)),
      ),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One protobuf field: varints and fixed64 as bigint, length-delimited as bytes. */
type Field = { no: number; value: bigint | Buffer };

function readFields(buf: Buffer): Field[] {
  const fields: Field[] = [];
  let at = 0;
  const varint = () => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buf[at++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    switch (key & 7) {
      case 0:
        fields.push({ no, value: varint() });
        break;
      case 1:
        fields.push({ no, value: buf.readBigUInt64LE(at) });
        at += 8;
        break;
      case 2: {
        const length = Number(varint());
        fields.push({ no, value: buf.subarray(at, at + length) });
        at += length;
        break;
      }
      case 5:
        fields.push({ no, value: BigInt(buf.readUInt32LE(at)) });
        at += 4;
        break;
      default:
        throw new Error(`unexpected wire type ${key & 7} at ${at}`);
    }
  }
  return fields;
}

const all = (buf: Buffer, no: number) => readFields(buf).filter((f) => f.no === no);
const bytes = (buf: Buffer, no: number) => all(buf, no)[0]?.value as Buffer | undefined;
const text = (buf: Buffer, no: number) => bytes(buf, no)?.toString('utf8');
const int = (buf: Buffer, no: number) => Number((all(buf, no)[0]?.value as bigint | undefined) ?? 0n);
const hex = (buf: Buffer, no: number) => bytes(buf, no)?.toString('hex');

/** KeyValue list (field `no`) -> { key: string value | number | boolean }. */
function attributes(buf: Buffer, no: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of all(buf, no)) {
    const value = bytes(kv.value as Buffer, 2) as Buffer;
    const [field] = readFields(value);
    out[text(kv.value as Buffer, 1) as string] =
      field.no === 1
        ? (field.value as Buffer).toString('utf8')
        : field.no === 2
          ? field.value === 1n
          : field.no === 3
            ? Number(field.value)
            : field.value;
  }
  return out;
}

interface DecodedSpan {
  service: string;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startNanos: bigint;
  status: { code: number; message?: string };
  events: string[];
  links: { traceId: string; spanId: string; attributes: Record<string, unknown> }[];
  attributes: Record<string, unknown>;
}

/** ExportTraceServiceRequest -> spans with their resource's service.name and scope name. */
function decodeRequest(body: Buffer): DecodedSpan[] {
  const spans: DecodedSpan[] = [];
  for (const rs of all(body, 1)) {
    const resource = bytes(rs.value as Buffer, 1) as Buffer;
    const service = String(attributes(resource, 1)['service.name']);
    for (const ss of all(rs.value as Buffer, 2)) {
      const scope = text(bytes(ss.value as Buffer, 1) as Buffer, 1) as string;
      for (const s of all(ss.value as Buffer, 2)) {
        const span = s.value as Buffer;
        const status = bytes(span, 15);
        spans.push({
          service,
          scope,
          traceId: hex(span, 1) as string,
          spanId: hex(span, 2) as string,
          parentSpanId: hex(span, 4) || undefined,
          name: text(span, 5) as string,
          kind: int(span, 6),
          startNanos: all(span, 7)[0].value as bigint,
          status: status ? { code: int(status, 3), message: text(status, 2) } : { code: 0 },
          events: all(span, 11).map((e) => text(e.value as Buffer, 2) as string),
          links: all(span, 13).map((l) => ({
            traceId: hex(l.value as Buffer, 1) as string,
            spanId: hex(l.value as Buffer, 2) as string,
            attributes: attributes(l.value as Buffer, 4),
          })),
          attributes: attributes(span, 9),
        });
      }
    }
  }
  return spans;
}

interface Received {
  method: string;
  url: string;
  contentType: string;
  body: Buffer;
}

async function receiver(status = 200): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        contentType: String(req.headers['content-type']),
        body: Buffer.concat(parts),
      });
      // An empty ExportTraceServiceResponse is a zero-length protobuf message.
      res.writeHead(status, { 'content-type': 'application/x-protobuf' });
      res.end(status === 200 ? '' : 'refused');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('OTLP export', () => {
  it('POSTs one protobuf ExportTraceServiceRequest to <endpoint>/v1/traces with every span', async () => {
    const otlp = await receiver();
    try {
      expect(await exportOtlp(demoSpans(), otlp.url)).toBeUndefined();
    } finally {
      await otlp.close();
    }
    expect(otlp.received.map((r) => [r.method, r.url, r.contentType])).toEqual([
      ['POST', '/v1/traces', 'application/x-protobuf'],
    ]);
    const spans = decodeRequest(otlp.received[0].body);
    const source = demoSpans();
    expect(spans.map((s) => s.spanId).sort()).toEqual(source.map((s) => s.spanId).sort());
    const byName = (name: string) => spans.find((s) => s.name === name) as DecodedSpan;

    // Resources per service, ids as bytes, OTLP's span kinds (the API's + 1), times in nanoseconds.
    expect(new Set(spans.map((s) => s.service))).toEqual(
      new Set(['dev-chatbot/prod', 'dev-chatbot', 'dev-enquiry-consumer']),
    );
    const lambda = byName('dev-chatbot');
    expect(lambda).toMatchObject({
      service: 'dev-chatbot',
      scope: '@opentelemetry/instrumentation-aws-lambda',
      traceId: CHAT_TRACE,
      parentSpanId: byName('POST /chat').spanId,
      kind: 2, // SPAN_KIND_SERVER
    });
    expect(byName('POST /chat').parentSpanId).toBeUndefined();
    expect(byName('dev-enquiries send').kind).toBe(4); // SPAN_KIND_PRODUCER
    expect(byName('dev-enquiries send').attributes).toMatchObject({ 'messaging.destination.name': 'dev-enquiries' });
    expect(byName('POST /chat').attributes).toMatchObject({ 'http.response.status_code': 200 });
    const sourceLambda = source.find((s) => s.name === 'dev-chatbot');
    expect(Number(lambda.startNanos / 1000000n)).toBe(
      Math.floor(toMillis(sourceLambda?.startTime as [number, number])),
    );

    const processed = byName('process-enquiry');
    expect(processed).toMatchObject({ traceId: CONSUMER_TRACE, kind: 5 }); // SPAN_KIND_CONSUMER
    expect(processed.links).toEqual([
      {
        traceId: CHAT_TRACE,
        spanId: byName('POST /chat').spanId,
        attributes: { 'messaging.link.source': 'AWSTraceHeader' },
      },
    ]);
  });

  it('carries the fault: ERROR status with its message, and the exception event', async () => {
    const otlp = await receiver();
    try {
      expect(await exportOtlp(demoSpans(true), `${otlp.url}/v1/traces`)).toBeUndefined();
    } finally {
      await otlp.close();
    }
    expect(otlp.received.map((r) => r.url)).toEqual(['/v1/traces']);
    const lookup = decodeRequest(otlp.received[0].body).find((s) => s.name === 'knowledge-lookup');
    expect(lookup).toMatchObject({
      status: { code: 2, message: 'Simulated failure in knowledge base query' }, // STATUS_CODE_ERROR
      events: ['exception'],
    });
  });

  it('rejects with the endpoint and the reason when the receiver refuses', async () => {
    const otlp = await receiver(400);
    try {
      expect(await exportOtlp(demoSpans(), otlp.url)).toBe(
        `OTLP export to ${otlp.url}/v1/traces failed: HTTP 400 Bad Request: refused`,
      );
    } finally {
      await otlp.close();
    }
  });

  it('takes a base URL or the traces URL, and nothing but http(s)', () => {
    expect(tracesUrl('http://localhost:4318')).toBe('http://localhost:4318/v1/traces');
    expect(tracesUrl('http://localhost:4318/')).toBe('http://localhost:4318/v1/traces');
    expect(tracesUrl('https://otel.example:443/v1/traces')).toBe('https://otel.example/v1/traces');
    expect(tracesUrl('http://collector:4318/prefix')).toBe('http://collector:4318/prefix/v1/traces');
    expect(() => tracesUrl('localhost:4318')).toThrow(
      '--otlp must be an http(s) URL (OTLP/HTTP), got "localhost:4318"',
    );
    expect(() => tracesUrl('not a url')).toThrow(
      '--otlp must be an http(s) URL like http://localhost:4318, got "not a url"',
    );
  });
});
