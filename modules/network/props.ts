/** How private subnets reach the internet. See the module README for what each costs per month. */
export type NatGatewayMode = 'none' | 'single' | 'per-az';

export const NAT_GATEWAY_MODES: readonly NatGatewayMode[] = ['none', 'single', 'per-az'];

export interface NetworkProps {
  /**
   * A name prefix for the VPC's resources (Name tags, the flow log group and role).
   * 1..40 characters: lower-case letters, digits and hyphens.
   *
   * @default - the stack name and construct path, e.g. `dev-network`
   */
  readonly name?: string;

  /**
   * The VPC's IPv4 CIDR block: a network address (no host bits set) with a prefix length of
   * /16 to /24, since the VPC is cut into 16 equal slots and AWS subnets are at most /28.
   * Prefer an RFC 1918 range that does not overlap networks you peer with.
   *
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
   * @default '10.0.0.0/16'
   */
  readonly cidrBlock?: string;

  /**
   * How many availability zones to span, 1..6: one public and one private subnet in each. The
   * zones are the region's available ones that need no opt-in, in name order; a plan fails with
   * a clear message if the region has fewer.
   *
   * @default 2
   */
  readonly azCount?: number;

  /**
   * NAT gateways for the private subnets' outbound traffic:
   * `'none'` (private subnets have no internet route), `'single'` (one NAT gateway in the first
   * AZ, shared; an AZ outage cuts egress for all) or `'per-az'` (one per AZ, highly available).
   *
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
   * @default 'single'
   */
  readonly natGateways?: NatGatewayMode;

  /**
   * Days to keep VPC flow logs in CloudWatch Logs: a value CloudWatch accepts
   * (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
   * @default 30
   */
  readonly flowLogRetentionDays?: number;

  /**
   * A KMS key ARN to encrypt the flow log group with. The key policy must allow the CloudWatch
   * Logs service principal of the region.
   *
   * @default - CloudWatch Logs' own server-side encryption
   */
  readonly flowLogKmsKeyArn?: string;
}

/** The defaults, in one place. */
export const NETWORK_DEFAULTS = {
  cidrBlock: '10.0.0.0/16',
  azCount: 2,
  natGateways: 'single' as NatGatewayMode,
  flowLogRetentionDays: 30,
} as const;
