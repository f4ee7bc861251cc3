/**
 * The public API of the construct library. Import from here (or a module folder's index),
 * never from a file inside a module.
 */
export { AwsContext } from './core/aws-context';
export { Role, managedPolicyArn, policyDocument, type Condition, type RoleProps, type Statement } from './core/iam';
export { defaultName } from './core/names';
export { projectRoot } from './core/project';
export { ReadableStack, readableLogicalId } from './core/stack';
export { TOKEN_TRACES_ENV, configureTokenTraces } from './core/token-traces';
export {
  AWS_REGION_PATTERN,
  LOG_RETENTION_DAYS,
  ValidationError,
  Validator,
  invalid,
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
