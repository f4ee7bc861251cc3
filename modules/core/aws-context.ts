import { TerraformProvider, TerraformStack, Token } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';

const ID = 'aws-context';

/**
 * The account, region and partition of a stack, as Terraform references. One set of data
 * sources per stack (`data.aws_caller_identity.aws`, ...), shared by every construct in it.
 */
export class AwsContext extends Construct {
  /** The stack's AwsContext, created on first use. */
  public static of(scope: IConstruct): AwsContext {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(ID);
    if (existing === undefined) return new AwsContext(stack, ID);
    if (existing instanceof AwsContext) return existing;
    throw new Error(
      `Stack "${stack.node.path}": the construct id "${ID}" is reserved for AwsContext; rename your construct`,
    );
  }

  /**
   * The region of the stack's default AWS provider (the `aws` provider without an alias) when it is a
   * literal at synth; undefined when there is no such provider or its region is a token (a variable).
   */
  public static providerRegion(scope: IConstruct): string | undefined {
    const region = defaultProvider(scope)?.region;
    return typeof region === 'string' && !Token.isUnresolved(region) ? region : undefined;
  }

  /**
   * The account of the stack's default AWS provider when its `allowed_account_ids` names exactly one
   * account at synth; undefined otherwise (any account may be the one).
   */
  public static providerAccount(scope: IConstruct): string | undefined {
    const ids = defaultProvider(scope)?.allowedAccountIds;
    if (!Array.isArray(ids) || Token.isUnresolved(ids) || ids.length !== 1) return undefined;
    return Token.isUnresolved(ids[0]) ? undefined : ids[0];
  }

  /** The account id (`data.aws_caller_identity`), a token. */
  public readonly accountId: string;
  /** The region name, e.g. `eu-west-1` (`data.aws_region`), a token. */
  public readonly region: string;
  /** The partition, e.g. `aws` or `aws-cn` (`data.aws_partition`), a token: use it in every ARN. */
  public readonly partition: string;
  /** The partition's DNS suffix, e.g. `amazonaws.com` (`data.aws_partition`), a token. */
  public readonly dnsSuffix: string;
  /**
   * The same values as bare Terraform expressions (`data.aws_region.<id>.region`), for use inside a
   * larger expression written by hand, where a token would nest one interpolation in another.
   */
  public readonly expressions: { readonly accountId: string; readonly region: string; readonly partition: string };

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const account = new DataAwsCallerIdentity(this, 'account');
    const region = new DataAwsRegion(this, 'region');
    const partition = new DataAwsPartition(this, 'partition');
    this.accountId = account.accountId;
    this.region = region.region;
    this.partition = partition.partition;
    this.dnsSuffix = partition.dnsSuffix;
    const stack = TerraformStack.of(this);
    this.expressions = {
      accountId: `data.aws_caller_identity.${stack.getLogicalId(account)}.account_id`,
      region: `data.aws_region.${stack.getLogicalId(region)}.region`,
      partition: `data.aws_partition.${stack.getLogicalId(partition)}.partition`,
    };
  }

  /** `arn:<partition>:<service>:<region>:<account>:<resource>`; pass `''` for a global service's region. */
  public arn(service: string, resource: string, region: string = this.region): string {
    return `arn:${this.partition}:${service}:${region}:${this.accountId}:${resource}`;
  }
}

/** The stack's AWS provider without an alias, if any. */
function defaultProvider(
  scope: IConstruct,
): (TerraformProvider & { readonly region?: string; readonly allowedAccountIds?: string[] }) | undefined {
  for (const child of TerraformStack.of(scope).node.children) {
    if (child instanceof TerraformProvider && child.terraformResourceType === 'aws' && child.alias === undefined)
      return child as TerraformProvider & { readonly region?: string; readonly allowedAccountIds?: string[] };
  }
  return undefined;
}
