/**
 * The preflight checks: each asks AWS about one thing the synthesized stack relies on and answers
 * ok, or what is wrong with the exact fix. A check that cannot ask (no permission, no network) says
 * so and how to let it.
 */
import { GetAccountCommand } from '@aws-sdk/client-api-gateway';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  GetFoundationModelAvailabilityCommand,
  GetFoundationModelCommand,
  GetInferenceProfileCommand,
} from '@aws-sdk/client-bedrock';
import { DescribeLogGroupsCommand, ListTagsForResourceCommand as ListLogTags } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeLaunchTemplatesCommand } from '@aws-sdk/client-ec2';
import { DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { GetInstanceProfileCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import {
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetLayerVersionByArnCommand,
} from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand, ListQueueTagsCommand } from '@aws-sdk/client-sqs';
import { GetParameterCommand, ListTagsForResourceCommand as ListParameterTags } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  GetGroupCommand,
  GetSamplingRulesCommand,
  ListTagsForResourceCommand as ListXrayTags,
} from '@aws-sdk/client-xray';
import {
  defaultAgentModel,
  geographicProfilePrefix,
  modelLifecycleFinding,
  parseModelRef,
} from '../modules/chat-agent/models';
import type { Clients } from './clients';
import type { NamedResource, StackFacts } from './stack';

export type Status = 'ok' | 'warn' | 'fail' | 'error';

export interface Finding {
  /** Which check: `account`, `model`, `adot-layer`, `ami`, `concurrency`, `api-gateway-account`, `names`. */
  readonly check: string;
  readonly status: Status;
  readonly message: string;
  /** What to do, for anything but ok. */
  readonly fix?: string;
}

export interface CheckContext {
  readonly facts: StackFacts;
  readonly aws: Clients;
  /** `YYYY-MM-DD`, for the model lifecycle table. */
  readonly today: string;
  /** The account the credentials belong to (set by the account check). */
  accountId?: string;
}

const nameOf = (e: unknown) => String((e as { name?: string })?.name ?? '');
const codeOf = (e: unknown) => String((e as { Code?: string })?.Code ?? nameOf(e));
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Whether an SDK error means "the thing does not exist". */
function isNotFound(e: unknown, ...names: string[]): boolean {
  const n = nameOf(e);
  return names.includes(n) || names.includes(codeOf(e));
}

/** A finding for a call that could not be made: which permission (or what else) is missing. */
function couldNotCheck(check: string, action: string, subject: string, e: unknown): Finding {
  const denied = /AccessDenied|UnauthorizedOperation|AuthorizationError|not authorized/i.test(
    `${nameOf(e)} ${messageOf(e)}`,
  );
  return {
    check,
    status: 'error',
    message: `could not check ${subject}: ${nameOf(e) || 'Error'}: ${messageOf(e)}`,
    fix: denied
      ? `allow ${action} to the identity running preflight (read-only), then run it again`
      : `run preflight again; if it persists, check the network and credentials (${action})`,
  };
}

/** Credentials work, and the account is one the stack may touch. */
export async function checkAccount(ctx: CheckContext): Promise<Finding[]> {
  let identity: { Account?: string; Arn?: string };
  try {
    identity = await ctx.aws.sts.send(new GetCallerIdentityCommand({}));
  } catch (e) {
    const credentials = /Credential|ExpiredToken|InvalidClientTokenId|SignatureDoesNotMatch|UnrecognizedClient/i.test(
      `${nameOf(e)} ${messageOf(e)}`,
    );
    return [
      {
        check: 'account',
        status: 'error',
        message: `${credentials ? 'no usable AWS credentials' : 'could not reach AWS STS'}: ${nameOf(e) || 'Error'}: ${messageOf(e)}`,
        fix: credentials
          ? 'set AWS_PROFILE (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN) for the target account'
          : 'check the network (proxy, VPN) and that sts is reachable in the stack region',
      },
    ];
  }
  ctx.accountId = identity.Account;
  const allowed = ctx.facts.allowedAccountIds;
  if (allowed && allowed.length > 0 && !allowed.includes(String(identity.Account))) {
    return [
      {
        check: 'account',
        status: 'fail',
        message: `the credentials are for account ${identity.Account} (${identity.Arn}); stack ${ctx.facts.stack} may only touch ${allowed.join(', ')}`,
        fix: `use credentials for ${allowed.join(' or ')}, or change allowedAccountIds of ${ctx.facts.stack}`,
      },
    ];
  }
  return [{ check: 'account', status: 'ok', message: `account ${identity.Account} as ${identity.Arn}` }];
}

