/**
 * The spans the trace tool works with: what an OpenTelemetry SDK finished, in plain JSON, plus the
 * service (the resource's `service.name`) that emitted each one. Pure data: no OpenTelemetry import.
 */

/** OpenTelemetry's high-resolution time: seconds and nanoseconds since the epoch. */
export type HrTime = [number, number];

export type AttributeValue = string | number | boolean | string[] | number[] | boolean[];

/** OpenTelemetry SpanKind values. */
export const SpanKind = { INTERNAL: 0, SERVER: 1, CLIENT: 2, PRODUCER: 3, CONSUMER: 4 } as const;
/** OpenTelemetry SpanStatusCode values. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export interface SpanEvent {
  name: string;
  time: HrTime;
  attributes?: Record<string, AttributeValue>;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes?: Record<string, AttributeValue>;
}

export interface TraceSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTime: HrTime;
  endTime: HrTime;
  status: { code: number; message?: string };
  attributes: Record<string, AttributeValue>;
  events: SpanEvent[];
  links: SpanLink[];
  /** The instrumentation scope that made the span (`@opentelemetry/instrumentation-aws-sdk`, `traced-chatbot`). */
  instrumentation: { name: string; version?: string };
  /** The resource of the process that emitted it; `service.name` is always set. */
  resource: Record<string, AttributeValue>;
}

/** One trace: its spans ordered by start time. */
export interface Trace {
  traceId: string;
  spans: TraceSpan[];
}

export function toMillis(t: HrTime): number {
  return t[0] * 1e3 + t[1] / 1e6;
}

export function fromMillis(ms: number): HrTime {
  const seconds = Math.floor(ms / 1e3);
  return [seconds, Math.round((ms - seconds * 1e3) * 1e6)];
}

export function durationMs(span: TraceSpan): number {
  return toMillis(span.endTime) - toMillis(span.startTime);
}

export function serviceOf(span: TraceSpan): string {
  return String(span.resource['service.name']);
}

/** A 32-hex OpenTelemetry trace id in X-Ray form: `1-<8 hex epoch>-<24 hex>`. */
export function xrayTraceId(traceId: string): string {
  return `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;
}

/** Groups spans into traces, ordered by their first span's start; spans by start within each. */
export function groupTraces(spans: readonly TraceSpan[]): Trace[] {
  const byTrace = new Map<string, TraceSpan[]>();
  for (const span of spans) {
    const list = byTrace.get(span.traceId) ?? [];
    list.push(span);
    byTrace.set(span.traceId, list);
  }
  const byStart = (a: TraceSpan, b: TraceSpan) => toMillis(a.startTime) - toMillis(b.startTime);
  return [...byTrace.entries()]
    .map(([traceId, list]) => ({ traceId, spans: list.sort(byStart) }))
    .sort((a, b) => byStart(a.spans[0], b.spans[0]));
}

/** A span with its depth in its trace's tree, in display order (parents before children, by start). */
export interface Row {
  span: TraceSpan;
  depth: number;
  /** True when it is its parent's last child (for tree glyphs). */
  last: boolean;
  /** For each ancestor level above this row, whether that ancestor was the last child. */
  ancestorsLast: boolean[];
}

/** The trace's spans as a tree, flattened depth-first. Spans whose parent is not in the trace are roots. */
export function treeRows(trace: Trace): Row[] {
  const ids = new Set(trace.spans.map((s) => s.spanId));
  const children = new Map<string | undefined, TraceSpan[]>();
  for (const span of trace.spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    const list = children.get(parent) ?? [];
    list.push(span);
    children.set(parent, list);
  }
  const rows: Row[] = [];
  const walk = (parent: string | undefined, depth: number, ancestorsLast: boolean[]) => {
    const list = children.get(parent) ?? [];
    list.forEach((span, i) => {
      const last = i === list.length - 1;
      rows.push({ span, depth, last, ancestorsLast });
      walk(span.spanId, depth + 1, [...ancestorsLast, last]);
    });
  };
  walk(undefined, 0, []);
  return rows;
}

/** The exception recorded on a span (the `exception` event), as X-Ray shows it on a faulted subsegment. */
export interface RecordedException {
  type: string;
  message: string;
  stacktrace?: string;
}

export function exceptionOf(span: TraceSpan): RecordedException | undefined {
  const event = span.events.find((e) => e.name === 'exception');
  if (!event) return undefined;
  const a = event.attributes ?? {};
  return {
    type: String(a['exception.type'] ?? 'Error'),
    message: String(a['exception.message'] ?? ''),
    stacktrace: a['exception.stacktrace'] === undefined ? undefined : String(a['exception.stacktrace']),
  };
}

/** How a span ended, in X-Ray's words: a fault (5xx, an ERROR status), an error (4xx), or ok. */
export type Outcome = 'ok' | 'error' | 'fault';

export function outcomeOf(span: TraceSpan): Outcome {
  if (span.status.code === StatusCode.ERROR) return 'fault';
  const status = Number(span.attributes['http.response.status_code'] ?? span.attributes['http.status_code']);
  if (status >= 500) return 'fault';
  if (status >= 400) return 'error';
  return 'ok';
}

export function worst(outcomes: Iterable<Outcome>): Outcome {
  let result: Outcome = 'ok';
  for (const o of outcomes) {
    if (o === 'fault') return 'fault';
    if (o === 'error') result = 'error';
  }
  return result;
}

/** Finds a span by id across traces (links point into other traces). */
export function spanIndex(spans: readonly TraceSpan[]): Map<string, TraceSpan> {
  return new Map(spans.map((s) => [s.spanId, s]));
}
