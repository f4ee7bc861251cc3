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

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, 'account').accountId;
    this.region = new DataAwsRegion(this, 'region').region;
    const partition = new DataAwsPartition(this, 'partition');
    this.partition = partition.partition;
    this.dnsSuffix = partition.dnsSuffix;
  }

  /** `arn:<partition>:<service>:<region>:<account>:<resource>`; pass `''` for a global service's region. */
  public arn(service: string, resource: string, region: string = this.region): string {
    return `arn:${this.partition}:${service}:${region}:${this.accountId}:${resource}`;
  }
}
