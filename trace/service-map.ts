/**
 * The service map of a set of spans, as X-Ray draws it: a node per service (and per downstream AWS
 * resource a service calls), an edge per caller and callee with its call count and latency, and a
 * link edge where a message carried the trace context to a new trace (SQS -> consumer). Pure.
 */
import { SpanKind, durationMs, outcomeOf, serviceOf, spanIndex, worst, type Outcome, type TraceSpan } from './model';

export type NodeKind = 'client' | 'api' | 'function' | 'queue' | 'aws' | 'remote';

export interface MapNode {
  id: string;
  name: string;
  /** X-Ray's type line: `AWS::Lambda::Function`, `AWS::SQS::Queue`, ... */
  type: string;
  kind: NodeKind;
  outcome: Outcome;
  /** Requests the node served (its entry spans, or the calls made to it). */
  requests: number;
  /** Their average duration, ms. */
  averageMs: number;
  /** True when a stand-in emulated it (API Gateway), not a real process. */
  emulated: boolean;
}

export interface MapEdge {
  from: string;
  to: string;
  /** A call (parent/child) or a link between traces (a message carried the context). */
  kind: 'call' | 'link';
  /** Calls made, or distinct traces linked. */
  count: number;
  /** Average latency of the calls, ms (undefined for links: a link has no duration). */
  averageMs?: number;
  outcome: Outcome;
}

export interface ServiceMap {
  nodes: MapNode[];
  edges: MapEdge[];
}

export const CLIENT_NODE = 'client';

/** The Bedrock agent's node: InvokeAgent calls go to it, and it calls its knowledge bases. */
const AGENT_NODE = {
  id: 'aws:BedrockAgentRuntime',
  name: 'Bedrock agent',
  type: 'AWS::BedrockAgentRuntime',
  kind: 'aws',
} as const;

/** A downstream node a CLIENT/PRODUCER span calls, from the attributes its instrumentation sets. */
export function remoteOf(span: TraceSpan): Pick<MapNode, 'id' | 'name' | 'type' | 'kind'> | undefined {
  if (span.kind !== SpanKind.CLIENT && span.kind !== SpanKind.PRODUCER) return undefined;
  const a = span.attributes;
  if (a['aws.bedrock.knowledge_base.id']) {
    const id = String(a['aws.bedrock.knowledge_base.id']);
    return { id: `kb:${id}`, name: `knowledge base ${id}`, type: 'AWS::Bedrock::KnowledgeBase', kind: 'aws' };
  }
  if (a['messaging.system'] === 'aws_sqs' && a['messaging.destination.name']) {
    const name = String(a['messaging.destination.name']);
    return { id: `sqs:${name}`, name, type: 'AWS::SQS::Queue', kind: 'queue' };
  }
  if (a['rpc.system'] === 'aws-api' && a['rpc.service']) {
    const service = String(a['rpc.service']);
    if (service === 'BedrockAgentRuntime') return AGENT_NODE;
    return { id: `aws:${service}`, name: service, type: `AWS::${service}`, kind: 'aws' };
  }
  const host = a['server.address'] ?? a['net.peer.name'];
  if (host) return { id: `remote:${host}`, name: String(host), type: 'remote', kind: 'remote' };
  return undefined;
}

/** The queue a consuming trace reads from: the `messaging.destination.name` of an SQS span in it. */
function consumedQueue(traceSpans: readonly TraceSpan[]): string | undefined {
  const span = traceSpans.find(
    (s) =>
      s.kind === SpanKind.CONSUMER &&
      s.attributes['messaging.system'] === 'aws_sqs' &&
      s.attributes['messaging.destination.name'] !== undefined,
  );
  const name = span?.attributes['messaging.destination.name'];
  return name === undefined ? undefined : String(name);
}

function serviceNode(span: TraceSpan): Pick<MapNode, 'id' | 'name' | 'type' | 'kind' | 'emulated'> {
  const service = serviceOf(span);
  const platform = span.resource['cloud.platform'];
  const emulated = span.resource['trace.demo.emulated'] === true;
  if (platform === 'aws_api_gateway') {
    return { id: service, name: service, type: 'AWS::ApiGateway::Stage', kind: 'api', emulated };
  }
  if (platform === 'aws_lambda') {
    return { id: service, name: service, type: 'AWS::Lambda::Function', kind: 'function', emulated };
  }
  return { id: service, name: service, type: 'service', kind: 'remote', emulated };
}

