import * as path from 'node:path';
import { ChatAgent, TracedFunction, type ChatAgentProps } from '../modules';
import { errorOf, resources, synth } from './helpers';

describe('ChatAgent', () => {
  const s = synth((stack) => new ChatAgent(stack, 'agent', { agentName: 'dev-chatbot' }));

  it('creates a prepared agent on the default model, and an alias', () => {
    expect(resources(s, 'aws_bedrockagent_agent').agent_agent).toMatchObject({
      agent_name: 'dev-chatbot',
      foundation_model: 'global.anthropic.claude-haiku-5-5',
      idle_session_ttl_in_seconds: 600,
      prepare_agent: true,
      agent_resource_role_arn: '${aws_iam_role.agent_role.arn}',
    });
    expect(resources(s, 'aws_bedrockagent_agent_alias').agent_alias).toMatchObject({
      agent_id: '${aws_bedrockagent_agent.agent_agent.agent_id}',
      agent_alias_name: 'live',
    });
  });

  it('lets its role invoke that one model through its inference profile, for this account only', () => {
    const doc = s.data.aws_iam_policy_document.agent_role_permissions as unknown as {
      statement: { actions: string[]; resources: string[] }[];
    };
    const arn = (service: string) => `arn:\${data.aws_partition.aws-context_partition.partition}:bedrock:${service}`;
    expect(doc.statement).toEqual([
      expect.objectContaining({
        actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:GetInferenceProfile'],
        resources: [
          arn(
            '${data.aws_region.aws-context_region.region}:${data.aws_caller_identity.aws-context_account.account_id}:inference-profile/global.anthropic.claude-haiku-5-5',
          ),
        ],
      }),
      expect.objectContaining({
        actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:GetFoundationModel'],
        resources: [arn('*::foundation-model/anthropic.claude-haiku-5-5')],
      }),
    ]);
    const trust = s.data.aws_iam_policy_document.agent_role_trust as unknown as {
      statement: { condition: { variable: string }[] }[];
    };
    expect(trust.statement[0].condition.map((c) => c.variable)).toEqual(['aws:SourceAccount', 'aws:SourceArn']);
    expect(resources(s, 'aws_iam_role').agent_role.name).toBe('AmazonBedrockExecutionRoleForAgents_dev-chatbot');
  });

  it.each<[Partial<ChatAgentProps>, string]>([
    [
      { agentName: 'x'.repeat(29) },
      `agentName must be 1..28 letters and digits, single "_" or "-" between them, got "${'x'.repeat(29)}"`,
    ],
    [{ instruction: 'too short' }, 'instruction must be 40..20000 characters long, got "too short"'],
    [{ idleSessionTtlSeconds: 30 }, 'idleSessionTtlSeconds must be a whole number in 60..3600, got 30'],
    [
      { foundationModel: 'claude' },
      'foundationModel must be a model id like "anthropic.claude-haiku-5-5" or an inference-profile id like "us.anthropic.claude-haiku-5-5", got "claude"',
    ],
  ])('rejects %j', (props, message) => {
    expect(errorOf((stack) => new ChatAgent(stack, 'agent', { agentName: 'a', ...props }))).toBe(
      `ChatAgent "test/agent": ${message}`,
    );
  });
});

describe('ChatAgent on an in-region model', () => {
  it('lets its role invoke that model in the stack region only', () => {
    const s = synth(
      (stack) => new ChatAgent(stack, 'agent', { agentName: 'a', foundationModel: 'amazon.nova-lite-v1:0' }),
    );
    const doc = s.data.aws_iam_policy_document.agent_role_permissions as unknown as {
      statement: { sid: string; resources: string[] }[];
    };
    expect(doc.statement.map((st) => [st.sid, st.resources])).toEqual([
      [
        'InvokeFoundationModel',
        [
          'arn:${data.aws_partition.aws-context_partition.partition}:bedrock:${data.aws_region.aws-context_region.region}::foundation-model/amazon.nova-lite-v1:0',
        ],
      ],
    ]);
  });
});

