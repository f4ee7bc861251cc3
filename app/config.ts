/**
 * The reference app's typed configuration: one {@link EnvironmentConfig} per stack.
 *
 * Sources, later ones win:
 *   1. {@link DEFAULTS} below, for every environment;
 *   2. `cdktf.json` → `context.environments.<name>` (which environments exist, and their settings);
 *   3. environment variables: `TRACED_<FIELD>` for every environment, `TRACED_<ENV>_<FIELD>` for one,
 *      with the field in SCREAMING_SNAKE_CASE (`TRACED_PROD_AZ_COUNT=3`, `TRACED_REGION=eu-west-1`).
 * `TRACED_ENVIRONMENTS=dev` synthesizes a subset. Anything unknown or ill-typed is an error that
 * names where it came from.
 */
import { AWS_REGION_PATTERN, KMS_KEY_ARN, SNS_TOPIC_ARN, arnProblem } from '../modules/core/validation';
import type { NatGatewayMode } from '../modules/network';

export interface EnvironmentConfig {
  /** The environment and stack name (`dev`, `prod`): lower-case letters, digits and hyphens. */
  readonly name: string;
  /** AWS region. @default 'us-west-2' */
  readonly region: string;
  /** Only these account ids may be touched by this stack (provider `allowed_account_ids`). @default - any */
  readonly allowedAccountIds?: string[];
  /** The VPC CIDR block. @default '10.0.0.0/16' */
  readonly vpcCidr: string;
  /** Availability zones to span. @default 2 */
  readonly azCount: number;
  /** NAT gateways: 'none' | 'single' | 'per-az'. @default 'single' */
  readonly natGateways: NatGatewayMode;
  /** Retention of every log group the stack creates, in days. @default 30 */
  readonly logRetentionDays: number;
  /** Extra tags for every resource, beside project, environment and managed-by. @default {} */
  readonly tags: Record<string, string>;
  /** S3 bucket for shared state (S3 backend with a lock file). @default - local state */
  readonly stateBucket?: string;
  /** Region of the state bucket. @default - the stack's region */
  readonly stateRegion?: string;
  /**
   * A KMS key (by key ARN, in the state bucket's region) the S3 backend encrypts state with (SSE-KMS):
   * reading state then needs `kms:Decrypt` on it as well as `s3:GetObject`. Only with `stateBucket`.
   * @default - SSE-S3 (`encrypt = true`, S3-managed keys)
   */
  readonly stateKmsKeyArn?: string;
  /** HCP Terraform organization (with `tfcWorkspace`: the cloud backend). @default - not used */
  readonly tfcOrganization?: string;
  /** HCP Terraform workspace for this environment. @default - not used */
  readonly tfcWorkspace?: string;
  /** HCP Terraform / Terraform Enterprise host name. @default 'app.terraform.io' */
  readonly tfcHostname?: string;
  /** An existing Bedrock agent to invoke (with `bedrockAgentAliasId`). @default - the stack creates one */
  readonly bedrockAgentId?: string;
  /** The alias of the existing agent. @default - the stack creates one */
  readonly bedrockAgentAliasId?: string;
  /**
   * Model or inference-profile id of the agent the stack creates. @default - Claude Haiku 5.5 through the
   * region's geographic inference profile ('us.anthropic.claude-haiku-5-5' in us-west-2)
   */
  readonly bedrockFoundationModel?: string;
  /**
   * Existing knowledge bases the agent the stack creates queries: knowledge base id -> what the agent
   * should use it for (`{"KB12345678": "Product manuals and the returns policy"}`). Not with
   * `bedrockAgentId`: associate knowledge bases with your own agent yourself. @default - none
   */
  readonly bedrockKnowledgeBases?: Record<string, string>;
  /**
   * The app manages API Gateway's CloudWatch role (access and execution logs need it) in an account-level
   * stack of its own (`account-<region>`), shared by the environments in that account and region, so
   * that destroying one environment leaves the others logging. `false`: the account already has it (set
   * by an administrator or another app; `npm run preflight` checks). @default true
   */
  readonly manageApiGatewayAccount: boolean;
  /**
   * An SNS topic (in the stack's region) every alarm of the stack notifies, on alarm and back to OK: the
   * chatbot's errors, throttles and "enquiry not queued", the consumer's errors and throttles, the queue's
   * DLQ depth and oldest message age, the API's 5XX rate. @default - the alarms notify no one
   */
  readonly alarmTopicArn?: string;
  /** Instance type of the ECS cluster running the ADOT collector. @default 't2.medium' */
  readonly ecsInstanceType: string;
  /** Instances of the ECS cluster: minimum, desired at creation, maximum. @default 1, 1, 2 */
  readonly ecsMinSize: number;
  readonly ecsDesiredCapacity: number;
  readonly ecsMaxSize: number;
  /**
   * The failure switch: the chatbot's knowledge lookup throws "Simulated failure in knowledge base
   * query", so the API answers 500 and X-Ray shows the fault. @default false
   */
  readonly simulateFailure: boolean;
}

