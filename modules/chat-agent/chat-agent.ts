import { Construct } from 'constructs';
import { BedrockagentAgent } from '@cdktf/provider-aws/lib/bedrockagent-agent';
import { BedrockagentAgentAlias } from '@cdktf/provider-aws/lib/bedrockagent-agent-alias';
import { AwsContext } from '../core/aws-context';
import { Role } from '../core/iam';
import { Validator, isUnresolved } from '../core/validation';
import { modelInvokeStatements, parseModelRef } from './models';
import { AGENT_DEFAULTS, type AgentAliasRef, type ChatAgentProps } from './props';

/** The alias ARN of an agent that exists already (created outside this stack). */
export function existingAgentAlias(scope: Construct, agentId: string, aliasId: string): AgentAliasRef {
  const v = new Validator('existingAgentAlias', scope);
  v.matches('agentId', agentId, /^[0-9a-zA-Z]{10}$/, '10 letters and digits');
  v.matches('aliasId', aliasId, /^[0-9a-zA-Z]{10}$/, '10 letters and digits');
  v.throwIfInvalid();
  return { agentId, aliasId, aliasArn: AwsContext.of(scope).arn('bedrock', `agent-alias/${agentId}/${aliasId}`) };
}

/**
 * A minimal Bedrock agent: a foundation model and an instruction, a service role that may invoke
 * only that model, and an alias to call it through. Enough for `cdktf deploy` to yield a chatbot
 * that answers; bring your own agent for knowledge bases and action groups.
 */
export class ChatAgent extends Construct implements AgentAliasRef {
  public readonly agentId: string;
  public readonly aliasId: string;
  public readonly aliasArn: string;
  public readonly agentArn: string;
  public readonly agent: BedrockagentAgent;

  constructor(scope: Construct, id: string, props: ChatAgentProps) {
    super(scope, id);
    const model = props.foundationModel ?? AGENT_DEFAULTS.foundationModel;
    const instruction = props.instruction ?? AGENT_DEFAULTS.instruction;
    const ttl = props.idleSessionTtlSeconds ?? AGENT_DEFAULTS.idleSessionTtlSeconds;
    const aliasName = props.aliasName ?? AGENT_DEFAULTS.aliasName;
    const v = new Validator('ChatAgent', this);
    v.matches(
      'agentName',
      props.agentName,
      /^([0-9a-zA-Z][_-]?){1,28}$/,
      '1..28 letters and digits, single "_" or "-" between them',
    );
    if (!isUnresolved(model) && parseModelRef(model) === null) {
      v.fail(
        'foundationModel',
        'a model id like "anthropic.claude-haiku-5-5" or an inference-profile id like "us.anthropic.claude-haiku-5-5"',
        model,
      );
    }
    v.length('instruction', instruction, 40, 20000);
    v.intRange('idleSessionTtlSeconds', ttl, 60, 3600);
    v.matches(
      'aliasName',
      aliasName,
      /^([0-9a-zA-Z][_-]?){1,100}$/,
      'letters and digits, single "_" or "-" between them',
    );
    v.throwIfInvalid();

    const aws = AwsContext.of(this);
    const role = new Role(this, 'role', {
      name: `AmazonBedrockExecutionRoleForAgents_${props.agentName}`,
      description: `Bedrock agent ${props.agentName} invokes its foundation model`,
      assumedBy: 'bedrock.amazonaws.com',
      trustConditions: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [aws.accountId] },
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [aws.arn('bedrock', 'agent/*')] },
      ],
    });
    // An inference profile needs its own ARN and the model's ARN in every region it routes to.
    for (const statement of modelInvokeStatements(model, aws)) role.addToPolicy(statement);

    this.agent = new BedrockagentAgent(this, 'agent', {
      agentName: props.agentName,
      agentResourceRoleArn: role.arn,
      foundationModel: model,
      instruction,
      idleSessionTtlInSeconds: ttl,
      customerEncryptionKeyArn: props.kmsKeyArn,
      prepareAgent: true,
      dependsOn: role.dependables,
    });
    const alias = new BedrockagentAgentAlias(this, 'alias', {
      agentId: this.agent.agentId,
      agentAliasName: aliasName,
      description: 'What the chatbot invokes',
    });
    this.agentId = this.agent.agentId;
    this.agentArn = this.agent.agentArn;
    this.aliasId = alias.agentAliasId;
    this.aliasArn = alias.agentAliasArn;
  }
}
