/**
 * The agent's knowledge base lookups as spans. A Bedrock agent queries its knowledge bases inside
 * InvokeAgent, out of sight of X-Ray and of the SDK's instrumentation; with `enableTrace` its stream
 * also carries trace parts, and each lookup shows there as an invocation input (which knowledge base,
 * the query) followed by an observation (the references found, and the lookup's start and end).
 * {@link KnowledgeBaseLookups} turns each such pair into a CLIENT span under the active span, with
 * the times the agent reported. Only ids and counts are recorded: never the query or the passages.
 */
import { SpanKind, context, type Tracer } from '@opentelemetry/api';
import type { TracePart } from '@aws-sdk/client-bedrock-agent-runtime';
import { tracer as defaultTracer } from './tracing';

/** The span name of one knowledge base lookup. */
export const KNOWLEDGE_BASE_LOOKUP = 'knowledge-base-lookup';

export class KnowledgeBaseLookups {
  /** Lookups seen starting, by the agent's trace id of the step, with when they were seen. */
  private readonly started = new Map<string, { knowledgeBaseId: string; seenAt: Date }>();
  /** Lookups recorded so far. */
  public count = 0;

  constructor(
    private readonly agentId: string,
    private readonly tracer: Tracer = defaultTracer,
  ) {}

  /** Reads one trace part of the stream; records a span when a lookup ends. */
  public readonly onTrace = (part: TracePart): void => {
    const orchestration = part.trace?.orchestrationTrace;
    const input = orchestration?.invocationInput;
    if (input?.knowledgeBaseLookupInput?.knowledgeBaseId) {
      this.started.set(input.traceId ?? '', {
        knowledgeBaseId: input.knowledgeBaseLookupInput.knowledgeBaseId,
        seenAt: new Date(),
      });
      return;
    }
    const observation = orchestration?.observation;
    const output = observation?.knowledgeBaseLookupOutput;
    if (!output) return;
    const key = observation?.traceId ?? '';
    const start = this.started.get(key);
    this.started.delete(key);
    const now = new Date();
    const startTime = output.metadata?.startTime ?? start?.seenAt ?? now;
    const endTime = output.metadata?.endTime ?? now;
    const span = this.tracer.startSpan(
      KNOWLEDGE_BASE_LOOKUP,
      {
        kind: SpanKind.CLIENT,
        startTime,
        attributes: {
          'aws.bedrock.agent.id': this.agentId,
          ...(start ? { 'aws.bedrock.knowledge_base.id': start.knowledgeBaseId } : {}),
          'aws.bedrock.knowledge_base.retrieved_references': output.retrievedReferences?.length ?? 0,
        },
      },
      context.active(),
    );
    span.end(endTime < startTime ? startTime : endTime);
    this.count += 1;
  };
}
