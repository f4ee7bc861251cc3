/**
 * The HTML report: one self-contained file (inline CSS and SVG, no script, no request to anywhere)
 * with the service map and a waterfall per trace; a faulted span shows its recorded exception, as
 * X-Ray's trace view does. Pure: spans in, a string out.
 */
import {
  durationMs,
  exceptionOf,
  outcomeOf,
  serviceOf,
  spanIndex,
  toMillis,
  treeRows,
  worst,
  xrayTraceId,
  type Outcome,
  type Trace,
} from './model';
import { buildServiceMap, layers, type MapEdge, type MapNode, type ServiceMap } from './service-map';
import { formatMs } from './waterfall';

export interface ReportInput {
  title: string;
  /** Lines under the title: what ran, what was emulated. */
  summary: string[];
  traces: Trace[];
  /** When the run happened (shown, and kept out of the layout so reports diff cleanly otherwise). */
  generatedAt?: Date;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const OUTCOME_LABEL: Record<Outcome, string> = { ok: 'OK', error: 'Error', fault: 'Fault' };

const CSS = `
:root { color-scheme: light; --ok: #1d8102; --error: #c96c00; --fault: #d13212; --link: #5f6b7a; --ink: #16191f;
  --muted: #5f6b7a; --line: #d5dbdb; --panel: #f8f8f8; --accent: #0972d3; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #fff; }
header, section { padding: 16px 24px; }
header { border-bottom: 1px solid var(--line); background: var(--panel); }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 12px; }
h3 { font-size: 14px; margin: 16px 0 8px; font-weight: 600; }
header p { margin: 2px 0; color: var(--muted); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; }
.badge.ok { background: var(--ok); } .badge.error { background: var(--error); } .badge.fault { background: var(--fault); }
svg.map { display: block; max-width: 100%; height: auto; }
.node circle.ring { fill: #fff; stroke: var(--ok); stroke-width: 4; }
.node.error circle.ring { stroke: var(--error); fill: #fff4e5; }
.node.fault circle.ring { stroke: var(--fault); fill: #fdecea; }
.node.client circle.ring { stroke: var(--muted); }
.node.emulated circle.ring { stroke-dasharray: 6 3; }
.node text { font-size: 12px; fill: var(--ink); text-anchor: middle; }
.node text.name { font-weight: 600; font-size: 13px; }
.node text.type { fill: var(--muted); font-size: 11px; }
.node.fault text.name { fill: var(--fault); }
.edge path { fill: none; stroke: #8d99a8; stroke-width: 2; }
.edge.fault path { stroke: var(--fault); }
.edge.error path { stroke: var(--error); }
.edge.link path { stroke: var(--link); stroke-dasharray: 7 5; }
.edge text { font-size: 11.5px; fill: var(--muted); text-anchor: middle; paint-order: stroke; stroke: #fff; stroke-width: 4px; }
.legend { color: var(--muted); font-size: 12.5px; margin-top: 8px; }
.legend span { margin-right: 16px; }
.trace { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 16px; overflow: hidden; }
.trace > h3 { margin: 0; padding: 8px 12px; background: var(--panel); border-bottom: 1px solid var(--line); }
.wf { display: grid; grid-template-columns: minmax(260px, 34%) 1fr 90px 90px; }
.wf .cell { padding: 3px 10px; border-bottom: 1px solid #eef0f0; min-width: 0; }
.wf .head { font-size: 12px; color: var(--muted); background: #fff; border-bottom: 1px solid var(--line); }
.wf .name { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.wf .svc { color: var(--muted); font-size: 12px; margin-right: 6px; }
.wf .timeline { position: relative; }
.wf .bar { position: absolute; top: 6px; height: 12px; min-width: 2px; border-radius: 2px; background: var(--accent); }
.wf .bar.error { background: var(--error); } .wf .bar.fault { background: var(--fault); }
.wf .dur { text-align: right; font-variant-numeric: tabular-nums; }
.wf .status { white-space: nowrap; }
.wf .status.fault { color: var(--fault); font-weight: 600; } .wf .status.error { color: var(--error); font-weight: 600; }
.wf .status.ok { color: var(--ok); }
.wf .detail { grid-column: 1 / -1; padding: 6px 12px 8px 32px; background: #fff; }
.exception { border-left: 4px solid var(--fault); background: #fdecea; padding: 8px 12px; border-radius: 4px; }
.exception pre { margin: 6px 0 0; white-space: pre-wrap; font-size: 12px; }
.link { color: var(--muted); }
.link a { color: var(--accent); }
.row-fault > .cell { background: #fff7f6; }
`;

function nodeClass(node: MapNode): string {
  return ['node', node.kind, node.outcome, node.emulated ? 'emulated' : ''].filter(Boolean).join(' ');
}

const R = 32;

/** The service map as inline SVG: columns by call depth, links dashed. */
export function renderMapSvg(map: ServiceMap): string {
  const depth = layers(map);
  const columns = new Map<number, MapNode[]>();
  for (const node of map.nodes) {
    const d = depth.get(node.id) ?? 0;
    columns.set(d, [...(columns.get(d) ?? []), node]);
  }
  const colWidth = 250;
  const rowHeight = 150;
  const maxRows = Math.max(1, ...[...columns.values()].map((c) => c.length));
  const width = Math.max(1, columns.size) * colWidth;
  const height = maxRows * rowHeight + 20;
  const at = new Map<string, { x: number; y: number }>();
  // Column by column, each node at the mean height of its callers (fewer crossings), then by name.
  const callerY = (id: string) => {
    const ys = map.edges.filter((e) => e.to === id && at.has(e.from)).map((e) => (at.get(e.from) as { y: number }).y);
    return ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : 0;
  };
  for (const d of [...columns.keys()].sort((a, b) => a - b)) {
    const nodes = columns.get(d) as MapNode[];
    nodes.sort((a, b) => callerY(a.id) - callerY(b.id) || a.name.localeCompare(b.name));
    const top = (height - nodes.length * rowHeight) / 2;
    nodes.forEach((node, i) => at.set(node.id, { x: colWidth / 2 + d * colWidth, y: top + i * rowHeight + 60 }));
  }
  const edgeSvg = (edge: MapEdge) => {
    const a = at.get(edge.from);
    const b = at.get(edge.to);
    if (!a || !b) return '';
    const x1 = a.x + R + 2;
    const x2 = b.x - R - 8;
    // A bend in the first 40 %, then straight into the target: the label sits on the straight part,
    // at the target's height, where no other edge runs.
    const bendEnd = x1 + (x2 - x1) * 0.4;
    const bendMid = (x1 + bendEnd) / 2;
    const path =
      a.y === b.y
        ? `M${x1},${a.y} L${x2},${b.y}`
        : `M${x1},${a.y} C${bendMid},${a.y} ${bendMid},${b.y} ${bendEnd},${b.y} L${x2},${b.y}`;
    const labelX = a.y === b.y ? (x1 + x2) / 2 : (bendEnd + x2) / 2;
    const label =
      edge.kind === 'link'
        ? `link · ${edge.count} trace${edge.count === 1 ? '' : 's'}`
        : `${edge.count} call${edge.count === 1 ? '' : 's'} · ${formatMs(edge.averageMs ?? 0)}`;
    const cls = ['edge', edge.kind, edge.kind === 'call' ? edge.outcome : ''].filter(Boolean).join(' ');
    const marker = edge.kind === 'link' ? 'arrow-link' : edge.outcome === 'ok' ? 'arrow' : `arrow-${edge.outcome}`;
    return (
      `<g class="${cls}" data-from="${esc(edge.from)}" data-to="${esc(edge.to)}" data-kind="${edge.kind}">` +
      `<title>${esc(`${edge.from} → ${edge.to}: ${label}`)}</title>` +
      `<path d="${path}" marker-end="url(#${marker})"/>` +
      `<text x="${labelX}" y="${b.y - 8}">${esc(label)}</text></g>`
    );
  };
  const nodeSvg = (node: MapNode) => {
    const p = at.get(node.id) as { x: number; y: number };
    const inner =
      node.kind === 'client'
        ? ''
        : `<text x="${p.x}" y="${p.y - 2}" class="mono">${esc(formatMs(node.averageMs))}</text>` +
          `<text x="${p.x}" y="${p.y + 13}" class="type">${node.requests}×</text>`;
    return (
      `<g class="${nodeClass(node)}" data-node="${esc(node.id)}" data-outcome="${node.outcome}">` +
      `<title>${esc(`${node.name} (${node.type}): ${OUTCOME_LABEL[node.outcome]}${node.emulated ? ', emulated' : ''}`)}</title>` +
      `<circle class="ring" cx="${p.x}" cy="${p.y}" r="${R}"/>${inner}` +
      `<text x="${p.x}" y="${p.y + R + 18}" class="name">${esc(node.name)}</text>` +
      `<text x="${p.x}" y="${p.y + R + 33}" class="type">${esc(node.type)}</text></g>`
    );
  };
  const marker = (id: string, colour: string) =>
    `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
    `<path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`;
  return (
    `<svg class="map" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `role="img" aria-label="Service map">` +
    `<defs>${marker('arrow', '#8d99a8')}${marker('arrow-fault', '#d13212')}${marker('arrow-error', '#c96c00')}` +
    `${marker('arrow-link', '#5f6b7a')}</defs>` +
    map.edges.map(edgeSvg).join('') +
    map.nodes.map(nodeSvg).join('') +
    `</svg>`
  );
}