describe('ChatAgent.fromAgentAlias', () => {
  it('builds the alias ARN for the stack account and region', () => {
    synth((stack) => {
      const ref = ChatAgent.fromAgentAlias(stack, 'agent', 'ABCDEFGHIJ', 'KLMNOPQRST');
      expect(ref.aliasArn).toContain('agent-alias/ABCDEFGHIJ/KLMNOPQRST');
    });
  });

  it('rejects ids that are not Bedrock ids', () => {
    expect(errorOf((stack) => ChatAgent.fromAgentAlias(stack, 'agent', 'short', 'KLMNOPQRST'))).toBe(
      'ChatAgent.fromAgentAlias "test/agent": agentId must be 10 letters and digits, got "short"',
    );
  });
});

describe('grantInvoke', () => {
  type Doc = { statement: { sid: string; actions: string[]; resources: string[] }[] };

  it('lets a function invoke the alias, and passes the ids; returns what it added', () => {
    let added: unknown;
    const s = synth((stack) => {
      const fn = new TracedFunction(stack, 'fn', {
        functionName: 'fn',
        entry: path.join(__dirname, '..', 'handlers', 'chatbot.ts'),
        region: 'us-west-2',
      });
      added = ChatAgent.fromAgentAlias(stack, 'agent', 'AGENT12345', 'ALIAS12345').grantInvoke(fn);
    });
    const doc = s.data.aws_iam_policy_document.fn_role_permissions as unknown as Doc;
    expect(doc.statement.find((st) => st.sid === 'InvokeAgentAlias')).toMatchObject({
      actions: ['bedrock:InvokeAgent'],
      resources: [
        'arn:${data.aws_partition.aws-context_partition.partition}:bedrock:${data.aws_region.aws-context_region.region}:${data.aws_caller_identity.aws-context_account.account_id}:agent-alias/AGENT12345/ALIAS12345',
      ],
    });
    expect(resources(s, 'aws_lambda_function').fn_function.environment).toMatchObject({
      variables: { BEDROCK_AGENT_ID: 'AGENT12345', BEDROCK_AGENT_ALIAS_ID: 'ALIAS12345' },
    });
    expect(added).toMatchObject({
      statements: [{ sid: 'InvokeAgentAlias', actions: ['bedrock:InvokeAgent'] }],
      environment: { BEDROCK_AGENT_ID: 'AGENT12345', BEDROCK_AGENT_ALIAS_ID: 'ALIAS12345' },
    });
  });
});

