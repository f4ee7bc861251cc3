import * as path from 'node:path';
import { TerraformVariable, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ChatAgent, ReadableStack, TracedFunction, type ChatAgentProps } from '../modules';
import { errorOf, resources, synth, testStack, type Synthesized } from './helpers';
import { testApp } from './support/scratch';

describe('ChatAgent', () => {
  const s = synth((stack) => new ChatAgent(stack, 'agent', { agentName: 'dev-chatbot' }));

  it('creates a prepared agent on the default model of the provider region, and an alias', () => {
    expect(resources(s, 'aws_bedrockagent_agent').agent_agent).toMatchObject({
      agent_name: 'dev-chatbot',
      foundation_model: 'us.anthropic.claude-haiku-5-5',
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
            '${data.aws_region.aws-context_region.region}:${data.aws_caller_identity.aws-context_account.account_id}:inference-profile/us.anthropic.claude-haiku-5-5',
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
    [{ instruction: 'too short' }, 'instruction must be 40..8000 characters long, got 9 characters'],
    [{ region: 'Oregon' }, 'region must be an AWS region name like "us-west-2", got "Oregon"'],
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

describe('ChatAgent versions', () => {
  it('keys the alias on a digest of the agent configuration, so a change of the agent updates the alias', () => {
    const s = synth((stack) => new ChatAgent(stack, 'agent', { agentName: 'a' }));
    const alias = resources(s, 'aws_bedrockagent_agent_alias').agent_alias;
    // No routing configuration: the provider's update then makes a new version of the prepared DRAFT.
    expect(alias.routing_configuration).toBeUndefined();
    const arg = (name: string) => `"${name}" = aws_bedrockagent_agent.agent_agent.${name}`;
    expect(alias.description).toBe(
      `Serves agent configuration \${substr(sha256(jsonencode({${[
        'customer_encryption_key_arn',
        'foundation_model',
        'guardrail_configuration',
        'idle_session_ttl_in_seconds',
        'instruction',
      ]
        .map(arg)
        .join(', ')}})), 0, 12)}; a new version when it changes`,
    );
  });

  it('takes its knowledge bases into the digest, so adding or changing one reaches the alias', () => {
    const s = synth(
      (stack) =>
        new ChatAgent(stack, 'agent', {
          agentName: 'a',
          knowledgeBases: [{ knowledgeBaseId: 'KB12345678', description: 'Product manuals' }],
        }),
    );
    const kb = 'aws_bedrockagent_agent_knowledge_base_association.agent_knowledge-base-KB12345678';
    expect(resources(s, 'aws_bedrockagent_agent_alias').agent_alias.description).toContain(
      `"knowledge_bases" = [{"id" = ${kb}.knowledge_base_id, "description" = ${kb}.description, "state" = ${kb}.knowledge_base_state}]`,
    );
  });

  it('takes more inputs (an action group), once each', () => {
    const s = synth((stack) => {
      const agent = new ChatAgent(stack, 'agent', { agentName: 'a' });
      const group = new TerraformVariable(stack, 'group', { type: 'string' });
      agent.addVersionInput('action_group', group.stringValue);
      expect(() => agent.addVersionInput('action_group', 'x')).toThrow(
        'ChatAgent "test/agent": version input "action_group" is already set',
      );
    });
    expect(resources(s, 'aws_bedrockagent_agent_alias').agent_alias.description).toContain(
      '"action_group" = var.group',
    );
  });
});

describe('ChatAgent instruction length', () => {
  it('refuses more than 8000 characters: the AWS provider would refuse the plan (UTF8LengthBetween(40, 8000))', () => {
    expect(errorOf((stack) => new ChatAgent(stack, 'agent', { agentName: 'a', instruction: 'x'.repeat(8001) }))).toBe(
      'ChatAgent "test/agent": instruction must be 40..8000 characters long, got 8001 characters',
    );
  });

  it('counts characters as the provider does (code points), up to 8000', () => {
    const s = synth((stack) => new ChatAgent(stack, 'agent', { agentName: 'a', instruction: '€😀'.repeat(4000) }));
    expect([...(resources(s, 'aws_bedrockagent_agent').agent_agent.instruction as string)]).toHaveLength(8000);
  });
});

describe('ChatAgent region and model lifecycle', () => {
  const model = (s: ReturnType<typeof synth>) => resources(s, 'aws_bedrockagent_agent').agent_agent.foundation_model;

  it.each([
    ['eu-west-1', 'eu.anthropic.claude-haiku-5-5'],
    ['ap-northeast-1', 'jp.anthropic.claude-haiku-5-5'],
    ['sa-east-1', 'global.anthropic.claude-haiku-5-5'],
  ])('defaults in %s to %s (the region given beats the provider region)', (region, expected) => {
    expect(model(synth((stack) => new ChatAgent(stack, 'agent', { agentName: 'a', region })))).toBe(expected);
  });

  it('reads the region of the stack AWS provider', () => {
    const app = testApp();
    const stack = new ReadableStack(app, 'eu');
    new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
    new ChatAgent(stack, 'agent', { agentName: 'a' });
    const json = JSON.parse(Testing.synth(stack)) as Synthesized;
    expect(model(json)).toBe('eu.anthropic.claude-haiku-5-5');
  });

  it('asks for the region when the provider region is not known at synth', () => {
    const app = testApp();
    const stack = new ReadableStack(app, 'var');
    const region = new TerraformVariable(stack, 'region', { type: 'string' });
    new AwsProvider(stack, 'aws', { region: region.stringValue });
    expect(
      () => new ChatAgent(stack, 'agent', { agentName: 'a', foundationModel: 'us.anthropic.claude-haiku-5-5' }),
    ).toThrow(
      /^ChatAgent "var\/agent": region must be given when the stack's AWS provider has no region known at synth \(the default model and its lifecycle depend on it\), got undefined$/,
    );
  });

  it('asks for a model where no default is known (GovCloud)', () => {
    expect(errorOf((stack) => new ChatAgent(stack, 'agent', { agentName: 'a', region: 'us-gov-west-1' }))).toBe(
      'ChatAgent "test/agent": foundationModel must be given in us-gov-west-1 (no default model is known there), got undefined',
    );
  });

  it('refuses a model past its end of life in its region, naming the model and the date', () => {
    expect(
      errorOf(
        (stack) =>
          new ChatAgent(stack, 'agent', { agentName: 'a', foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0' }),
      ),
    ).toMatch(
      /^ChatAgent "test\/agent": foundationModel must be a model before its end of life \(Claude 3 Haiku \(anthropic\.claude-3-haiku-20240307-v1:0\) reached end of life in us-west-2 on 2026-09-10: every request fails; use an Active model, e\.g\. "us\.anthropic\.claude-haiku-5-5" \(source: https:\/\/docs\.aws\.amazon\.com\/.+\)\), got "anthropic\.claude-3-haiku-20240307-v1:0"$/,
    );
    // Through an inference profile too: the model behind it is what reaches its end of life.
    expect(
      errorOf(
        (stack) =>
          new ChatAgent(stack, 'agent', {
            agentName: 'a',
            foundationModel: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
          }),
      ),
    ).toContain(
      'Claude 3.5 Haiku (anthropic.claude-3-5-haiku-20241022-v1:0) reached end of life in us-west-2 on 2026-06-19',
    );
  });

  it('warns about a Legacy model, naming it, the region and the date', () => {
    const { stack } = testStack();
    new ChatAgent(stack, 'agent', {
      agentName: 'a',
      region: 'ap-northeast-2',
      foundationModel: 'anthropic.claude-3-haiku-20240307-v1:0',
    });
    const agent = stack.node.findChild('agent');
    const warnings = agent.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings).toEqual([
      expect.stringMatching(
        /^foundationModel: Claude 3 Haiku \(anthropic\.claude-3-haiku-20240307-v1:0\) is Legacy in ap-northeast-2, usable with an end-of-life date to come/,
      ),
    ]);
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