/** The project name: a tag on every resource and the state key prefix. */
export const PROJECT = 'traced-chatbot';

export const DEFAULT_ENVIRONMENTS = ['dev', 'prod'];

export const DEFAULTS: Omit<EnvironmentConfig, 'name'> = {
  region: 'us-west-2',
  vpcCidr: '10.0.0.0/16',
  azCount: 2,
  natGateways: 'single',
  logRetentionDays: 30,
  tags: {},
  manageApiGatewayAccount: true,
  ecsInstanceType: 't2.medium',
  ecsMinSize: 1,
  ecsDesiredCapacity: 1,
  ecsMaxSize: 2,
  simulateFailure: false,
};

type Kind = 'string' | 'number' | 'boolean' | 'string[]' | 'tags' | 'map';

/** Every settable field and its type: the parser and the error messages are driven by this table. */
export const FIELDS: Record<Exclude<keyof EnvironmentConfig, 'name'>, Kind> = {
  region: 'string',
  allowedAccountIds: 'string[]',
  vpcCidr: 'string',
  azCount: 'number',
  natGateways: 'string',
  logRetentionDays: 'number',
  tags: 'tags',
  stateBucket: 'string',
  stateRegion: 'string',
  stateKmsKeyArn: 'string',
  tfcOrganization: 'string',
  tfcWorkspace: 'string',
  tfcHostname: 'string',
  bedrockAgentId: 'string',
  bedrockAgentAliasId: 'string',
  bedrockFoundationModel: 'string',
  bedrockKnowledgeBases: 'map',
  manageApiGatewayAccount: 'boolean',
  alarmTopicArn: 'string',
  ecsInstanceType: 'string',
  ecsMinSize: 'number',
  ecsDesiredCapacity: 'number',
  ecsMaxSize: 'number',
  simulateFailure: 'boolean',
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** `logRetentionDays` → `LOG_RETENTION_DAYS`. */
export function envVarSuffix(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function fail(source: string, rule: string, value: unknown): never {
  throw new ConfigError(`Configuration: ${source} must be ${rule}, got ${JSON.stringify(value)}`);
}

/** Parses an environment variable's text into the field's type. */
function fromEnvText(kind: Kind, text: string, source: string): unknown {
  switch (kind) {
    case 'string':
      return text;
    case 'number': {
      if (!/^-?\d+(\.\d+)?$/.test(text.trim())) fail(source, 'a number', text);
      return Number(text);
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') fail(source, '"true" or "false"', text);
      return text === 'true';
    case 'string[]':
      return text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    case 'tags':
    case 'map': {
      try {
        return JSON.parse(text);
      } catch {
        return fail(source, kind === 'tags' ? 'a JSON object of tags' : 'a JSON object of strings', text);
      }
    }
  }
}

function checkKind(kind: Kind, value: unknown, source: string): void {
  const ok =
    kind === 'string[]'
      ? Array.isArray(value) && value.every((v) => typeof v === 'string')
      : kind === 'tags' || kind === 'map'
        ? typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.values(value).every((v) => typeof v === 'string')
        : typeof value === kind;
  const rule =
    kind === 'tags' ? 'an object of string tags' : kind === 'map' ? 'an object of strings' : `of type ${kind}`;
  if (!ok) fail(source, rule, value);
}

function overlay(target: Record<string, unknown>, values: Record<string, unknown>, where: string): void {
  for (const [key, value] of Object.entries(values)) {
    if (!(key in FIELDS)) {
      throw new ConfigError(
        `Configuration: ${where} has an unknown key "${key}"; known keys: ${Object.keys(FIELDS).join(', ')}`,
      );
    }
    checkKind(FIELDS[key as keyof typeof FIELDS], value, `${where}.${key}`);
    target[key] = value;
  }
}

// 16 characters: every name derived from it (`<env>-chatbot-faults`, `<env>-observability-adot-execution`,
// the agent's service role) stays within its AWS limit.
const NAME = /^[a-z][a-z0-9-]{0,15}$/;

/**
 * Resolves the configuration of every environment to synthesize.
 *
 * @param context the app's `environments` context value (from cdktf.json), or undefined
 * @param env the process environment (`process.env`)
 */
export function loadConfig(context: unknown, env: Record<string, string | undefined>): EnvironmentConfig[] {
  if (context !== undefined && (typeof context !== 'object' || context === null || Array.isArray(context))) {
    fail('cdktf.json context.environments', 'an object keyed by environment name', context);
  }
  const fromContext = (context ?? {}) as Record<string, unknown>;
  const declared = Object.keys(fromContext).length > 0 ? Object.keys(fromContext) : DEFAULT_ENVIRONMENTS;
  const selected = env.TRACED_ENVIRONMENTS
    ? env.TRACED_ENVIRONMENTS.split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : declared;
  for (const name of selected) {
    if (!declared.includes(name)) {
      fail('TRACED_ENVIRONMENTS', `a list of declared environments (${declared.join(', ')})`, env.TRACED_ENVIRONMENTS);
    }
  }
  if (selected.length === 0) fail('TRACED_ENVIRONMENTS', 'a non-empty list', env.TRACED_ENVIRONMENTS);

  const prefixes = (name: string) => ['TRACED_', `TRACED_${envVarSuffix(name).replace(/-/g, '_')}_`];
  const knownVars = new Set(['TRACED_ENVIRONMENTS']);
  for (const name of declared) {
    for (const prefix of prefixes(name))
      for (const field of Object.keys(FIELDS)) knownVars.add(prefix + envVarSuffix(field));
  }
  const configs = selected.map((name) => {
    if (!NAME.test(name))
      fail('an environment name', '1..16 lower-case letters, digits and hyphens, starting with a letter', name);
    const merged: Record<string, unknown> = { ...DEFAULTS, tags: { ...DEFAULTS.tags } };
    const own = fromContext[name] ?? {};
    if (typeof own !== 'object' || own === null || Array.isArray(own)) {
      fail(`cdktf.json context.environments.${name}`, 'an object', own);
    }
    overlay(merged, own as Record<string, unknown>, `cdktf.json context.environments.${name}`);
    for (const prefix of prefixes(name)) {
      for (const [field, kind] of Object.entries(FIELDS)) {
        const variable = prefix + envVarSuffix(field);
        const text = env[variable];
        if (text === undefined || text === '') continue;
        const value = fromEnvText(kind, text, variable);
        checkKind(kind, value, variable);
        merged[field] = value;
      }
    }
    const config = { ...merged, name } as EnvironmentConfig;
    checkEnvironment(config);
    return config;
  });

  // A misspelt variable would otherwise be ignored without a word.
  for (const variable of Object.keys(env)) {
    if (variable.startsWith('TRACED_') && !knownVars.has(variable)) {
      throw new ConfigError(`Configuration: unknown environment variable ${variable}; see README "Configuration"`);
    }
  }
  return configs;
}

/** Cross-field checks of one environment. Ranges of construct props are checked by the constructs. */
function checkEnvironment(c: EnvironmentConfig): void {
  const at = (field: string) => `environments.${c.name}.${field}`;
  if (!AWS_REGION_PATTERN.test(c.region)) fail(at('region'), 'an AWS region name like "us-west-2"', c.region);
  if (c.stateRegion !== undefined && !AWS_REGION_PATTERN.test(c.stateRegion))
    fail(at('stateRegion'), 'an AWS region name', c.stateRegion);
  for (const id of c.allowedAccountIds ?? []) {
    if (!/^\d{12}$/.test(id)) fail(at('allowedAccountIds'), 'a list of 12-digit account ids', c.allowedAccountIds);
  }
  if (c.tfcOrganization !== undefined && c.stateBucket !== undefined) {
    fail(at('stateBucket'), 'unset when tfcOrganization is set (choose one backend)', c.stateBucket);
  }
  if ((c.tfcOrganization === undefined) !== (c.tfcWorkspace === undefined)) {
    fail(at('tfcWorkspace'), 'set together with tfcOrganization', c.tfcWorkspace ?? null);
  }
  if ((c.bedrockAgentId === undefined) !== (c.bedrockAgentAliasId === undefined)) {
    fail(at('bedrockAgentAliasId'), 'set together with bedrockAgentId', c.bedrockAgentAliasId ?? null);
  }
  if (c.bedrockAgentId !== undefined && c.bedrockKnowledgeBases !== undefined) {
    fail(
      at('bedrockKnowledgeBases'),
      'unset when bedrockAgentId is set (associate knowledge bases with your own agent; they apply to the agent the stack creates)',
      c.bedrockKnowledgeBases,
    );
  }
  if (c.stateBucket !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(c.stateBucket)) {
    fail(at('stateBucket'), 'an S3 bucket name', c.stateBucket);
  }
  if (c.alarmTopicArn !== undefined) {
    const problem = arnProblem(c.alarmTopicArn, SNS_TOPIC_ARN);
    if (problem !== undefined) fail(at('alarmTopicArn'), problem, c.alarmTopicArn);
    // CloudWatch notifies a topic of the alarm's own region only.
    if (c.alarmTopicArn.split(':')[3] !== c.region)
      fail(at('alarmTopicArn'), `a topic in the stack's region, ${c.region}`, c.alarmTopicArn);
  }
  if (c.stateKmsKeyArn !== undefined) {
    if (c.stateBucket === undefined)
      fail(at('stateKmsKeyArn'), "set only with stateBucket (it encrypts the S3 backend's state)", c.stateKmsKeyArn);
    const problem = arnProblem(c.stateKmsKeyArn, KMS_KEY_ARN);
    if (problem !== undefined) fail(at('stateKmsKeyArn'), problem, c.stateKmsKeyArn);
    // SSE-KMS needs a key in the bucket's region.
    const keyRegion = c.stateKmsKeyArn.split(':')[3];
    const bucketRegion = c.stateRegion ?? c.region;
    if (keyRegion !== bucketRegion)
      fail(at('stateKmsKeyArn'), `a key in the state bucket's region, ${bucketRegion}`, c.stateKmsKeyArn);
  }
}