/** Each agent's model: its lifecycle (table and live), that it is served on demand here, and access. */
export async function checkModels(ctx: CheckContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  const { region } = ctx.facts;
  for (const { address, model } of ctx.facts.agentModels) {
    const check = 'model';
    const parsed = parseModelRef(model);
    if (!parsed) {
      findings.push({
        check,
        status: 'fail',
        message: `${address}: "${model}" is not a model or inference-profile id`,
      });
      continue;
    }
    const known = modelLifecycleFinding(model, region, ctx.today);
    if (known?.severity === 'error') {
      findings.push({
        check,
        status: 'fail',
        message: known.message,
        fix: `set bedrockFoundationModel (or the agent's foundationModel) to "${defaultAgentModel(region) ?? 'an Active model'}"`,
      });
      continue;
    }
    if (known)
      findings.push({
        check,
        status: 'warn',
        message: known.message,
        fix: `plan a move to "${defaultAgentModel(region) ?? 'an Active model'}"`,
      });

    if (parsed.kind === 'inference-profile') {
      try {
        const profile = await ctx.aws.bedrock.send(
          new GetInferenceProfileCommand({ inferenceProfileIdentifier: model }),
        );
        const regions = [...new Set((profile.models ?? []).map((m) => String(m.modelArn).split(':')[3]))].sort();
        if (profile.status !== 'ACTIVE') {
          findings.push({
            check,
            status: 'fail',
            message: `inference profile ${model} is ${profile.status} in ${region}`,
            fix: 'choose an ACTIVE inference profile',
          });
        } else {
          findings.push({
            check,
            status: 'ok',
            message: `inference profile ${model} is ACTIVE in ${region}, routing to ${regions.join(', ') || 'no regions listed'}`,
          });
        }
      } catch (e) {
        if (isNotFound(e, 'ResourceNotFoundException', 'ValidationException')) {
          findings.push({
            check,
            status: 'fail',
            message: `inference profile ${model} does not exist in ${region}: ${messageOf(e)}`,
            fix: `use a profile offered in ${region} (aws bedrock list-inference-profiles --region ${region}), e.g. "${defaultAgentModel(region) ?? parsed.modelId}"`,
          });
          continue;
        }
        findings.push(couldNotCheck(check, 'bedrock:GetInferenceProfile', `inference profile ${model}`, e));
      }
    }

    try {
      const { modelDetails } = await ctx.aws.bedrock.send(
        new GetFoundationModelCommand({ modelIdentifier: parsed.modelId }),
      );
      const life = modelDetails?.modelLifecycle;
      if (life?.status === 'LEGACY') {
        const eol = life.endOfLifeTime ? ` until ${life.endOfLifeTime.toISOString().slice(0, 10)}` : '';
        findings.push({
          check,
          status: 'warn',
          message: `${parsed.modelId} is LEGACY in ${region}${eol}`,
          fix: `plan a move to "${defaultAgentModel(region) ?? 'an Active model'}"`,
        });
      } else {
        findings.push({
          check,
          status: 'ok',
          message: `${parsed.modelId} is ${life?.status ?? 'listed'} in ${region}`,
        });
      }
      const types = modelDetails?.inferenceTypesSupported ?? [];
      if (parsed.kind === 'foundation-model' && !types.includes('ON_DEMAND')) {
        const prefix = geographicProfilePrefix(region);
        findings.push({
          check,
          status: 'fail',
          message: `${parsed.modelId} is not served on demand in ${region} (only ${types.join(', ') || 'nothing'}): invoking it fails`,
          fix: prefix ? `use its inference profile "${prefix}.${parsed.modelId}"` : 'use one of its inference profiles',
        });
      }
    } catch (e) {
      if (isNotFound(e, 'ResourceNotFoundException', 'ValidationException')) {
        findings.push({
          check,
          status: 'fail',
          message: `${parsed.modelId} is not available in ${region} (past its end of life, or never offered here): ${messageOf(e)}`,
          fix: `use "${defaultAgentModel(region) ?? 'an Active model'}"`,
        });
        continue;
      }
      findings.push(couldNotCheck(check, 'bedrock:GetFoundationModel', parsed.modelId, e));
      continue;
    }

    try {
      const a = await ctx.aws.bedrock.send(new GetFoundationModelAvailabilityCommand({ modelId: parsed.modelId }));
      const problems = [
        a.regionAvailability === 'NOT_AVAILABLE' && 'not offered in this region',
        a.authorizationStatus === 'NOT_AUTHORIZED' && 'not authorized for this account (IAM or an SCP denies it)',
        a.entitlementAvailability === 'NOT_AVAILABLE' && 'no entitlement (model access not granted)',
        a.agreementAvailability?.status !== undefined &&
          a.agreementAvailability.status !== 'AVAILABLE' &&
          `agreement ${a.agreementAvailability.status}${a.agreementAvailability.errorMessage ? `: ${a.agreementAvailability.errorMessage}` : ''}`,
      ].filter((p): p is string => typeof p === 'string');
      findings.push(
        problems.length === 0
          ? { check, status: 'ok', message: `${parsed.modelId}: this account may use it in ${region}` }
          : {
              check,
              status: 'fail',
              message: `${parsed.modelId} in ${region}: ${problems.join('; ')}`,
              fix: `open the Amazon Bedrock console in ${region}, Model catalog > ${parsed.modelId}, and request access (Anthropic models ask for use-case details once)`,
            },
      );
    } catch (e) {
      findings.push(couldNotCheck(check, 'bedrock:GetFoundationModelAvailability', `access to ${parsed.modelId}`, e));
    }
  }
  return findings;
}

