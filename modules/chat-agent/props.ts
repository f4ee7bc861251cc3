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
   * The model: a foundation model id served on demand in the stack's region
   * (`anthropic.claude-haiku-5-5`) or a cross-Region inference profile id (`us.`, `eu.`, `apac.`,
   * `jp.`, `au.`, `global.` ...). The role gets what each form needs. Prefer a geographic profile
   * (`us.` ...) to keep inference in one geography; `modelLifecycleFinding` and `npm run preflight`
   * tell whether a model is Legacy or past its end of life.
   * @see https://docs.aws.amazon.com/bedrock/latest/userguide/agents-supported.html
   * @default 'global.anthropic.claude-haiku-5-5'
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
  // Active (launched 2026-10-07, EOL no sooner than 2027-10-07); the region is not known here, so the
  // global profile, which works from every commercial region. The reference app picks the geographic one.
  foundationModel: 'global.anthropic.claude-haiku-5-5',
  instruction:
    'You are the customer support assistant of an online shop. Answer questions about orders, delivery, ' +
    'returns and products briefly and politely. If you do not know an answer, say so and suggest contacting support.',
  idleSessionTtlSeconds: 600,
  aliasName: 'live',
} as const;
