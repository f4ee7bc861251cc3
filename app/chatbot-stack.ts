import * as path from 'node:path';
import { Annotations, TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  AdotCollector,
  ChatAgent,
  EcsEc2Cluster,
  Network,
  ReadableStack,
  TracedFunction,
  TracedQueue,
  TracedRestApi,
  XrayFaultGroup,
  XraySamplingRules,
  apiStageScope,
  chatApiRule,
  collectorConfig,
  criticalPathRules,
  healthCheckRule,
  type IChatAgent,
} from '../modules';
import { ENQUIRY_NOT_QUEUED } from '../handlers/lib/log';
import { PROJECT, type EnvironmentConfig } from './config';

export interface ChatbotTracingStackProps {
  readonly config: EnvironmentConfig;
  /** The project root: handlers are read from `<projectRoot>/handlers`. */
  readonly projectRoot: string;
}

/** The chatbot's timeout: below API Gateway's 29 s integration timeout (see where it is used). */
export const CHATBOT_TIMEOUT_SECONDS = 25;

/** How long the chatbot usually takes to answer (a Bedrock agent call, and the enquiry queued), in seconds. */
export const CHAT_EXPECTED_SECONDS = 6;

/** The JSON schema API Gateway checks POST /chat bodies against, before any Lambda runs. */
export const CHAT_REQUEST_SCHEMA = {
  title: 'ChatRequest',
  type: 'object',
  required: ['question'],
  additionalProperties: false,
  properties: {
    question: { type: 'string', minLength: 1, maxLength: 4000, pattern: '\\S' },
    // Issued by the chatbot (handlers/lib/session-id.ts): a nonce and its HMAC, bound to the API key.
    sessionId: { type: 'string', pattern: '^[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}$' },
  },
};

/**
 * The reference app, one stack per environment: a client calls the chatbot API, the chatbot Lambda
 * asks a Bedrock agent and queues the enquiry, a consumer Lambda processes it; every hop traced.
 */
export class ChatbotTracingStack extends ReadableStack {
  public readonly network: Network;
  public readonly chatbot: TracedFunction;
  public readonly consumer: TracedFunction;
  public readonly queue: TracedQueue;
  public readonly api: TracedRestApi;
  public readonly agent: IChatAgent;
  public readonly cluster: EcsEc2Cluster;
  public readonly collector: AdotCollector;

