/** ChatAgent's inputs, described once: `props.ts`, the checks and the README come from here. */
import { inRange, known, lengthOf } from '../core/expr';
import { choice, derived, inputs, items, none, shape, text, whole } from '../core/inputs';
import { AWS_REGION_PATTERN } from '../core/validation';
import { defaultAgentModel, modelLifecycleFinding, parseModelRef } from './models';
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

/**
 * What `aws_bedrockagent_agent.instruction` accepts: 40..8000 UTF-8 characters (the provider's own
 * validation, `UTF8LengthBetween(40, 8000)` in terraform-provider-aws `bedrockagent/agent.go`; Bedrock's
 * API takes more, but terraform refuses the plan first).
 */
export const INSTRUCTION_LENGTH = { min: 40, max: 8000 } as const;

/** Today's date (`YYYY-MM-DD`), the day a model's lifecycle is checked on. */
export const synthDate = (): string => new Date().toISOString().slice(0, 10);

const lifecycleError = (p: { foundationModel?: string; region?: string }) =>
  p.foundationModel !== undefined && p.region !== undefined && known(p.foundationModel, p.region)
    ? modelLifecycleFinding(p.foundationModel, p.region, synthDate())
    : null;

export const CHAT_AGENT_INPUTS = inputs<ChatAgentProps>()(
  {
    agentName: text({
      doc: `The agent's name: 1..28 letters and digits, single \`_\` or \`-\` between them (its service role
is named \`AmazonBedrockExecutionRoleForAgents_<agentName>\`, 64 characters at most).`,
      pattern: /^([0-9a-zA-Z][_-]?){1,28}$/,
      rule: '1..28 letters and digits, single "_" or "-" between them',
    }),
    region: text({
      doc: `The stack's region. It picks the default model's inference profile, and the model's lifecycle
is checked there: a model past its end of life is an error, a Legacy one a warning, both naming the
model and the date.`,
      pattern: AWS_REGION_PATTERN,
      rule: 'an AWS region name like "us-west-2"',
      default: none("the region of the stack's AWS provider (an error when it is not known at synth)"),
    }),
    foundationModel: text({
      doc: `The model: a foundation model id served on demand in the stack's region
(\`anthropic.claude-haiku-5-5\`) or a cross-Region inference profile id (\`us.\`, \`eu.\`, \`apac.\`,
\`jp.\`, \`au.\`, \`global.\` ...). The role gets what each form needs. Prefer a geographic profile
(\`us.\` ...) to keep inference in one geography; \`npm run preflight\` asks Bedrock whether the account
may use it.`,
      see: 'https://docs.aws.amazon.com/bedrock/latest/userguide/agents-supported.html',
      // Claude Haiku 5.5 is Active (launched 2026-10-07, EOL no sooner than 2027-10-07): see models.ts.
      default: derived(
        "Claude Haiku 5.5 through the region's geographic inference profile (`us.anthropic.claude-haiku-5-5` in us-west-2)",
        // Undefined where no default is known (no region, GovCloud, China): the checks below say so.
        (p: { region?: string }): string =>
          (p.region !== undefined && known(p.region) ? defaultAgentModel(p.region) : undefined) as string,
      ),
      rules: [
        {
          rule: 'a model id like "anthropic.claude-haiku-5-5" or an inference-profile id like "us.anthropic.claude-haiku-5-5"',
          test: (model) => (known(model) ? parseModelRef(model) !== null : true),
        },
      ],
    }),
    instruction: text({
      doc: `What the agent is for and how it answers: ${INSTRUCTION_LENGTH.min}..${INSTRUCTION_LENGTH.max} characters (what the AWS provider accepts).`,
      default: derived('a customer-support instruction', () => DEFAULT_INSTRUCTION),
      rules: [
        {
          rule: `${INSTRUCTION_LENGTH.min}..${INSTRUCTION_LENGTH.max} characters long`,
          // Characters, as the provider counts them (code points), not UTF-16 units.
          test: (v) =>
            known(v)
              ? typeof v === 'string' && inRange([...v].length, INSTRUCTION_LENGTH.min, INSTRUCTION_LENGTH.max)
              : inRange(lengthOf(v), INSTRUCTION_LENGTH.min, INSTRUCTION_LENGTH.max),
          got: (v) => (known(v) && typeof v === 'string' ? `${[...v].length} characters` : v),
        },
      ],
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
  {
    kind: 'ChatAgent',
    typeName: 'ChatAgentProps',
    doc: 'Props of {@link ChatAgent}.',
    checks: [
      {
        field: 'region',
        rule: "given when the stack's AWS provider has no region known at synth (the default model and its lifecycle depend on it)",
        test: (p) => p.region !== undefined && known(p.region),
      },
      {
        field: 'foundationModel',
        rule: (_n, p?: { region?: string }) =>
          `given in ${p?.region ?? 'this region'} (no default model is known there)`,
        test: (p) => p.region === undefined || !known(p.region) || p.foundationModel !== undefined,
      },
      {
        field: 'foundationModel',
        rule: (_n, p?: { foundationModel?: string; region?: string }) => {
          const finding = p && lifecycleError(p);
          return `a model before its end of life${finding ? ` (${finding.message})` : ''}`;
        },
        test: (p) => lifecycleError(p)?.severity !== 'error',
      },
    ],
  },
);
