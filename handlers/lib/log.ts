/** Structured logs: one JSON object a line, written straight to stdout/stderr (raw, so CloudWatch parses them). */

/**
 * The chatbot's line for an answered enquiry that did not reach the queue (it carries the enquiry, to
 * replay). The stack alarms on it with a metric filter on `$.message`: one string for both.
 */
export const ENQUIRY_NOT_QUEUED = 'enquiry not queued; replay it from this log line';

export function logInfo(message: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ level: 'INFO', message, ...fields })}\n`);
}

export function logError(message: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ level: 'ERROR', message, ...fields })}\n`);
}

/** An error as loggable fields. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { errorName: error.name, errorMessage: error.message };
  return { errorMessage: String(error) };
}

/**
 * A CloudWatch embedded-metric-format line: CloudWatch Logs turns it into metric values.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export function emfLine(
  namespace: string,
  dimensions: Record<string, string>,
  metrics: Record<string, { value: number; unit: string }>,
  properties: Record<string, unknown> = {},
  now = Date.now(),
): string {
  const doc: Record<string, unknown> = {
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [Object.keys(dimensions)],
          Metrics: Object.entries(metrics).map(([Name, m]) => ({ Name, Unit: m.unit })),
        },
      ],
    },
    ...properties,
    ...dimensions,
  };
  for (const [name, m] of Object.entries(metrics)) doc[name] = m.value;
  return JSON.stringify(doc);
}
