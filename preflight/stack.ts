/**
 * What preflight checks, read from a synthesized stack (`cdktf.out/stacks/<stack>/cdk.tf.json`).
 * Pure: no AWS calls.
 */

// Terraform JSON, read loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** A physical name the stack will create, and where it comes from. */
export interface NamedResource {
  /** Terraform resource type, e.g. `aws_lambda_function`. */
  readonly type: string;
  /** `<type>.<name>` as a plan shows it. */
  readonly address: string;
  readonly name: string;
}

export interface StackFacts {
  readonly stack: string;
  readonly region: string;
  readonly allowedAccountIds?: readonly string[];
  /** The provider's default tags: what marks a resource as this stack's. */
  readonly defaultTags: Readonly<Record<string, string>>;
  /** Models (or inference profiles) of the agents the stack creates. */
  readonly agentModels: readonly { readonly address: string; readonly model: string }[];
  /** Lambda layer ARNs, each with the functions that use it. */
  readonly layers: readonly { readonly arn: string; readonly functions: readonly string[] }[];
  /** SSM parameters the stack reads (data sources), e.g. the ECS-optimized AMI id. */
  readonly ssmParameters: readonly { readonly address: string; readonly name: string }[];
  /** Reserved concurrency per function name. */
  readonly reservedConcurrency: readonly { readonly functionName: string; readonly reserved: number }[];
  /** The stack manages the account-wide API Gateway CloudWatch role (`aws_api_gateway_account`). */
  readonly managesApiGatewayAccount: boolean;
  /** The name of the role it would set there, when it does (or the account-level stack it depends on does). */
  readonly apiGatewayRoleName?: string;
  /**
   * The stack of the app that manages that setting for this one (an account-level stack it depends on,
   * `account-us-west-2`), when this stack does not.
   */
  readonly apiGatewayAccountStack?: string;
  /** A stage writes access logs or execution logs: the account needs a CloudWatch role. */
  readonly apiGatewayNeedsAccountRole: boolean;
  readonly names: readonly NamedResource[];
}

/** The attribute that holds each type's physical name, for the types whose names collide. */
export const NAME_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_lambda_function: 'function_name',
  aws_sqs_queue: 'name',
  aws_iam_role: 'name',
  aws_iam_instance_profile: 'name',
  aws_cloudwatch_log_group: 'name',
  aws_launch_template: 'name',
  aws_autoscaling_group: 'name',
  aws_ecs_cluster: 'name',
  aws_xray_group: 'group_name',
  aws_xray_sampling_rule: 'rule_name',
  aws_ssm_parameter: 'name',
};

const entries = (json: Json, kind: 'resource' | 'data', type: string): [string, Json][] =>
  Object.entries((json[kind]?.[type] ?? {}) as Record<string, Json>);

/**
 * A string with the stack's own context references replaced (`${data.aws_region.<x>.region}` and
 * the like), or undefined when it still refers to something only known after apply.
 */
export function resolveName(value: unknown, context: { region: string; partition?: string }): string | undefined {
  if (typeof value !== 'string') return undefined;
  const resolved = value
    .replace(/\$\{data\.aws_region\.[^.}]+\.(?:region|name)\}/g, context.region)
    .replace(/\$\{data\.aws_partition\.[^.}]+\.partition\}/g, context.partition ?? 'aws');
  return resolved.includes('${') ? undefined : resolved;
}

/** Reads what preflight needs from a synthesized stack. Throws when the file is not a stack. */
/** The role an `aws_api_gateway_account` of a stack sets, by name, when the stack has one. */
function accountRoleName(json: Json, context: { region: string }): { manages: boolean; roleName?: string } {
  const account = entries(json, 'resource', 'aws_api_gateway_account')[0]?.[1];
  const roleRef = /^\$\{aws_iam_role\.([^.}]+)\.arn\}$/.exec(String(account?.cloudwatch_role_arn ?? ''))?.[1];
  return {
    manages: account !== undefined,
    roleName: roleRef ? resolveName(json.resource?.aws_iam_role?.[roleRef]?.name, context) : undefined,
  };
}

/**
 * Reads what preflight needs from a synthesized stack, and from the stacks it depends on (the account-level
 * stack that sets API Gateway's CloudWatch role for it). Throws when the file is not a stack.
 */
export function readStackFacts(
  stack: string,
  json: Json,
  dependencies: readonly { readonly name: string; readonly json: Json }[] = [],
): StackFacts {
  const provider = (json.provider?.aws ?? [])[0] as Json | undefined;
  if (!provider || typeof provider.region !== 'string') {
    throw new Error(`stack ${stack} has no AWS provider with a literal region`);
  }
  const region = provider.region as string;
  const context = { region };
  const defaultTags = (provider.default_tags?.[0]?.tags ?? {}) as Record<string, string>;

  const functions = entries(json, 'resource', 'aws_lambda_function');
  const layerUsers = new Map<string, string[]>();
  for (const [, fn] of functions) {
    for (const arn of (fn.layers ?? []) as string[]) {
      layerUsers.set(arn, [...(layerUsers.get(arn) ?? []), String(fn.function_name)]);
    }
  }

  const names: NamedResource[] = [];
  for (const [type, attribute] of Object.entries(NAME_ATTRIBUTES)) {
    for (const [id, r] of entries(json, 'resource', type)) {
      const name = resolveName(r[attribute], context);
      if (name !== undefined) names.push({ type, address: `${type}.${id}`, name });
    }
  }

  const own = accountRoleName(json, context);
  const owner = own.manages
    ? undefined
    : dependencies.map((d) => ({ name: d.name, ...accountRoleName(d.json, context) })).find((d) => d.manages);
  const stageLogs = entries(json, 'resource', 'aws_api_gateway_stage').some(([, s]) => {
    const logs = Array.isArray(s.access_log_settings) ? s.access_log_settings[0] : s.access_log_settings;
    return Boolean(logs?.destination_arn);
  });
  const methodLogs = entries(json, 'resource', 'aws_api_gateway_method_settings').some(([, m]) => {
    const settings = Array.isArray(m.settings) ? m.settings[0] : m.settings;
    return (settings?.logging_level ?? 'OFF') !== 'OFF' || settings?.data_trace_enabled === true;
  });

  return {
    stack,
    region,
    allowedAccountIds: provider.allowed_account_ids,
    defaultTags,
    agentModels: entries(json, 'resource', 'aws_bedrockagent_agent').map(([id, a]) => ({
      address: `aws_bedrockagent_agent.${id}`,
      model: String(a.foundation_model),
    })),
    layers: [...layerUsers].map(([arn, fns]) => ({ arn, functions: fns })),
    ssmParameters: entries(json, 'data', 'aws_ssm_parameter').map(([id, p]) => ({
      address: `data.aws_ssm_parameter.${id}`,
      name: String(p.name),
    })),
    reservedConcurrency: functions
      .filter(
        ([, fn]) => typeof fn.reserved_concurrent_executions === 'number' && fn.reserved_concurrent_executions >= 0,
      )
      .map(([, fn]) => ({
        functionName: String(fn.function_name),
        reserved: fn.reserved_concurrent_executions as number,
      })),
    managesApiGatewayAccount: own.manages,
    apiGatewayRoleName: own.manages ? own.roleName : owner?.roleName,
    apiGatewayAccountStack: owner?.name,
    apiGatewayNeedsAccountRole: stageLogs || methodLogs,
    names,
  };
}