/** Every Lambda layer version the functions name exists and is readable in the region. */
export async function checkLayers(ctx: CheckContext): Promise<Finding[]> {
  return Promise.all(
    ctx.facts.layers.map(async ({ arn, functions }): Promise<Finding> => {
      try {
        await ctx.aws.lambda.send(new GetLayerVersionByArnCommand({ Arn: arn }));
        return { check: 'adot-layer', status: 'ok', message: `${arn} exists (used by ${functions.join(', ')})` };
      } catch (e) {
        if (isNotFound(e, 'ResourceNotFoundException', 'AccessDeniedException')) {
          return {
            check: 'adot-layer',
            status: 'fail',
            message: `${arn} cannot be used in ${ctx.facts.region}: ${nameOf(e)}: ${messageOf(e)}`,
            fix: `update the ADOT layer table (modules/traced-function/layers.ts) for ${ctx.facts.region} from https://aws-otel.github.io/docs/getting-started/lambda, or set adot: 'none' on ${functions.join(', ')}`,
          };
        }
        return couldNotCheck('adot-layer', 'lambda:GetLayerVersion', arn, e);
      }
    }),
  );
}

/** Every SSM parameter the stack reads (the ECS-optimized AMI id) resolves. */
export async function checkSsmParameters(ctx: CheckContext): Promise<Finding[]> {
  return Promise.all(
    ctx.facts.ssmParameters.map(async ({ address, name }): Promise<Finding> => {
      try {
        const { Parameter } = await ctx.aws.ssm.send(new GetParameterCommand({ Name: name }));
        return { check: 'ami', status: 'ok', message: `${name} = ${Parameter?.Value} (${address})` };
      } catch (e) {
        if (isNotFound(e, 'ParameterNotFound')) {
          return {
            check: 'ami',
            status: 'fail',
            message: `${name} does not resolve in ${ctx.facts.region} (${address})`,
            fix: `use an ECS-optimized AMI parameter published in ${ctx.facts.region} (aws ssm get-parameters-by-path --path /aws/service/ecs/optimized-ami --region ${ctx.facts.region})`,
          };
        }
        return couldNotCheck('ami', 'ssm:GetParameter', name, e);
      }
    }),
  );
}

/**
 * The functions' reserved concurrency fits: Lambda keeps at least 100 (or the whole limit, when it
 * is lower) unreserved. Reservations the functions already hold (a re-deploy) are counted back.
 */
