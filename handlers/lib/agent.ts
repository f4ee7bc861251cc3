/** Asks a Bedrock agent a question and reads its streamed answer. */
import { InvokeAgentCommand, type BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';

export interface AgentRef {
  readonly agentId: string;
  readonly aliasId: string;
}

/** Sends `question` to the agent alias in `sessionId` and concatenates the completion's chunks. */
export async function askAgent(
  client: BedrockAgentRuntimeClient,
  agent: AgentRef,
  sessionId: string,
  question: string,
): Promise<string> {
  const response = await client.send(
    new InvokeAgentCommand({ agentId: agent.agentId, agentAliasId: agent.aliasId, sessionId, inputText: question }),
  );
  if (!response.completion) throw new Error('InvokeAgent returned no completion stream');
  const decoder = new TextDecoder();
  let answer = '';
  for await (const event of response.completion) {
    if (event.chunk?.bytes) answer += decoder.decode(event.chunk.bytes, { stream: true });
  }
  return answer + decoder.decode();
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
