/** What a caller of an agent needs: the ids, and the alias ARN to grant `bedrock:InvokeAgent` on. */
export interface AgentAliasRef {
  readonly agentId: string;
  readonly aliasId: string;
  readonly aliasArn: string;
}

export interface ChatAgentProps {
  /**
   * The agent's name: 1..28 letters and digits, single `_` or `-` between them (its service role
   * is named `AmazonBedrockExecutionRoleForAgents_<agentName>`, 64 characters at most).
   */
  readonly agentName: string;
  /**
   * The foundation model id (on-demand in the stack's region).
   * @see https://docs.aws.amazon.com/bedrock/latest/userguide/agents-supported.html
   * @default 'anthropic.claude-3-haiku-20240307-v1:0'
   */
  readonly foundationModel?: string;
  /** What the agent is for and how it answers: 40..20000 characters. @default - a customer-support instruction */
  readonly instruction?: string;
  /** Seconds a session is kept without activity, 60..3600. @default 600 */
  readonly idleSessionTtlSeconds?: number;
  /** The alias callers invoke. @default 'live' */
  readonly aliasName?: string;
  /** A KMS key to encrypt the agent's data with. @default - an AWS-owned key */
  readonly kmsKeyArn?: string;
}

export const AGENT_DEFAULTS = {
  foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0',
  instruction:
    'You are the customer support assistant of an online shop. Answer questions about orders, delivery, ' +
    'returns and products briefly and politely. If you do not know an answer, say so and suggest contacting support.',
  idleSessionTtlSeconds: 600,
  aliasName: 'live',
} as const;