export async function checkConcurrency(ctx: CheckContext): Promise<Finding[]> {
  const check = 'concurrency';
  const wanted = ctx.facts.reservedConcurrency;
  if (wanted.length === 0) return [{ check, status: 'ok', message: 'no function reserves concurrency' }];
  let limit: number;
  let unreserved: number;
  try {
    const { AccountLimit } = await ctx.aws.lambda.send(new GetAccountSettingsCommand({}));
    limit = Number(AccountLimit?.ConcurrentExecutions);
    unreserved = Number(AccountLimit?.UnreservedConcurrentExecutions);
  } catch (e) {
    return [couldNotCheck(check, 'lambda:GetAccountSettings', 'the account concurrency', e)];
  }
  let held = 0;
  for (const { functionName } of wanted) {
    try {
      const r = await ctx.aws.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName }));
      held += r.ReservedConcurrentExecutions ?? 0;
    } catch (e) {
      if (!isNotFound(e, 'ResourceNotFoundException')) {
        return [couldNotCheck(check, 'lambda:GetFunctionConcurrency', functionName, e)];
      }
    }
  }
  const total = wanted.reduce((n, w) => n + w.reserved, 0);
  const floor = Math.min(100, limit);
  const left = unreserved + held - total;
  const detail = `${wanted.map((w) => `${w.functionName} ${w.reserved}`).join(', ')}: ${total} reserved; account limit ${limit}, unreserved ${unreserved}${held ? ` (+${held} these functions hold already)` : ''}`;
  if (left >= floor) return [{ check, status: 'ok', message: `${detail}; ${left} stay unreserved (minimum ${floor})` }];
  return [
    {
      check,
      status: 'fail',
      message: `${detail}; that would leave ${left} unreserved, Lambda keeps at least ${floor}: the functions fail to create`,
      fix: `request a Lambda "Concurrent executions" quota of at least ${total + 100 + (limit - unreserved - held)} (Service Quotas, code L-B99A9384, in ${ctx.facts.region}), or lower reservedConcurrency`,
    },
  ];
}

/** The account-wide API Gateway CloudWatch role: owned once, and present when stages log. */
export async function checkApiGatewayAccount(ctx: CheckContext): Promise<Finding[]> {
  const check = 'api-gateway-account';
  const { facts } = ctx;
  let current: string | undefined;
  try {
    current = (await ctx.aws.apiGateway.send(new GetAccountCommand({}))).cloudwatchRoleArn || undefined;
  } catch (e) {
    return [
      couldNotCheck(check, 'apigateway:GET on arn:aws:apigateway:<region>::/account', 'the API Gateway account', e),
    ];
  }
  const currentName = current?.split('/').pop();
  if (facts.managesApiGatewayAccount) {
    if (current && currentName !== facts.apiGatewayRoleName) {
      return [
        {
          check,
          status: 'warn',
          message: `the account's API Gateway CloudWatch role is ${current}, not this stack's ${facts.apiGatewayRoleName}: applying replaces it, destroying the stack leaves the account pointing at a deleted role`,
          fix: facts.stack.startsWith('account-')
            ? // The app's account-level stack: the setting is the environments' (no environment is named so).
              `if another stack or tool owns it, set manageApiGatewayAccount=false for the environments in this account and region (TRACED_MANAGE_API_GATEWAY_ACCOUNT=false, or in cdktf.json): the app then makes no ${facts.stack} stack`
            : `if another stack or tool owns it, set manageApiGatewayAccount=false for ${facts.stack} (TRACED_${facts.stack.toUpperCase().replace(/-/g, '_')}_MANAGE_API_GATEWAY_ACCOUNT=false)`,
        },
      ];
    }
    return [
      {
        check,
        status: 'ok',
        message: `this stack sets the account's CloudWatch role (${facts.apiGatewayRoleName})${current ? '; it is set to it already' : ''}`,
      },
    ];
  }
  if (!facts.apiGatewayNeedsAccountRole)
    return [{ check, status: 'ok', message: 'no stage logs to CloudWatch: no account role needed' }];
  if (!current) {
    return [
      {
        check,
        status: 'fail',
        message: `stages of ${facts.stack} log to CloudWatch, but the account has no API Gateway CloudWatch role in ${facts.region}: the stage fails to create`,
        fix: facts.apiGatewayAccountStack
          ? `apply the account-level stack ${facts.apiGatewayAccountStack} first (npm run apply -- ${facts.apiGatewayAccountStack}): it sets the role`
          : `set manageApiGatewayAccount=true (an account-level stack sets it), or set the role yourself: aws apigateway update-account --patch-operations op=replace,path=/cloudwatchRoleArn,value=<role arn> --region ${facts.region}`,
      },
    ];
  }
  try {
    await ctx.aws.iam.send(new GetRoleCommand({ RoleName: currentName }));
    return [{ check, status: 'ok', message: `the account's API Gateway CloudWatch role ${current} exists` }];
  } catch (e) {
    if (isNotFound(e, 'NoSuchEntityException', 'NoSuchEntity')) {
      return [
        {
          check,
          status: 'fail',
          message: `the account's API Gateway CloudWatch role ${current} does not exist (deleted with another stack?): stage logging fails`,
          fix: `re-create it, or let one stack manage it (manageApiGatewayAccount=true)`,
        },
      ];
    }
    return [couldNotCheck(check, 'iam:GetRole', current, e)];
  }
}

