/** Asks a Bedrock agent a question and reads its streamed answer. */
import {
  InvokeAgentCommand,
  type BedrockAgentRuntimeClient,
  type TracePart,
} from '@aws-sdk/client-bedrock-agent-runtime';

export interface AgentRef {
  readonly agentId: string;
  readonly aliasId: string;
}

/**
 * The most answer bytes read from the stream: Lambda returns at most 6 MB (6,291,456 bytes), so
 * reading further only costs memory and time. The response is trimmed to fit exactly later.
 */
export const MAX_ANSWER_BYTES = 6 * 1024 * 1024;

export interface Answer {
  readonly text: string;
  /** True when the stream was longer than the bytes read. */
  readonly truncated: boolean;
}

/**
 * Sends `question` to the agent alias in `sessionId` and concatenates the completion's chunks, up to
 * `maxBytes`. `abortSignal` cancels the call and the stream (checked between chunks as well). With
 * `onTrace`, the agent is asked for its trace (`enableTrace`) and each trace part is handed to it.
 */
export async function askAgent(
  client: BedrockAgentRuntimeClient,
  agent: AgentRef,
  sessionId: string,
  question: string,
  options: { abortSignal?: AbortSignal; maxBytes?: number; onTrace?: (part: TracePart) => void } = {},
): Promise<Answer> {
  const { abortSignal, maxBytes = MAX_ANSWER_BYTES, onTrace } = options;
  const response = await client.send(
    new InvokeAgentCommand({
      agentId: agent.agentId,
      agentAliasId: agent.aliasId,
      sessionId,
      inputText: question,
      ...(onTrace ? { enableTrace: true } : {}),
    }),
    { abortSignal },
  );
  if (!response.completion) throw new Error('InvokeAgent returned no completion stream');
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  let truncated = false;
  for await (const event of response.completion) {
    if (abortSignal?.aborted) throw abortSignal.reason;
    if (event.trace && onTrace) onTrace(event.trace);
    const chunk = event.chunk?.bytes;
    if (!chunk) continue;
    const room = maxBytes - bytes;
    text += decoder.decode(chunk.length > room ? chunk.subarray(0, room) : chunk, { stream: true });
    bytes += Math.min(chunk.length, room);
    if (chunk.length > room) {
      // Leaving the loop closes the stream.
      truncated = true;
      break;
    }
  }
  // A multi-byte character cut at the byte limit ends as U+FFFD: drop it rather than show it.
  const tail = decoder.decode();
  return { text: truncated ? text : text + tail, truncated };
}

/** How the chatbot answers a failed agent call: status and a message safe to show the caller. */
export function agentFailure(error: unknown): { statusCode: 429 | 502 | 503; message: string } {
  const name = (error as { name?: string })?.name ?? '';
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (name === 'ThrottlingException' || name === 'ServiceQuotaExceededException' || status === 429) {
    return { statusCode: 429, message: 'the assistant is busy; retry in a few seconds' };
  }
  if (name === 'ModelNotReadyException' || name === 'ServiceUnavailableException' || status === 503) {
    return { statusCode: 503, message: 'the assistant is not available right now; retry later' };
  }
  return { statusCode: 502, message: 'the assistant failed to answer' };
}
