/** The X-Ray trace id of the current invocation. */

/** `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=...;Sampled=1` -> `1-5759e988-bd862e3fe1be46a994272793`. */
export function traceIdFromHeader(header: string | undefined): string | undefined {
  const m = /(?:^|;)\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})/.exec(header ?? '');
  return m?.[1];
}

/** The current trace id, from the Lambda runtime's `_X_AMZN_TRACE_ID`, if tracing is on. */
export function currentTraceId(): string | undefined {
  return traceIdFromHeader(process.env._X_AMZN_TRACE_ID);
}

/** A 32-hex OpenTelemetry trace id in X-Ray form (`1-<8 hex epoch>-<24 hex>`). */
export function toXrayTraceId(otelTraceId: string): string {
  return `1-${otelTraceId.slice(0, 8)}-${otelTraceId.slice(8)}`;
}