type Tags = Record<string, string>;
/** Looks a name up: undefined when it is free, its tags (and an import id) when it exists. */
type Lookup = (aws: Clients, name: string) => Promise<{ tags: Tags; importId: string } | undefined>;

const fromPairs = (pairs: { Key?: string; Value?: string; key?: string; value?: string }[] | undefined): Tags =>
  Object.fromEntries((pairs ?? []).map((p) => [p.Key ?? p.key ?? '', p.Value ?? p.value ?? '']));

/** How to find each type by name, and the permission it takes. */
export const LOOKUPS: Readonly<Record<string, { action: string; lookup: Lookup }>> = {
  aws_lambda_function: {
    action: 'lambda:GetFunction',
    lookup: async (aws, name) => {
      try {
        const r = await aws.lambda.send(new GetFunctionCommand({ FunctionName: name }));
        return { tags: r.Tags ?? {}, importId: name };
      } catch (e) {
        if (isNotFound(e, 'ResourceNotFoundException')) return undefined;
        throw e;
      }
    },
  },
  aws_sqs_queue: {
    action: 'sqs:GetQueueUrl and sqs:ListQueueTags',
    lookup: async (aws, name) => {
      let url: string | undefined;
      try {
        url = (await aws.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
      } catch (e) {
        if (isNotFound(e, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue')) return undefined;
        throw e;
      }
      const { Tags } = await aws.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }));
      return { tags: Tags ?? {}, importId: String(url) };
    },
  },
  aws_iam_role: {
    action: 'iam:GetRole',
    lookup: async (aws, name) => {
      try {
        const { Role } = await aws.iam.send(new GetRoleCommand({ RoleName: name }));
        return { tags: fromPairs(Role?.Tags), importId: name };
      } catch (e) {
        if (isNotFound(e, 'NoSuchEntityException', 'NoSuchEntity')) return undefined;
        throw e;
      }
    },
  },
  aws_iam_instance_profile: {
    action: 'iam:GetInstanceProfile',
    lookup: async (aws, name) => {
      try {
        const { InstanceProfile } = await aws.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name }));
        return { tags: fromPairs(InstanceProfile?.Tags), importId: name };
      } catch (e) {
        if (isNotFound(e, 'NoSuchEntityException', 'NoSuchEntity')) return undefined;
        throw e;
      }
    },
  },
  aws_cloudwatch_log_group: {
    action: 'logs:DescribeLogGroups and logs:ListTagsForResource',
    lookup: async (aws, name) => {
      const { logGroups } = await aws.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
      const group = logGroups?.find((g) => g.logGroupName === name);
      if (!group) return undefined;
      const arn = group.logGroupArn ?? String(group.arn).replace(/:\*$/, '');
      const { tags } = await aws.logs.send(new ListLogTags({ resourceArn: arn }));
      return { tags: tags ?? {}, importId: name };
    },
  },
  aws_launch_template: {
    action: 'ec2:DescribeLaunchTemplates',
    lookup: async (aws, name) => {
      try {
        const { LaunchTemplates } = await aws.ec2.send(
          new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [name] }),
        );
        const t = LaunchTemplates?.[0];
        return t ? { tags: fromPairs(t.Tags), importId: String(t.LaunchTemplateId) } : undefined;
      } catch (e) {
        if (isNotFound(e, 'InvalidLaunchTemplateName.NotFoundException')) return undefined;
        throw e;
      }
    },
  },
  aws_autoscaling_group: {
    action: 'autoscaling:DescribeAutoScalingGroups',
    lookup: async (aws, name) => {
      const { AutoScalingGroups } = await aws.autoScaling.send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
      );
      const g = AutoScalingGroups?.[0];
      return g ? { tags: fromPairs(g.Tags), importId: name } : undefined;
    },
  },
  aws_ecs_cluster: {
    action: 'ecs:DescribeClusters',
    lookup: async (aws, name) => {
      const { clusters } = await aws.ecs.send(new DescribeClustersCommand({ clusters: [name], include: ['TAGS'] }));
      // An INACTIVE (deleted) cluster keeps its name listed for a while but does not collide.
      const c = clusters?.find((x) => x.clusterName === name && x.status !== 'INACTIVE');
      return c ? { tags: fromPairs(c.tags), importId: name } : undefined;
    },
  },
  aws_xray_group: {
    action: 'xray:GetGroup and xray:ListTagsForResource',
    lookup: async (aws, name) => {
      let arn: string | undefined;
      try {
        arn = (await aws.xray.send(new GetGroupCommand({ GroupName: name }))).Group?.GroupARN;
      } catch (e) {
        if (isNotFound(e, 'InvalidRequestException') && /not found|does not exist/i.test(messageOf(e)))
          return undefined;
        throw e;
      }
      if (!arn) return undefined;
      const { Tags } = await aws.xray.send(new ListXrayTags({ ResourceARN: arn }));
      return { tags: fromPairs(Tags), importId: arn };
    },
  },
  aws_xray_sampling_rule: {
    action: 'xray:GetSamplingRules and xray:ListTagsForResource',
    lookup: async (aws, name) => {
      let token: string | undefined;
      do {
        const page = await aws.xray.send(new GetSamplingRulesCommand({ NextToken: token }));
        const rule = page.SamplingRuleRecords?.find((r) => r.SamplingRule?.RuleName === name)?.SamplingRule;
        if (rule) {
          const { Tags } = await aws.xray.send(new ListXrayTags({ ResourceARN: rule.RuleARN }));
          return { tags: fromPairs(Tags), importId: name };
        }
        token = page.NextToken;
      } while (token);
      return undefined;
    },
  },
  aws_ssm_parameter: {
    action: 'ssm:GetParameter and ssm:ListTagsForResource',
    lookup: async (aws, name) => {
      try {
        await aws.ssm.send(new GetParameterCommand({ Name: name }));
      } catch (e) {
        if (isNotFound(e, 'ParameterNotFound')) return undefined;
        throw e;
      }
      const { TagList } = await aws.ssm.send(new ListParameterTags({ ResourceType: 'Parameter', ResourceId: name }));
      return { tags: fromPairs(TagList), importId: name };
    },
  },
};