function renderTrace(trace: Trace, index: number, traceNumber: Map<string, number>, all: Trace[]): string {
  const byId = spanIndex(all.flatMap((t) => t.spans));
  const start = Math.min(...trace.spans.map((s) => toMillis(s.startTime)));
  const total = Math.max(...trace.spans.map((s) => toMillis(s.endTime))) - start;
  const outcome = worst(trace.spans.map(outcomeOf));
  const rows = treeRows(trace)
    .map(({ span, depth }) => {
      const o = outcomeOf(span);
      const left = total > 0 ? ((toMillis(span.startTime) - start) / total) * 100 : 0;
      const width = total > 0 ? (durationMs(span) / total) * 100 : 100;
      const code = span.attributes['http.response.status_code'];
      const cells =
        `<div class="cell name" style="padding-left:${10 + depth * 16}px" title="${esc(span.name)}">` +
        `<span class="svc">${esc(serviceOf(span))}</span>${esc(span.name)}</div>` +
        `<div class="cell timeline"><div class="bar ${o}" style="left:${left.toFixed(3)}%;width:${width.toFixed(3)}%"></div></div>` +
        `<div class="cell dur">${esc(formatMs(durationMs(span)))}</div>` +
        `<div class="cell status ${o}">${OUTCOME_LABEL[o]}${code !== undefined ? ` ${esc(code)}` : ''}</div>`;
      const details: string[] = [];
      const exception = exceptionOf(span);
      if (exception) {
        details.push(
          `<div class="exception" role="alert"><strong>${esc(exception.type)}</strong>: ${esc(exception.message)}` +
            (exception.stacktrace
              ? `<details><summary>Stack trace</summary><pre>${esc(exception.stacktrace)}</pre></details>`
              : '') +
            `</div>`,
        );
      }
      for (const link of span.links) {
        const target = byId.get(link.spanId);
        const n = traceNumber.get(link.traceId);
        const text = `${n ? `trace ${n}` : xrayTraceId(link.traceId)}${target ? `: ${serviceOf(target)} ${target.name}` : ''}`;
        const source = link.attributes?.['messaging.link.source'];
        details.push(
          `<div class="link">↪ Linked to <a href="#span-${esc(link.spanId)}">${esc(text)}</a>` +
            `${source ? ` (from ${esc(source)})` : ''}</div>`,
        );
      }
      return (
        `<div class="row-span${o === 'fault' ? ' row-fault' : ''}" id="span-${esc(span.spanId)}" style="display:contents" ` +
        `data-span="${esc(span.name)}" data-service="${esc(serviceOf(span))}" data-outcome="${o}">${cells}` +
        (details.length ? `<div class="detail">${details.join('')}</div>` : '') +
        `</div>`
      );
    })
    .join('');
  return (
    `<article class="trace" id="trace-${esc(trace.traceId)}" data-trace="${index + 1}">` +
    `<h3>Trace ${index + 1} · <span class="mono">${esc(xrayTraceId(trace.traceId))}</span> · ${esc(formatMs(total))} · ` +
    `${trace.spans.length} spans <span class="badge ${outcome}">${OUTCOME_LABEL[outcome]}</span></h3>` +
    `<div class="wf" role="table"><div class="cell head">Span</div><div class="cell head">Timeline (0 – ${esc(formatMs(total))})</div>` +
    `<div class="cell head dur">Duration</div><div class="cell head">Status</div>${rows}</div></article>`
  );
}

export function renderReport(input: ReportInput): string {
  const map = buildServiceMap(input.traces.flatMap((t) => t.spans));
  const traceNumber = new Map(input.traces.map((t, i) => [t.traceId, i + 1]));
  const generated = input.generatedAt ? `<p>Generated ${esc(input.generatedAt.toISOString())}</p>` : '';
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    // Nothing may load from anywhere: no script, no network, only this file's own styles and images.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<title>${esc(input.title)}</title><style>${CSS}</style></head><body>` +
    `<header><h1>${esc(input.title)}</h1>${input.summary.map((line) => `<p>${esc(line)}</p>`).join('')}${generated}</header>` +
    `<section id="map"><h2>Service map</h2>${renderMapSvg(map)}` +
    `<div class="legend"><span>● ring: green ok, orange error (4xx), red fault (5xx or an exception)</span>` +
    `<span>- - dashed edge: a linked trace (the message carried the trace context)</span>` +
    `<span>dashed ring: emulated by the demo</span></div></section>` +
    `<section id="traces"><h2>Traces</h2>` +
    input.traces.map((t, i) => renderTrace(t, i, traceNumber, input.traces)).join('') +
    `</section></body></html>\n`
  );
}