  constructor(scope: Construct, props: ChatbotTracingStackProps) {
    const { config } = props;
    super(scope, config.name);
    const name = config.name;
    const handlers = path.join(props.projectRoot, 'handlers');

    new AwsProvider(this, 'aws', {
      region: config.region,
      allowedAccountIds: config.allowedAccountIds,
      defaultTags: [{ tags: { ...config.tags, project: PROJECT, environment: name, 'managed-by': 'cdktf' } }],
    });

    this.network = new Network(this, 'network', {
      cidrBlock: config.vpcCidr,
      azCount: config.azCount,
      natGateways: config.natGateways,
      flowLogRetentionDays: config.logRetentionDays,
    });
    if (config.natGateways === 'none') {
      Annotations.of(this).addWarning(
        'natGateways is "none": the Lambda functions run in private subnets and need VPC endpoints for Bedrock, SQS, KMS and X-Ray, which this stack does not create.',
      );
    }
    const vpc = { vpcId: this.network.vpcId, subnetIds: this.network.privateSubnetIds };

    this.cluster = new EcsEc2Cluster(this, 'ecs', {
      clusterName: `${name}-observability`,
      vpcId: this.network.vpcId,
      subnetIds: this.network.privateSubnetIds,
      instanceType: config.ecsInstanceType,
      minSize: config.ecsMinSize,
      desiredCapacity: config.ecsDesiredCapacity,
      maxSize: config.ecsMaxSize,
    });
    // The image's default pipelines, with this stack's own EMF log group (stacks may share an account).
    const emfLogGroupName = `/aws/ecs/${name}/application/metrics`;
    this.collector = new AdotCollector(this, 'adot', {
      cluster: this.cluster,
      region: config.region,
      config: collectorConfig({ emfLogGroupName }),
      emfLogGroupName,
      logRetentionDays: config.logRetentionDays,
    });

    // Every alarm of the stack notifies the configured topic (on alarm and back to OK), or no one.
    const alarmActions = config.alarmTopicArn === undefined ? undefined : [config.alarmTopicArn];

    this.consumer = new TracedFunction(this, 'consumer', {
      functionName: `${name}-enquiry-consumer`,
      description: 'Processes chatbot enquiries from SQS',
      entry: path.join(handlers, 'sqs-consumer.ts'),
      region: config.region,
      logRetentionDays: config.logRetentionDays,
      vpc,
      alarmActions,
    });
    this.queue = new TracedQueue(this, 'enquiries', {
      queueName: `${name}-enquiries`,
      consumer: this.consumer,
      alarmActions,
    });

    this.chatbot = new TracedFunction(this, 'chatbot', {
      functionName: `${name}-chatbot`,
      description: 'Answers POST /chat through the Bedrock agent and queues the enquiry',
      entry: path.join(handlers, 'chatbot.ts'),
      region: config.region,
      // API Gateway gives up on an integration after 29 s, counted from the request. The function
      // must end first, with JSON: 25 s leaves 4 s for a cold start (init runs before the timeout
      // clock) and the API Gateway hops; the handler stops waiting on AWS calls 1.5 s before its
      // own timeout and answers 504 with the trace id.
      timeoutSeconds: CHATBOT_TIMEOUT_SECONDS,
      // The API's throttle is sized to this (see the api below).
      reservedConcurrency: 10,
      logRetentionDays: config.logRetentionDays,
      vpc,
      environment: { SIMULATE_FAILURE: String(config.simulateFailure) },
      alarmActions,
      // The answer went out but the enquiry never reached the queue: someone must replay it from the log.
      logAlarms: [
        {
          name: 'enquiry-not-queued',
          pattern: `{ $.message = "${ENQUIRY_NOT_QUEUED}" }`,
          description: `An enquiry was answered but not queued: replay it from its "${ENQUIRY_NOT_QUEUED}" log line.`,
        },
      ],
    });
    this.queue.grantSend(this.chatbot, 'ENQUIRY_QUEUE_URL');

    // Conversation ids are `<nonce>.<HMAC(apiKeyId, nonce)>`, signed and checked by KMS: the key never
    // leaves KMS, and the function knows only its ARN. HMAC keys cannot rotate automatically.
    const sessionKey = new KmsKey(this, 'session-key', {
      description: `${name}-chatbot: signs conversation ids (HMAC of API key id and nonce)`,
      customerMasterKeySpec: 'HMAC_256',
      keyUsage: 'GENERATE_VERIFY_MAC',
      deletionWindowInDays: 30,
    });
    this.chatbot.addToRolePolicy({
      sid: 'SignConversationIds',
      actions: ['kms:GenerateMac', 'kms:VerifyMac'],
      resources: [sessionKey.arn],
      conditions: [{ test: 'StringEquals', variable: 'kms:MacAlgorithm', values: ['HMAC_SHA_256'] }],
    });
    this.chatbot.addEnvironment('SESSION_KEY_ARN', sessionKey.arn);

    this.agent =
      config.bedrockAgentId !== undefined && config.bedrockAgentAliasId !== undefined
        ? ChatAgent.fromAgentAlias(this, 'agent', config.bedrockAgentId, config.bedrockAgentAliasId)
        : // The model defaults to the region's Active default; its lifecycle is checked in the region.
          new ChatAgent(this, 'agent', {
            agentName: `${name}-chatbot`,
            foundationModel: config.bedrockFoundationModel,
            knowledgeBases: Object.entries(config.bedrockKnowledgeBases ?? {}).map(
              ([knowledgeBaseId, description]) => ({
                knowledgeBaseId,
                description,
              }),
            ),
          });
    this.agent.grantInvoke(this.chatbot);

    this.api = new TracedRestApi(this, 'api', {
      apiName: `${name}-chatbot`,
      description: `Traced chatbot API (${name})`,
      routes: [
        {
          path: '/chat',
          method: 'POST',
          function: this.chatbot,
          bodySchema: CHAT_REQUEST_SCHEMA,
          expectedLatencySeconds: CHAT_EXPECTED_SECONDS,
        },
        { path: '/health', method: 'GET', mock: { body: { status: 'ok' } } },
      ],
      // Capacity that adds up (modules/traced-rest-api/README.md): the chatbot reserves 10, so at
      // 6 s an answer the API admits 10 / 6 = 1.66 requests a second at most, and bursts of 10.
      throttle: { rateLimit: 1.5, burstLimit: 10 },
      // The account-level stack (app/account-stack.ts) owns it, or the account already has it.
      manageAccountLogRole: false,
      logRetentionDays: config.logRetentionDays,
      alarmActions,
    });

    // Health checks dropped first, critical paths kept whole, the chat API at a sensible rate; each
    // rule scoped to this stack's API stage, so another environment in the account keeps its own rates.
    const stage = apiStageScope(`${name}-chatbot`, this.api.stageName);
    new XraySamplingRules(this, 'sampling', {
      rules: [
        healthCheckRule({ namePrefix: name, priority: 100, scope: stage }),
        ...criticalPathRules({ namePrefix: name, priority: 200, scope: stage }),
        chatApiRule({ namePrefix: name, priority: 300, scope: stage }),
      ],
    });
    const faults = new XrayFaultGroup(this, 'faults', {
      groupName: `${name}-chatbot-faults`,
      serviceNames: [`${name}-chatbot/${this.api.stageName}`, this.chatbot.functionName, this.consumer.functionName],
    });

    const output = (id: string, value: string | string[], description: string, sensitive = false) =>
      new TerraformOutput(this, id, { value, description, sensitive });
    output('invoke_url', this.api.invokeUrl, 'Base URL of the chatbot API (POST <invoke_url>/chat)');
    output('api_key', this.api.apiKeyValue, 'API key for the x-api-key header', true);
    output('queue_url', this.queue.queueUrl, 'Enquiry queue URL');
    output('dlq_url', this.queue.dlqUrl, 'Dead-letter queue URL: enquiries that failed processing');
    output('chatbot_function_name', this.chatbot.functionName, 'Chatbot Lambda function');
    output('consumer_function_name', this.consumer.functionName, 'Enquiry consumer Lambda function');
    output('chatbot_log_group', this.chatbot.logGroupName, 'Chatbot log group');
    output('consumer_log_group', this.consumer.logGroupName, 'Consumer log group');
    output('api_access_log_group', this.api.accessLogGroupName, 'API Gateway access log group');
    output('bedrock_agent_id', this.agent.agentId, 'Bedrock agent id');
    output('bedrock_agent_alias_id', this.agent.aliasId, 'Bedrock agent alias id');
    output('cluster_name', this.cluster.clusterName, 'ECS cluster running the ADOT collector');
    output('cluster_arn', this.cluster.clusterArn, 'ECS cluster ARN');
    output('collector_service_name', this.collector.serviceName, 'ADOT collector ECS service (DAEMON)');
    output('collector_task_role_arn', this.collector.taskRoleArn, 'ADOT collector task role');
    output('collector_execution_role_arn', this.collector.executionRoleArn, 'ADOT collector task execution role');
    output('xray_fault_group', faults.groupName, "X-Ray group of this stack's faults (Insights on)");
    output('vpc_id', this.network.vpcId, 'The VPC id');
    output('private_subnet_ids', this.network.privateSubnetIds, 'Private subnet ids, one per availability zone');
    output('public_subnet_ids', this.network.publicSubnetIds, 'Public subnet ids, one per availability zone');
  }
}