/** Whether `tags` mark a resource as this stack's: every default tag of its provider, same value. */
export function isOurs(tags: Tags, defaultTags: Readonly<Tags>): boolean {
  const wanted = Object.entries(defaultTags);
  return wanted.length > 0 && wanted.every(([k, v]) => tags[k] === v);
}

/** No physical name the stack creates is taken by something that is not this stack's. */
export async function checkNames(ctx: CheckContext): Promise<Finding[]> {
  const check = 'names';
  const results = await Promise.all(
    ctx.facts.names.map(async (r: NamedResource): Promise<Finding | null> => {
      const how = LOOKUPS[r.type];
      if (!how) return null;
      try {
        const found = await how.lookup(ctx.aws, r.name);
        if (!found) return null;
        if (isOurs(found.tags, ctx.facts.defaultTags)) {
          return { check, status: 'ok', message: `${r.address} "${r.name}" exists and is this stack's (a re-deploy)` };
        }
        const mark = Object.entries(ctx.facts.defaultTags)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ');
        return {
          check,
          status: 'fail',
          message: `${r.address}: a ${r.type.replace(/^aws_/, '')} named "${r.name}" already exists and is not this stack's (no tags ${mark}): apply fails`,
          fix: `if it is this stack's, import it (terraform import '${r.address}' '${found.importId}'); otherwise rename (another environment name) or delete the existing one`,
        };
      } catch (e) {
        return couldNotCheck(check, how.action, `${r.address} "${r.name}"`, e);
      }
    }),
  );
  const findings = results.filter((f): f is Finding => f !== null);
  const checked = ctx.facts.names.filter((r) => LOOKUPS[r.type]).length;
  if (!findings.some((f) => f.status !== 'ok')) {
    findings.push({ check, status: 'ok', message: `${checked} physical names checked: none taken by anything else` });
  }
  return findings;
}

/** Every check, in the order they print. The account check runs first: without credentials the rest is moot. */
export async function runChecks(ctx: CheckContext): Promise<Finding[]> {
  const account = await checkAccount(ctx);
  if (account.some((f) => f.status === 'error')) return account;
  const rest = await Promise.all([
    checkModels(ctx),
    checkLayers(ctx),
    checkSsmParameters(ctx),
    checkConcurrency(ctx),
    checkApiGatewayAccount(ctx),
    checkNames(ctx),
  ]);
  return [...account, ...rest.flat()];
}
