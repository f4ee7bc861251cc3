import { groupTraces } from '../../trace/model';
import { esc, renderMapSvg, renderReport } from '../../trace/html';
import { buildServiceMap, layers } from '../../trace/service-map';
import { demoSpans } from './fixtures';

const edgeList = (spans = demoSpans()) =>
  buildServiceMap(spans).edges.map((e) => [e.from, e.kind, e.to, e.count, e.averageMs, e.outcome]);

describe('service map', () => {
  it("draws the tutorial's map: client -> API Gateway -> chatbot -> Bedrock and SQS, SQS => consumer as a link", () => {
    expect(edgeList()).toEqual(
      expect.arrayContaining([
        ['client', 'call', 'dev-chatbot/prod', 1, 400, 'ok'],
        ['dev-chatbot/prod', 'call', 'dev-chatbot', 1, 190, 'ok'],
        ['dev-chatbot', 'call', 'aws:BedrockAgentRuntime', 1, 80, 'ok'],
        ['dev-chatbot', 'call', 'sqs:dev-enquiries', 1, 76, 'ok'],
        ['sqs:dev-enquiries', 'link', 'dev-enquiry-consumer', 1, undefined, 'ok'],
      ]),
    );
    expect(edgeList()).toHaveLength(5);
  });

  it("names the nodes by service and X-Ray type; the SDK's HTTP transport is no node of its own", () => {
    const nodes = buildServiceMap(demoSpans()).nodes.map((n) => [n.id, n.name, n.type, n.emulated]);
    expect(nodes).toEqual(
      expect.arrayContaining([
        ['client', 'client', 'client', false],
        ['dev-chatbot/prod', 'dev-chatbot/prod', 'AWS::ApiGateway::Stage', true],
        ['dev-chatbot', 'dev-chatbot', 'AWS::Lambda::Function', false],
        ['aws:BedrockAgentRuntime', 'Bedrock agent', 'AWS::BedrockAgentRuntime', false],
        ['sqs:dev-enquiries', 'dev-enquiries', 'AWS::SQS::Queue', false],
        ['dev-enquiry-consumer', 'dev-enquiry-consumer', 'AWS::Lambda::Function', false],
      ]),
    );
    expect(nodes).toHaveLength(6);
  });

  it('counts requests per node: entry spans only (Initialization is no request)', () => {
    const chatbot = buildServiceMap(demoSpans()).nodes.find((n) => n.id === 'dev-chatbot');
    expect(chatbot).toMatchObject({ requests: 1, averageMs: 190, outcome: 'ok' });
  });

  it('turns the chatbot and API Gateway red with the failure switch on', () => {
    const map = buildServiceMap(demoSpans(true));
    expect(Object.fromEntries(map.nodes.map((n) => [n.id, n.outcome]))).toEqual({
      client: 'ok',
      'dev-chatbot/prod': 'fault',
      'dev-chatbot': 'fault',
    });
    expect(edgeList(demoSpans(true))).toContainEqual(['client', 'call', 'dev-chatbot/prod', 1, 400, 'fault']);
  });

  it('lays the nodes out left to right by call depth, the consumer after its queue', () => {
    expect(Object.fromEntries(layers(buildServiceMap(demoSpans())))).toEqual({
      client: 0,
      'dev-chatbot/prod': 1,
      'dev-chatbot': 2,
      'aws:BedrockAgentRuntime': 3,
      'sqs:dev-enquiries': 3,
      'dev-enquiry-consumer': 4,
    });
  });
});

describe('HTML report', () => {
  const html = renderReport({
    title: 'Trace demo: dev POST /chat',
    summary: ['Stack dev: <b>not markup</b>'],
    traces: groupTraces(demoSpans()),
  });
  const failed = renderReport({ title: 'failed', summary: [], traces: groupTraces(demoSpans(true)) });

  it('is one self-contained document: no script, no external reference, a CSP that forbids fetching', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<iframe|@import|url\(http|https?:\/\//i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('escapes what it shows', () => {
    expect(html).toContain('Stack dev: &lt;b&gt;not markup&lt;/b&gt;');
    expect(esc(`a&b<c>"d"'e'`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;');
  });

  it('draws the link edge dashed, apart from the calls', () => {
    const svg = renderMapSvg(buildServiceMap(demoSpans()));
    expect(svg).toContain(
      '<g class="edge link" data-from="sqs:dev-enquiries" data-to="dev-enquiry-consumer" data-kind="link">',
    );
    expect(svg.match(/class="edge call/g)).toHaveLength(4);
  });

  it('shows the exception on the failing span, as X-Ray does', () => {
    expect(failed).toContain('<g class="node function fault" data-node="dev-chatbot" data-outcome="fault">');
    expect(failed).toMatch(
      /data-span="knowledge-lookup" data-service="dev-chatbot" data-outcome="fault">.*<div class="exception" role="alert"><strong>SimulatedFailure<\/strong>: Simulated failure in knowledge base query<details>/,
    );
  });

  it('links a consumer span to the producer span it continues', () => {
    expect(html).toContain(
      '↪ Linked to <a href="#span-a000000000000001">trace 1: dev-chatbot/prod POST /chat</a> (from AWSTraceHeader)',
    );
    expect(html).toContain('id="span-a000000000000001"');
  });
});
