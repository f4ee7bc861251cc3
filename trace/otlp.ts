/**
 * Sends the demo's spans to an OTLP/HTTP endpoint (Jaeger, the OpenTelemetry Collector, any OTLP
 * backend) with OpenTelemetry's own exporter: `http/protobuf`, the protocol the ADOT distro
 * defaults to, an ExportTraceServiceRequest POSTed to `<endpoint>/v1/traces`.
 */
import type { HrTime, Link, SpanContext } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { fromMillis, toMillis, type TraceSpan } from './model';

const SAMPLED = 1;

/**
 * The traces URL for what a user passes: a base (`http://localhost:4318`) gets the signal path
 * `/v1/traces`, as OTEL_EXPORTER_OTLP_ENDPOINT does; a URL already ending in it is used as it is.
 */
export function tracesUrl(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`--otlp must be an http(s) URL like http://localhost:4318, got ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`--otlp must be an http(s) URL (OTLP/HTTP), got ${JSON.stringify(endpoint)}`);
  }
  if (!url.pathname.endsWith('/v1/traces')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url.toString();
}

/** The spans as the SDK's ReadableSpans: one Resource per service, so the request groups them so. */
export function toReadableSpans(spans: readonly TraceSpan[]): ReadableSpan[] {
  // Loaded here, not at the top: only an export needs the SDK (it costs the CLI's start otherwise).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const resources = new Map<string, Resource>();
  const resourceOf = (span: TraceSpan) => {
    const key = JSON.stringify(span.resource);
    if (!resources.has(key)) resources.set(key, resourceFromAttributes(span.resource));
    return resources.get(key) as Resource;
  };
  return spans.map((span) => {
    const context: SpanContext = { traceId: span.traceId, spanId: span.spanId, traceFlags: SAMPLED };
    const parent: SpanContext | undefined = span.parentSpanId
      ? { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: SAMPLED, isRemote: true }
      : undefined;
    const links: Link[] = span.links.map((l) => ({
      context: { traceId: l.traceId, spanId: l.spanId, traceFlags: SAMPLED, isRemote: true },
      attributes: l.attributes,
    }));
    const scope: InstrumentationScope = { name: span.instrumentation.name, version: span.instrumentation.version };
    return {
      name: span.name,
      kind: span.kind,
      spanContext: () => context,
      parentSpanContext: parent,
      startTime: span.startTime as HrTime,
      endTime: span.endTime as HrTime,
      duration: fromMillis(toMillis(span.endTime) - toMillis(span.startTime)) as HrTime,
      status: span.status,
      attributes: span.attributes,
      links,
      events: span.events.map((e) => ({ name: e.name, time: e.time as HrTime, attributes: e.attributes })),
      ended: true,
      resource: resourceOf(span),
      instrumentationScope: scope,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
  });
}

/** The exporter's error in a line: `HTTP 400 Bad Request: <what the endpoint said>`, or the network error. */
function reason(error: (Error & { code?: number; data?: string }) | undefined): string {
  if (!error) return 'unknown error';
  const status = typeof error.code === 'number' ? `HTTP ${error.code} ` : '';
  const data = error.data ? `: ${String(error.data).slice(0, 200)}` : '';
  return `${status}${error.message}${data}`;
}

/**
 * Exports the spans in one request (the exporter retries transient failures within `timeoutMillis`);
 * rejects with the exporter's reason when the endpoint refuses or cannot be reached.
 */
export async function exportOtlp(spans: readonly TraceSpan[], endpoint: string, timeoutMillis = 5000): Promise<void> {
  const url = tracesUrl(endpoint);
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto');
  const { ExportResultCode } = require('@opentelemetry/core') as typeof import('@opentelemetry/core');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const exporter = new OTLPTraceExporter({ url, timeoutMillis });
  try {
    await new Promise<void>((resolve, reject) =>
      exporter.export(toReadableSpans(spans), (result) =>
        result.code === ExportResultCode.SUCCESS
          ? resolve()
          : reject(new Error(`OTLP export to ${url} failed: ${reason(result.error)}`)),
      ),
    );
  } finally {
    await exporter.shutdown();
  }
}
