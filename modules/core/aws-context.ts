import { TerraformStack } from 'cdktf';
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

  public readonly accountId: string;
  public readonly region: string;
  public readonly partition: string;
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
