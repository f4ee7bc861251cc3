/**
 * The public API of the construct library. Import from here (or a module folder's index),
 * never from a file inside a module.
 */
export { AwsContext } from './core/aws-context';
export { Role, managedPolicyArn, policyDocument, type Condition, type RoleProps, type Statement } from './core/iam';
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
export * from './network';
export * from './traced-function';
export * from './traced-queue';
export * from './traced-rest-api';
export * from './chat-agent';
export * from './ecs-ec2-cluster';
export * from './adot-collector';
export * from './xray-sampling-rules';
export * from './policy';
