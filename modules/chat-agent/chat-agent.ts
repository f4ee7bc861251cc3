import { Annotations, Fn, Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { BedrockagentAgent } from '@cdktf/provider-aws/lib/bedrockagent-agent';
import { BedrockagentAgentAlias } from '@cdktf/provider-aws/lib/bedrockagent-agent-alias';
import { BedrockagentAgentKnowledgeBaseAssociation } from '@cdktf/provider-aws/lib/bedrockagent-agent-knowledge-base-association';
import { AwsContext } from '../core/aws-context';
import { Role, grant, type Grant } from '../core/iam';
import { Validator, isUnresolved } from '../core/validation';
import type { ITracedFunction } from '../traced-function';
import { CHAT_AGENT_INPUTS, synthDate } from './inputs';
import { modelInvokeStatements, modelLifecycleFinding } from './models';
import type { ChatAgentProps } from './props';

/** A Bedrock agent alias callers invoke: a {@link ChatAgent}, or one imported with `ChatAgent.fromAgentAlias`. */
export interface IChatAgent {
  /** The agent's id. */
  readonly agentId: string;
  /** The alias's id. */
  readonly aliasId: string;
  /** The alias's ARN: what `bedrock:InvokeAgent` is granted on. */
  readonly aliasArn: string;
  /**
   * Lets `fn` invoke the agent through this alias: `bedrock:InvokeAgent` on the alias ARN only, and the
   * ids in `BEDROCK_AGENT_ID` / `BEDROCK_AGENT_ALIAS_ID` (with `BEDROCK_AGENT_TRACE=true` when the agent
   * queries knowledge bases, so the function records the lookups as spans). Returns what it added.
   */
  grantInvoke(fn: ITracedFunction): Grant;
}

function grantInvoke(agent: IChatAgent, fn: ITracedFunction, readTrace = false): Grant {
  return grant(fn, [{ sid: 'InvokeAgentAlias', actions: ['bedrock:InvokeAgent'], resources: [agent.aliasArn] }], {
    BEDROCK_AGENT_ID: agent.agentId,
    BEDROCK_AGENT_ALIAS_ID: agent.aliasId,
    ...(readTrace ? { BEDROCK_AGENT_TRACE: 'true' } : {}),
  });
}

/** An agent alias that exists already (created outside this stack). */
class ImportedAgentAlias extends Construct implements IChatAgent {
  public readonly aliasArn: string;

  constructor(
    scope: Construct,
    id: string,
    public readonly agentId: string,
    public readonly aliasId: string,
  ) {
    super(scope, id);
    const v = new Validator('ChatAgent.fromAgentAlias', this);
    v.matches('agentId', agentId, /^[0-9a-zA-Z]{10}$/, '10 letters and digits');
    v.matches('aliasId', aliasId, /^[0-9a-zA-Z]{10}$/, '10 letters and digits');
    v.throwIfInvalid();
    this.aliasArn = AwsContext.of(this).arn('bedrock', `agent-alias/${agentId}/${aliasId}`);
  }

  /**
   * Lets `fn` invoke the imported alias: `bedrock:InvokeAgent` on its ARN only, and the ids in
   * `BEDROCK_AGENT_ID` / `BEDROCK_AGENT_ALIAS_ID`. Returns what it added.
   */
  public grantInvoke(fn: ITracedFunction): Grant {
    return grantInvoke(this, fn);
  }
}

/**
 * A minimal Bedrock agent: a foundation model and an instruction, optionally existing knowledge bases
 * to query, a service role that may invoke only that model (and retrieve from only those knowledge
 * bases), and an alias to call it through. Enough for `cdktf deploy` to yield a chatbot that answers;
 * bring your own agent for action groups (`fromAgentAlias`).
 *
 * The model's lifecycle is checked in the stack's region at synth: past its end of life is an error,
 * Legacy a warning.
 */
export class ChatAgent extends Construct implements IChatAgent {
  /**
   * The agent's arguments a version is made of, and that are known at plan when configured (the
   * computed ones would make the digest unknown in every plan).
   */
  public static readonly VERSIONED_ARGUMENTS = [
    'customer_encryption_key_arn',
    'foundation_model',
    'guardrail_configuration',
    'idle_session_ttl_in_seconds',
    'instruction',
  ] as const;

  /** An agent alias created elsewhere, by its ids: grants work on it as on a ChatAgent. */
  public static fromAgentAlias(scope: Construct, id: string, agentId: string, aliasId: string): IChatAgent {
    return new ImportedAgentAlias(scope, id, agentId, aliasId);
  }

  /** The agent's id. */
  public readonly agentId: string;
  /** The alias's id. */
  public readonly aliasId: string;
  /** The alias's ARN: what `bedrock:InvokeAgent` is granted on. */
  public readonly aliasArn: string;
  /** The agent's ARN. */
  public readonly agentArn: string;
  /** Escape hatch: the `aws_bedrockagent_agent`. */
  public readonly agent: BedrockagentAgent;
  /** Escape hatch: the `aws_bedrockagent_agent_alias`. */
  public readonly alias: BedrockagentAgentAlias;
  /** The knowledge bases' associations with the agent, in the order given. */
  public readonly knowledgeBaseAssociations: BedrockagentAgentKnowledgeBaseAssociation[];
  /**
   * 12 hex digits of the SHA-256 of what the served version is made of (a Terraform expression): the
   * alias's description carries it, so a change of the agent changes the alias in the plan.
   */
  public readonly configurationDigest: string;
  /** True when the agent queries at least one knowledge base (one that is `ENABLED`). */
  private readonly queriesKnowledgeBases: boolean;
  private readonly versionInputs: Record<string, unknown> = {};

  constructor(scope: Construct, id: string, props: ChatAgentProps) {
    super(scope, id);
    const p = CHAT_AGENT_INPUTS.resolve(this, { ...props, region: props.region ?? AwsContext.providerRegion(this) });
    // A model past its end of life fails the checks above; a Legacy one still works, until its date.
    const finding = modelLifecycleFinding(p.foundationModel, p.region as string, synthDate());
    if (finding?.severity === 'warning') Annotations.of(this).addWarning(`foundationModel: ${finding.message}`);

    const aws = AwsContext.of(this);
    const role = new Role(this, 'role', {
      name: `AmazonBedrockExecutionRoleForAgents_${p.agentName}`,
      description: `Bedrock agent ${p.agentName} invokes its foundation model`,
      assumedBy: 'bedrock.amazonaws.com',
      trustConditions: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [aws.accountId] },
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [aws.arn('bedrock', 'agent/*')] },
      ],
    });
    // An inference profile needs its own ARN and the model's ARN in every region it routes to.
    for (const statement of modelInvokeStatements(p.foundationModel, aws)) role.addToPolicy(statement);
    const knowledgeBases = p.knowledgeBases ?? [];
    if (knowledgeBases.length > 0) {
      // What the console grants an agent for its knowledge bases, on these ones only.
      role.addToPolicy({
        sid: 'RetrieveFromKnowledgeBases',
        actions: ['bedrock:Retrieve'],
        resources: knowledgeBases.map((kb) => aws.arn('bedrock', `knowledge-base/${kb.knowledgeBaseId}`)),
      });
    }

    this.agent = new BedrockagentAgent(this, 'agent', {
      agentName: p.agentName,
      agentResourceRoleArn: role.arn,
      foundationModel: p.foundationModel,
      instruction: p.instruction,
      idleSessionTtlInSeconds: p.idleSessionTtlSeconds,
      customerEncryptionKeyArn: p.kmsKeyArn,
      prepareAgent: true,
      dependsOn: role.dependables,
    });
    // Associated with the working draft (the provider prepares the agent after each one); the alias,
    // which snapshots the draft into a version, comes after them.
    this.knowledgeBaseAssociations = knowledgeBases.map(
      (kb, i) =>
        // Named by the id, so reordering the list replaces nothing; by position for a reference.
        new BedrockagentAgentKnowledgeBaseAssociation(
          this,
          `knowledge-base-${isUnresolved(kb.knowledgeBaseId) ? i : kb.knowledgeBaseId}`,
          {
            agentId: this.agent.agentId,
            agentVersion: 'DRAFT',
            knowledgeBaseId: kb.knowledgeBaseId,
            description: kb.description,
            knowledgeBaseState: kb.state ?? 'ENABLED',
            dependsOn: role.dependables,
          },
        ),
    );
    this.queriesKnowledgeBases = knowledgeBases.some((kb) => (kb.state ?? 'ENABLED') === 'ENABLED');

    // An alias serves the version it was last updated to; PrepareAgent only changes DRAFT. The AWS
    // provider's update of an alias without a routing configuration sends UpdateAgentAlias without one,
    // which makes a new version of the prepared DRAFT and serves it. So the alias's description carries
    // a digest of the agent's configuration: every change of the agent (its arguments, its knowledge
    // bases) is an update of the alias, in the plan (description and routing_configuration) and then a
    // new version. The alias refers to the agent's and the associations' attributes, so it is updated
    // after they are updated and the draft prepared.
    for (const name of ChatAgent.VERSIONED_ARGUMENTS)
      this.versionInputs[name] = this.agent.interpolationForAttribute(name);
    if (this.knowledgeBaseAssociations.length > 0)
      this.versionInputs.knowledge_bases = this.knowledgeBaseAssociations.map((a) => ({
        id: a.knowledgeBaseId,
        description: a.description,
        state: a.knowledgeBaseState,
      }));
    this.configurationDigest = Lazy.stringValue({
      produce: () => Fn.substr(Fn.sha256(Fn.jsonencode(this.versionInputs)), 0, 12),
    });
    const alias = new BedrockagentAgentAlias(this, 'alias', {
      agentId: this.agent.agentId,
      agentAliasName: p.aliasName,
      description: `Serves agent configuration ${this.configurationDigest}; a new version when it changes`,
      dependsOn: this.knowledgeBaseAssociations.length > 0 ? this.knowledgeBaseAssociations : undefined,
    });
    this.alias = alias;
    this.agentId = this.agent.agentId;
    this.agentArn = this.agent.agentArn;
    this.aliasId = alias.agentAliasId;
    this.aliasArn = alias.agentAliasArn;
  }

  /**
   * Lets `fn` invoke the agent through its alias: `bedrock:InvokeAgent` on the alias ARN only, and the
   * ids in `BEDROCK_AGENT_ID` / `BEDROCK_AGENT_ALIAS_ID` (`BEDROCK_AGENT_TRACE=true` when the agent
   * queries knowledge bases, so the function records the lookups as spans). Returns what it added.
   */
  public grantInvoke(fn: ITracedFunction): Grant {
    return grantInvoke(this, fn, this.queriesKnowledgeBases);
  }

  /**
   * Makes `value` part of the configuration a version is made of: when it changes, the alias serves a
   * new version. For what changes the agent outside its own arguments (a knowledge base association,
   * an action group, an argument set through the escape hatch); `name` keys it in the digest.
   */
  public addVersionInput(name: string, value: unknown): void {
    if (name in this.versionInputs)
      throw new Error(`ChatAgent "${this.node.path}": version input "${name}" is already set`);
    this.versionInputs[name] = value;
  }
}
