/**
 * Custom spans with the OpenTelemetry API (the ADOT layer's SDK records them; without a layer they
 * are no-ops). No aws-xray-sdk: the X-Ray SDKs end support in February 2027.
 *
 * The bundle carries its own @opentelemetry/api 1.9.x, which finds the layer's SDK through the API's
 * global registry. It must not be newer (in minor) than the layer's API, or the registry refuses it
 * and every span silently becomes a no-op: the version is pinned in package.json for that reason.
 */
import {
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type Link,
  type Span,
  type SpanKind,
  TraceFlags,
} from '@opentelemetry/api';

export const tracer = trace.getTracer('traced-chatbot');

/**
 * Runs `fn` in an active span named `name`. A thrown error is recorded on the span as an exception,
 * sets its status to ERROR, and is rethrown; the span always ends.
 */
export async function inSpan<T>(
  name: string,
  fn: (span: Span) => Promise<T> | T,
  options: { kind?: SpanKind; attributes?: Attributes; links?: Link[] } = {},
): Promise<T> {
  return tracer.startActiveSpan(name, options, context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Records `error` on `span` and sets its status to ERROR. */
export function markFailed(span: Span, error: unknown): void {
  const e = error instanceof Error ? error : new Error(String(error));
  span.recordException(e);
  span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
}

/** The current trace id in X-Ray form (`1-<8 hex>-<24 hex>`), from the active span or the Lambda runtime. */
export function currentTraceId(): string | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  if (span && trace.isSpanContextValid(span)) return toXrayTraceId(span.traceId);
  return traceIdFromHeader(process.env._X_AMZN_TRACE_ID);
}

/** A 32-hex OpenTelemetry trace id in X-Ray form. */
export function toXrayTraceId(otelTraceId: string): string {
  return `1-${otelTraceId.slice(0, 8)}-${otelTraceId.slice(8)}`;
}

/** `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=...;Sampled=1` -> `1-5759e988-bd862e3fe1be46a994272793`. */
export function traceIdFromHeader(header: string | undefined): string | undefined {
  return /(?:^|;)\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})/.exec(header ?? '')?.[1];
}

/**
 * A span link to the producer's span, from an SQS record's `AWSTraceHeader` system attribute
 * (`Root=1-<8>-<24>;Parent=<16>;Sampled=<0|1>`), or undefined when absent or malformed.
 */
export function linkFromAwsTraceHeader(header: string | undefined): Link | undefined {
  const m = /Root=1-([0-9a-f]{8})-([0-9a-f]{24})(?:;|$).*?Parent=([0-9a-f]{16})(?:;Sampled=([01]))?/.exec(
    (header ?? '').replace(/\s/g, ''),
  );
  if (!m) return undefined;
  return {
    context: {
      traceId: m[1] + m[2],
      spanId: m[3],
      traceFlags: m[4] === '0' ? TraceFlags.NONE : TraceFlags.SAMPLED,
      isRemote: true,
    },
    attributes: { 'messaging.link.source': 'AWSTraceHeader' },
  };
}

/** A span link from a W3C `traceparent` (what OpenTelemetry's aws-sdk instrumentation writes into message attributes). */
export function linkFromTraceparent(traceparent: string | undefined): Link | undefined {
  const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(traceparent ?? '');
  if (!m) return undefined;
  return {
    context: { traceId: m[1], spanId: m[2], traceFlags: parseInt(m[3], 16) & 1, isRemote: true },
    attributes: { 'messaging.link.source': 'traceparent' },
  };
}