export function buildServiceMap(spans: readonly TraceSpan[]): ServiceMap {
  const byId = spanIndex(spans);
  const nodes = new Map<string, MapNode & { durations: number[]; outcomes: Outcome[] }>();
  const edges = new Map<string, MapEdge & { durations: number[]; outcomes: Outcome[]; traces: Set<string> }>();

  const node = (base: Pick<MapNode, 'id' | 'name' | 'type' | 'kind'> & { emulated?: boolean }) => {
    let n = nodes.get(base.id);
    if (!n) {
      n = {
        ...base,
        emulated: base.emulated ?? false,
        outcome: 'ok',
        requests: 0,
        averageMs: 0,
        durations: [],
        outcomes: [],
      };
      nodes.set(base.id, n);
    }
    return n;
  };
  const edge = (from: string, to: string, kind: MapEdge['kind']) => {
    const key = `${kind}:${from}->${to}`;
    let e = edges.get(key);
    if (!e) {
      e = { from, to, kind, count: 0, outcome: 'ok', durations: [], outcomes: [], traces: new Set() };
      edges.set(key, e);
    }
    return e;
  };

  const sameTrace = new Map<string, TraceSpan[]>();
  for (const span of spans) sameTrace.set(span.traceId, [...(sameTrace.get(span.traceId) ?? []), span]);
  const linksOut = (traceId: string) => (sameTrace.get(traceId) ?? []).some((s) => s.links.length > 0);

  for (const span of spans) {
    const owner = node(serviceNode(span));
    owner.outcomes.push(outcomeOf(span));
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    // A request entering a service: a server or consumer span under another service's span, or a root.
    const entersService =
      (span.kind === SpanKind.SERVER || span.kind === SpanKind.CONSUMER) &&
      (!parent || serviceOf(parent) !== serviceOf(span));
    if (entersService) {
      // An entry span: a request the service served.
      owner.durations.push(durationMs(span));
      if (parent) {
        const e = edge(serviceOf(parent), owner.id, 'call');
        e.durations.push(durationMs(span));
        e.outcomes.push(outcomeOf(span));
      } else if (span.kind === SpanKind.SERVER && !linksOut(span.traceId)) {
        // The root of a trace nobody linked to: a client called it.
        node({ id: CLIENT_NODE, name: 'client', type: 'client', kind: 'client' }).durations.push(durationMs(span));
        const e = edge(CLIENT_NODE, owner.id, 'call');
        e.durations.push(durationMs(span));
        e.outcomes.push(outcomeOf(span));
      }
    }

    const remote = remoteOf(span);
    // An HTTP span under an AWS SDK call is that call's transport, not another service.
    const parentRemote = parent ? remoteOf(parent) : undefined;
    if (remote && !(remote.kind === 'remote' && parentRemote)) {
      const target = node(remote);
      target.durations.push(durationMs(span));
      target.outcomes.push(outcomeOf(span));
      // The caller: the agent for its knowledge base lookups (the span says which agent), else the
      // remote the parent span called (a call made through another), else the service itself.
      const from =
        remote.type === 'AWS::Bedrock::KnowledgeBase' && span.attributes['aws.bedrock.agent.id'] !== undefined
          ? node(AGENT_NODE).id
          : parentRemote && parent && serviceOf(parent) === serviceOf(span)
            ? parentRemote.id
            : owner.id;
      const e = edge(from, target.id, 'call');
      e.durations.push(durationMs(span));
      e.outcomes.push(outcomeOf(span));
    }
  }

  // Links last, when every queue node exists: a consumer's link comes out of the queue it reads.
  for (const span of spans) {
    for (const link of span.links) {
      const linked = byId.get(link.spanId);
      if (!linked) continue;
      const queue = consumedQueue(sameTrace.get(span.traceId) ?? []);
      const source = queue && nodes.has(`sqs:${queue}`) ? `sqs:${queue}` : serviceOf(linked);
      edge(source, serviceOf(span), 'link').traces.add(link.traceId);
    }
  }

  const average = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
  return {
    nodes: [...nodes.values()].map(({ durations, outcomes, ...n }) => ({
      ...n,
      requests: durations.length,
      averageMs: average(durations),
      outcome: worst(outcomes),
    })),
    edges: [...edges.values()].map(({ durations, outcomes, traces, ...e }) =>
      e.kind === 'link'
        ? { ...e, count: traces.size, averageMs: undefined, outcome: 'ok' as Outcome }
        : { ...e, count: durations.length, averageMs: average(durations), outcome: worst(outcomes) },
    ),
  };
}

/** Columns for a left-to-right drawing: each node one column right of its furthest caller. */
export function layers(map: ServiceMap): Map<string, number> {
  const depth = new Map<string, number>(map.nodes.map((n) => [n.id, 0]));
  // Longest path by relaxation; a cycle stops after |nodes| rounds instead of looping.
  for (let round = 0; round < map.nodes.length; round++) {
    let changed = false;
    for (const e of map.edges) {
      const next = (depth.get(e.from) ?? 0) + 1;
      if (e.from !== e.to && next > (depth.get(e.to) ?? 0)) {
        depth.set(e.to, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return depth;
}