describe('ChatAgent with knowledge bases', () => {
  type Doc = { statement: { sid: string; actions: string[]; resources: string[] }[] };
  const kbArn = (id: string) =>
    `arn:\${data.aws_partition.aws-context_partition.partition}:bedrock:\${data.aws_region.aws-context_region.region}:\${data.aws_caller_identity.aws-context_account.account_id}:knowledge-base/${id}`;
  let added: unknown;
  const s = synth((stack) => {
    const agent = new ChatAgent(stack, 'agent', {
      agentName: 'dev-chatbot',
      knowledgeBases: [
        { knowledgeBaseId: 'KB12345678', description: 'Product manuals and the returns policy' },
        { knowledgeBaseId: 'KBOLDDOCS0', description: 'Last year’s catalogue', state: 'DISABLED' },
      ],
    });
    const fn = new TracedFunction(stack, 'fn', {
      functionName: 'fn',
      entry: path.join(__dirname, '..', 'handlers', 'chatbot.ts'),
      region: 'us-west-2',
    });
    added = agent.grantInvoke(fn);
  });

  it("associates each with the agent's working draft, named by its id, before the alias is made", () => {
    const associations = resources(s, 'aws_bedrockagent_agent_knowledge_base_association');
    expect(Object.keys(associations)).toEqual(['agent_knowledge-base-KB12345678', 'agent_knowledge-base-KBOLDDOCS0']);
    expect(associations['agent_knowledge-base-KB12345678']).toMatchObject({
      agent_id: '${aws_bedrockagent_agent.agent_agent.agent_id}',
      agent_version: 'DRAFT',
      knowledge_base_id: 'KB12345678',
      description: 'Product manuals and the returns policy',
      knowledge_base_state: 'ENABLED',
    });
    expect(associations['agent_knowledge-base-KBOLDDOCS0'].knowledge_base_state).toBe('DISABLED');
    expect(resources(s, 'aws_bedrockagent_agent_alias').agent_alias.depends_on).toEqual([
      'aws_bedrockagent_agent_knowledge_base_association.agent_knowledge-base-KB12345678',
      'aws_bedrockagent_agent_knowledge_base_association.agent_knowledge-base-KBOLDDOCS0',
    ]);
  });

  it('lets the role retrieve from exactly those knowledge bases', () => {
    const doc = s.data.aws_iam_policy_document.agent_role_permissions as unknown as Doc;
    expect(doc.statement.find((st) => st.sid === 'RetrieveFromKnowledgeBases')).toMatchObject({
      actions: ['bedrock:Retrieve'],
      resources: [kbArn('KB12345678'), kbArn('KBOLDDOCS0')],
    });
  });

  it('tells an invoking function to record the lookups from the agent trace', () => {
    expect(resources(s, 'aws_lambda_function').fn_function.environment).toMatchObject({
      variables: { BEDROCK_AGENT_TRACE: 'true' },
    });
    expect(added).toMatchObject({ environment: { BEDROCK_AGENT_TRACE: 'true' } });
  });

  it('adds none of it without knowledge bases, or with only disabled ones', () => {
    const none = synth((stack) => new ChatAgent(stack, 'agent', { agentName: 'a' }));
    expect(none.resource.aws_bedrockagent_agent_knowledge_base_association).toBeUndefined();
    expect(resources(none, 'aws_bedrockagent_agent_alias').agent_alias.depends_on).toBeUndefined();
    const doc = none.data.aws_iam_policy_document.agent_role_permissions as unknown as Doc;
    expect(doc.statement.map((st) => st.sid)).not.toContain('RetrieveFromKnowledgeBases');
    const disabled = synth((stack) => {
      const agent = new ChatAgent(stack, 'agent', {
        agentName: 'a',
        knowledgeBases: [{ knowledgeBaseId: 'KB12345678', description: 'Paused', state: 'DISABLED' }],
      });
      const fn = new TracedFunction(stack, 'fn', {
        functionName: 'fn',
        entry: path.join(__dirname, '..', 'handlers', 'chatbot.ts'),
        region: 'us-west-2',
      });
      agent.grantInvoke(fn);
    });
    const variables = (resources(disabled, 'aws_lambda_function').fn_function.environment as { variables: object })
      .variables;
    expect(variables).not.toHaveProperty('BEDROCK_AGENT_TRACE');
  });

  it.each<[ChatAgentProps['knowledgeBases'], string]>([
    [
      [{ knowledgeBaseId: 'kb-1', description: 'Manuals' }],
      'knowledgeBases[0].knowledgeBaseId must be 10 letters and digits, got "kb-1"',
    ],
    [
      [
        { knowledgeBaseId: 'KB12345678', description: 'Manuals' },
        { knowledgeBaseId: 'KB87654321', description: 'x'.repeat(201) },
      ],
      `knowledgeBases[1].description must be 1..200 characters long, got "${'x'.repeat(201)}"`,
    ],
    [
      [{ knowledgeBaseId: 'KB12345678', description: '' }],
      'knowledgeBases[0].description must be 1..200 characters long, got ""',
    ],
    [
      [{ knowledgeBaseId: 'KB12345678', description: 'Manuals', state: 'ON' as never }],
      'knowledgeBases[0].state must be one of "ENABLED", "DISABLED", got "ON"',
    ],
  ])('rejects %j', (knowledgeBases, message) => {
    expect(errorOf((stack) => new ChatAgent(stack, 'agent', { agentName: 'a', knowledgeBases }))).toBe(
      `ChatAgent "test/agent": ${message}`,
    );
  });

  it('rejects the same knowledge base twice', () => {
    const kb = { knowledgeBaseId: 'KB12345678', description: 'Manuals' };
    expect(errorOf((stack) => new ChatAgent(stack, 'agent', { agentName: 'a', knowledgeBases: [kb, { ...kb }] }))).toBe(
      'ChatAgent "test/agent": knowledgeBases[1].knowledgeBaseId must be unique (knowledgeBases[0] has it too), got "KB12345678"',
    );
  });
});
