/** ChatAgent's inputs, described once: `props.ts`, the checks and the README come from here. */
import { known } from '../core/expr';
import { choice, derived, inputs, items, none, shape, text, whole } from '../core/inputs';
import { parseModelRef } from './models';
import type { AgentKnowledgeBase, ChatAgentProps } from './props';

/** The instruction an agent gets unless told otherwise. */
export const DEFAULT_INSTRUCTION =
  'You are the customer support assistant of an online shop. Answer questions about orders, delivery, ' +
  'returns and products briefly and politely. If you do not know an answer, say so and suggest contacting support.';

/**
 * A knowledge base the agent queries: AssociateAgentKnowledgeBase's fields and limits
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent_AgentKnowledgeBase.html).
 */
export const AGENT_KNOWLEDGE_BASE = shape<AgentKnowledgeBase>()({
  typeName: 'AgentKnowledgeBase',
  doc: "An existing Bedrock knowledge base (in the stack's region) for the agent to query.",
  fields: {
    knowledgeBaseId: text({
      doc: "The knowledge base's id: 10 letters and digits (the console's Knowledge base ID).",
      pattern: /^[0-9a-zA-Z]{10}$/,
      rule: '10 letters and digits',
    }),
    description: text({
      doc: `What the agent should use it for, 1..200 characters: the agent reads it to decide when to query
the knowledge base ("Product manuals and the returns policy").`,
      length: [1, 200],
    }),
    state: choice(['ENABLED', 'DISABLED'] as const, {
      doc: '`DISABLED` keeps the association and the permission, but the agent no longer queries it.',
      default: 'ENABLED',
      typeName: 'KnowledgeBaseState',
      typeDoc: 'Whether the agent queries an associated knowledge base.',
    }),
  },
});

export const CHAT_AGENT_INPUTS = inputs<ChatAgentProps>()(
  {
    agentName: text({
      doc: `The agent's name: 1..28 letters and digits, single \`_\` or \`-\` between them (its service role
is named \`AmazonBedrockExecutionRoleForAgents_<agentName>\`, 64 characters at most).`,
      pattern: /^([0-9a-zA-Z][_-]?){1,28}$/,
      rule: '1..28 letters and digits, single "_" or "-" between them',
    }),
    foundationModel: text({
      doc: `The model: a foundation model id served on demand in the stack's region
(\`anthropic.claude-haiku-5-5\`) or a cross-Region inference profile id (\`us.\`, \`eu.\`, \`apac.\`,
\`jp.\`, \`au.\`, \`global.\` ...). The role gets what each form needs. Prefer a geographic profile
(\`us.\` ...) to keep inference in one geography; \`modelLifecycleFinding\` and \`npm run preflight\`
tell whether a model is Legacy or past its end of life.`,
      see: 'https://docs.aws.amazon.com/bedrock/latest/userguide/agents-supported.html',
      // Active (launched 2026-10-07, EOL no sooner than 2027-10-07); the region is not known here, so the
      // global profile, which works from every commercial region. The reference app picks the geographic one.
      default: 'global.anthropic.claude-haiku-5-5',
      rules: [
        {
          rule: 'a model id like "anthropic.claude-haiku-5-5" or an inference-profile id like "us.anthropic.claude-haiku-5-5"',
          test: (model) => (known(model) ? parseModelRef(model) !== null : true),
        },
      ],
    }),
    instruction: text({
      doc: 'What the agent is for and how it answers: 40..20000 characters.',
      length: [40, 20000],
      default: derived('a customer-support instruction', () => DEFAULT_INSTRUCTION),
    }),
    idleSessionTtlSeconds: whole({
      doc: 'Seconds a session is kept without activity, 60..3600.',
      min: 60,
      max: 3600,
      default: 600,
    }),
    aliasName: text({
      doc: 'The alias callers invoke: letters and digits, single `_` or `-` between them.',
      pattern: /^([0-9a-zA-Z][_-]?){1,100}$/,
      rule: 'letters and digits, single "_" or "-" between them',
      default: 'live',
    }),
    kmsKeyArn: text({ doc: "A KMS key to encrypt the agent's data with.", default: none('an AWS-owned key') }),
    knowledgeBases: items({
      doc: `Existing knowledge bases the agent queries before it answers (the tutorial's OpenSearch one, say).
Each is associated with the agent's working draft, which the alias is created from; the service role may
\`bedrock:Retrieve\` from exactly these knowledge bases, and \`grantInvoke\` tells the function to record the
agent's lookups as spans (\`BEDROCK_AGENT_TRACE\`).`,
      shape: AGENT_KNOWLEDGE_BASE,
      default: none('no knowledge base'),
      unique: [{ key: (kb) => kb.knowledgeBaseId, field: 'knowledgeBaseId' }],
    }),
  },
  { kind: 'ChatAgent', typeName: 'ChatAgentProps', doc: 'Props of {@link ChatAgent}.' },
);
