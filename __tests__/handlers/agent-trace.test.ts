import {
  BedrockAgentRuntimeClient,
  InvokeAgentCommand,
  type ResponseStream,
  type TracePart,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { mockClient } from 'aws-sdk-client-mock';
import { askAgent } from '../../handlers/lib/agent';
import { KNOWLEDGE_BASE_LOOKUP, KnowledgeBaseLookups } from '../../handlers/lib/agent-trace';

const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');
const ms = (hr: [number, number]) => hr[0] * 1000 + hr[1] / 1e6;

const lookupInput = (traceId: string, knowledgeBaseId: string): TracePart => ({
  trace: {
    orchestrationTrace: {
      invocationInput: {
        traceId,
        invocationType: 'KNOWLEDGE_BASE',
        knowledgeBaseLookupInput: { knowledgeBaseId, text: 'where is my parcel' },
      },
    },
  },
});
const lookupOutput = (traceId: string, references: number, times?: { start: Date; end: Date }): TracePart => ({
  trace: {
    orchestrationTrace: {
      observation: {
        traceId,
        type: 'KNOWLEDGE_BASE',
        knowledgeBaseLookupOutput: {
          retrievedReferences: Array.from({ length: references }, () => ({ content: { text: 'secret passage' } })),
          metadata: times ? { startTime: times.start, endTime: times.end } : undefined,
        },
      },
    },
  },
});

describe('KnowledgeBaseLookups', () => {
  beforeEach(() => exporter.reset());

  it("records each lookup as a CLIENT span with the agent's times, ids and counts, never the text", () => {
    const lookups = new KnowledgeBaseLookups('AGENT12345', tracer);
    const start = new Date(Date.UTC(2026, 10, 25, 12, 0, 0, 100));
    const end = new Date(Date.UTC(2026, 10, 25, 12, 0, 0, 340));
    lookups.onTrace(lookupInput('t-1', 'KB12345678'));
    lookups.onTrace({ trace: { orchestrationTrace: { rationale: { text: 'I should look it up' } } } });
    lookups.onTrace(lookupOutput('t-1', 3, { start, end }));
    const [span] = exporter.getFinishedSpans();
    expect(exporter.getFinishedSpans()).toHaveLength(1);
    expect(span.name).toBe(KNOWLEDGE_BASE_LOOKUP);
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toEqual({
      'aws.bedrock.agent.id': 'AGENT12345',
      'aws.bedrock.knowledge_base.id': 'KB12345678',
      'aws.bedrock.knowledge_base.retrieved_references': 3,
    });
    expect([ms(span.startTime), ms(span.endTime)]).toEqual([start.getTime(), end.getTime()]);
    expect(JSON.stringify(span.attributes)).not.toMatch(/parcel|secret/);
    expect(lookups.count).toBe(1);
  });

  it('pairs inputs and outputs by their trace id, and times a lookup without metadata by when it was seen', () => {
    const lookups = new KnowledgeBaseLookups('AGENT12345', tracer);
    const before = Date.now();
    lookups.onTrace(lookupInput('a', 'KBAAAAAAAA'));
    lookups.onTrace(lookupInput('b', 'KBBBBBBBBB'));
    lookups.onTrace(lookupOutput('b', 0));
    lookups.onTrace(lookupOutput('a', 2));
    const spans = exporter.getFinishedSpans();
    expect(
      spans.map((s) => [
        s.attributes['aws.bedrock.knowledge_base.id'],
        s.attributes['aws.bedrock.knowledge_base.retrieved_references'],
      ]),
    ).toEqual([
      ['KBBBBBBBBB', 0],
      ['KBAAAAAAAA', 2],
    ]);
    for (const s of spans) {
      expect(ms(s.startTime)).toBeGreaterThanOrEqual(before);
      expect(ms(s.endTime)).toBeGreaterThanOrEqual(ms(s.startTime));
    }
  });

  it('ignores every other part of the trace', () => {
    const lookups = new KnowledgeBaseLookups('AGENT12345', tracer);
    lookups.onTrace({ trace: { preProcessingTrace: { modelInvocationInput: { text: 'prompt' } } } });
    lookups.onTrace({
      trace: { orchestrationTrace: { observation: { type: 'FINISH', finalResponse: { text: 'hi' } } } },
    });
    lookups.onTrace({});
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(lookups.count).toBe(0);
  });
});

describe('askAgent and the agent trace', () => {
  const bedrock = mockClient(BedrockAgentRuntimeClient);
  const client = new BedrockAgentRuntimeClient({ region: 'us-west-2' });
  const agent = { agentId: 'AGENT12345', aliasId: 'ALIAS12345' };

  async function* events(...parts: ResponseStream[]) {
    for (const part of parts) yield part;
  }

  afterEach(() => bedrock.reset());

  it('asks for the trace only when told to read it, and hands every trace part over', async () => {
    const parts: TracePart[] = [];
    bedrock.on(InvokeAgentCommand).callsFake(() => ({
      completion: events(
        { trace: lookupInput('x', 'KB12345678') },
        { chunk: { bytes: new TextEncoder().encode('Hello') } },
        { trace: lookupOutput('x', 1) },
      ),
    }));
    const answer = await askAgent(client, agent, 'session-1', 'Hi?', { onTrace: (p) => parts.push(p) });
    expect(answer.text).toBe('Hello');
    expect(parts).toHaveLength(2);
    expect(bedrock.commandCalls(InvokeAgentCommand)[0].args[0].input).toMatchObject({ enableTrace: true });

    await askAgent(client, agent, 'session-1', 'Hi?');
    expect(bedrock.commandCalls(InvokeAgentCommand)[1].args[0].input).not.toHaveProperty('enableTrace');
  });
});
