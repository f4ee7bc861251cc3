/**
 * The terminal waterfall: per trace, one row per span (service, span name as a tree, a duration bar
 * on the trace's time axis, the duration, the status), then the span's links and recorded
 * exception. ANSI colour only when asked ({@link colorEnabled} decides for a stream). Pure.
 */
import {
  exceptionOf,
  outcomeOf,
  serviceOf,
  spanIndex,
  toMillis,
  durationMs,
  treeRows,
  worst,
  xrayTraceId,
  type Outcome,
  type Trace,
} from './model';

/**
 * Whether to colour output for a stream: never with NO_COLOR set (https://no-color.org), always
 * with FORCE_COLOR set to anything but 0, otherwise only on a TTY whose TERM is not `dumb`.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  magenta: '\x1b[35m',
  cyan: '\x1b[36m',
} as const;
type Style = keyof typeof ANSI;

/** Bar colours, one per service in order of appearance. */
const SERVICE_COLOURS: Style[] = ['cyan', 'magenta', 'blue', 'yellow', 'green'];

export interface WaterfallOptions {
  color: boolean;
  /** Characters of the bar column. @default - fits `columns`, else 40 */
  barWidth?: number;
  /** The terminal's width: the bar shrinks (down to 10) so that rows fit. @default - no limit */
  columns?: number;
}

function pad(text: string, width: number): string {
  const length = [...text].length;
  return length >= width ? text : text + ' '.repeat(width - length);
}

function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : chars.slice(0, width - 1).join('') + '…';
}

export function formatMs(ms: number): string {
  if (ms >= 10000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

const STATUS_TEXT: Record<Outcome, string> = { ok: 'OK', error: 'ERROR', fault: 'FAULT' };
const STATUS_STYLE: Record<Outcome, Style> = { ok: 'green', error: 'yellow', fault: 'red' };

/** The bar for a span on its trace's axis: `width` cells, at least one cell drawn. */
export function bar(startMs: number, endMs: number, traceStart: number, traceMs: number, width: number) {
  const scale = traceMs > 0 ? width / traceMs : 0;
  const from = Math.min(width - 1, Math.max(0, Math.floor((startMs - traceStart) * scale)));
  const to = Math.min(width, Math.max(from + 1, Math.round((endMs - traceStart) * scale)));
  return { before: from, length: to - from, after: width - to };
}

export function renderWaterfall(traces: readonly Trace[], options: WaterfallOptions): string {
  const paint = (style: Style, text: string) => (options.color ? `${ANSI[style]}${text}${ANSI.reset}` : text);
  const all = traces.flatMap((t) => t.spans);
  const byId = spanIndex(all);
  const traceNumber = new Map(traces.map((t, i) => [t.traceId, i + 1]));
  const services = [...new Set(all.map(serviceOf))];
  const serviceStyle = (service: string) => SERVICE_COLOURS[services.indexOf(service) % SERVICE_COLOURS.length];
  const serviceWidth = Math.min(28, Math.max(7, ...services.map((s) => s.length)));

  const out: string[] = [];
  traces.forEach((trace, index) => {
    const rows = treeRows(trace);
    const start = Math.min(...trace.spans.map((s) => toMillis(s.startTime)));
    const end = Math.max(...trace.spans.map((s) => toMillis(s.endTime)));
    const total = end - start;
    const outcome = worst(trace.spans.map(outcomeOf));
    const nameWidth = Math.min(44, Math.max(4, ...rows.map((r) => r.depth * 2 + [...r.span.name].length)));
    // Everything but the bar: indent, service, name, duration and status columns with their gaps.
    const fixed = 2 + serviceWidth + 2 + nameWidth + 2 + 2 + 9 + 2 + 9;
    const width = options.barWidth ?? (options.columns ? Math.max(10, Math.min(60, options.columns - fixed)) : 40);
    out.push(
      `${paint('bold', `Trace ${index + 1}`)}  ${xrayTraceId(trace.traceId)}  ${formatMs(total)}  ` +
        `${trace.spans.length} spans  ${paint(STATUS_STYLE[outcome], STATUS_TEXT[outcome])}`,
    );
    const axis = pad('0', width - formatMs(total).length) + formatMs(total);
    out.push(
      paint(
        'dim',
        `  ${pad('service', serviceWidth)}  ${pad('span', nameWidth)}  ${axis}  ${pad('duration', 9)}  status`,
      ),
    );
    for (const row of rows) {
      const span = row.span;
      const prefix =
        row.depth === 0
          ? ''
          : row.ancestorsLast
              .slice(1)
              .map((last) => (last ? '  ' : '│ '))
              .join('') + (row.last ? '└ ' : '├ ');
      const name = truncate(prefix + span.name, nameWidth);
      const b = bar(toMillis(span.startTime), toMillis(span.endTime), start, total, width);
      const spanOutcome = outcomeOf(span);
      const barStyle: Style = spanOutcome === 'ok' ? serviceStyle(serviceOf(span)) : STATUS_STYLE[spanOutcome];
      const barText = ' '.repeat(b.before) + paint(barStyle, '█'.repeat(b.length)) + ' '.repeat(b.after);
      const status = STATUS_TEXT[spanOutcome];
      const code = span.attributes['http.response.status_code'];
      out.push(
        `  ${paint(serviceStyle(serviceOf(span)), pad(truncate(serviceOf(span), serviceWidth), serviceWidth))}  ` +
          `${paint('dim', name.slice(0, prefix.length))}${pad(name, nameWidth).slice(prefix.length)}  ` +
          `${barText}  ${pad(formatMs(durationMs(span)).padStart(8), 9)}  ` +
          `${paint(STATUS_STYLE[spanOutcome], status)}${code !== undefined ? ` ${code}` : ''}`,
      );
      const indent = ' '.repeat(2 + serviceWidth + 2 + row.depth * 2 + 2);
      for (const link of span.links) {
        const target = byId.get(link.spanId);
        const where = traceNumber.get(link.traceId);
        const what = target ? `${serviceOf(target)} ${target.name}` : `span ${link.spanId}`;
        out.push(
          paint(
            'dim',
            `${indent}↪ link to ${where ? `trace ${where}` : xrayTraceId(link.traceId)}: ${what}` +
              (link.attributes?.['messaging.link.source'] ? ` (from ${link.attributes['messaging.link.source']})` : ''),
          ),
        );
      }
      const exception = exceptionOf(span);
      if (exception) {
        out.push(`${indent}${paint('red', `✖ ${exception.type}: ${exception.message}`)}`);
      }
    }
    if (index < traces.length - 1) out.push('');
  });
  return out.join('\n') + '\n';
}
