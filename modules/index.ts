/**
 * The public API of the construct library: every name a user imports, listed explicitly and once,
 * grouped by construct. The package's exports map opens only this file. A name missing here is
 * internal (validation tables, input descriptions, renderers, parsers): the library's own folders
 * and the module generator import those from their files. `__tests__/public-api.test.ts` compares
 * this list with `__tests__/public-api.txt`, so adding or removing a public name is a conscious change.
 */

// Stacks, naming, IAM and validation shared by every construct.
export { AwsContext } from './core/aws-context';
export {
  Role,
  XRAY_WRITE_ACTIONS,
  managedPolicyArn,
  policyDocument,
  type Condition,
  type Grant,
  type IGrantable,
  type RoleProps,
  type Statement,
} from './core/iam';
export { MAX_ALARM_ACTIONS, notify } from './core/alarms';
export { claimName, defaultName, type NameClaim, type NameScope } from './core/names';
export { projectRoot } from './core/project';
export { ReadableStack, readableLogicalId } from './core/stack';
export { TOKEN_TRACES_ENV, configureTokenTraces } from './core/token-traces';
export {
  ALARM_ACTION_ARN,
  ANY_ARN,
  AWS_REGION_PATTERN,
  KMS_KEY_ARN,
  LOG_RETENTION_DAYS,
  SNS_TOPIC_ARN,
  ValidationError,
  Validator,
  arnProblem,
  invalid,
  type ArnKind,
  type LogRetentionDays,
} from './core/validation';

// Network
export { NAT_GATEWAY_MODES, Network, type NatGatewayMode, type NetworkProps } from './network';

// TracedFunction
export {
  ADOT_MODES,
  BundleError,
  NODE_RUNTIMES,
  TracedFunction,
  adotLayer,
  type AdotLayer,
  type AdotMode,
  type Architecture,
  type FunctionVpcConfig,
  type ITracedFunction,
  type LogAlarm,
  type NodeRuntime,
  type TracedFunctionAttributes,
  type TracedFunctionProps,
} from './traced-function';

// TracedQueue
export { CONSUME_ACTIONS, SEND_ACTIONS, TracedQueue, type TracedQueueProps } from './traced-queue';

// TracedRestApi
export {
  ApiGatewayAccountLogRole,
  HTTP_METHODS,
  TracedRestApi,
  type ApiGatewayAccountLogRoleProps,
  type HttpMethod,
  type MockResponse,
  type QuotaPeriod,
  type QuotaProps,
  type RouteProps,
  type ThrottleProps,
  type TracedRestApiProps,
} from './traced-rest-api';

// ChatAgent
export {
  ChatAgent,
  DEFAULT_AGENT_MODEL,
  KNOWN_MODELS,
  defaultAgentModel,
  modelLifecycleFinding,
  type ChatAgentProps,
  type IChatAgent,
  type KnownModel,
  type Lifecycle,
  type LifecycleFinding,
} from './chat-agent';

// EcsEc2Cluster
export { EcsEc2Cluster, instanceCapacity, type EcsEc2ClusterProps, type InstanceCapacity } from './ecs-ec2-cluster';

// AdotCollector
export {
  ADOT_COLLECTOR_IMAGE,
  ADOT_COLLECTOR_VERSION,
  AdotCollector,
  AdotTemplateError,
  COLLECTOR_CONTAINER,
  DEFAULT_ADOT_TEMPLATE,
  collectorConfig,
  renderAdotTaskTemplate,
  type AdotCollectorProps,
  type AdotTemplateValues,
  type CollectorCluster,
  type CollectorConfigOptions,
  type ContainerDefinition,
  type TaskDefinitionTemplate,
} from './adot-collector';

// XraySamplingRules, XrayFaultGroup and rule presets
export {
  XrayFaultGroup,
  XraySamplingRules,
  apiStageScope,
  chatApiRule,
  criticalPathRules,
  faultFilterExpression,
  healthCheckRule,
  type PresetOptions,
  type SamplingRule,
  type SamplingScope,
  type XrayFaultGroupProps,
  type XraySamplingRulesProps,
} from './xray-sampling-rules';

// PolicyChecks, check-plan, and the pieces to write a rule of your own
export {
  ALL_RULES,
  BROAD_MANAGED_POLICY,
  DANGEROUS_CAPABILITIES,
  NotChecked,
  PolicyChecks,
  SENSITIVE_READS,
  STAR_ONLY_ACTIONS,
  SUPPRESSION_METADATA,
  StackView,
  checkPlan,
  containersOf,
  documentStatements,
  evaluate,
  findingMessage,
  isBroadResource,
  isReadAction,
  jsonPolicyStatements,
  notCheckedMessage,
  planView,
  plaintextSecret,
  readEncodedJson,
  readHclValue,
  referenceAddress,
  suppressionProblems,
  type CheckPlanResult,
  type CheckResult,
  type Finding,
  type ModuleCall,
  type NotCheckedItem,
  type PlanSuppression,
  type PolicyChecksProps,
  type PolicyRule,
  type PolicyStatement,
  type Problem,
  type Report,
  type ResourceView,
  type RuleRefs,
  type Severity,
} from './policy';
