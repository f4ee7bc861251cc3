/** Network's inputs, described once: `props.ts`, the checks, the module variables and the README come from here. */
import { hcl, known, type Bool } from '../core/expr';
import { arn, choice, inputs, none, retentionDays, text, whole } from '../core/inputs';
import { KMS_KEY_ARN } from '../core/validation';
import { MAX_AZ_COUNT, MAX_VPC_PREFIX, VPC_PREFIX_RANGE, parseCidr } from './cidr';
import type { NetworkProps } from './props';

/** The NAT gateway modes. */
export const NAT_GATEWAY_MODES = ['none', 'single', 'per-az'] as const;

const PREFIX_RULE = `a /${VPC_PREFIX_RANGE.min} to /${MAX_VPC_PREFIX} block (AWS VPCs are /16 at most, and the 16 subnet slots must be at least /28)`;

/** What is wrong with a CIDR block, in words, or undefined when it is a usable VPC block. */
export function cidrProblem(cidr: string): string | undefined {
  const parsed = parseCidr(cidr);
  if (typeof parsed === 'string') return parsed;
  if (parsed.prefix < VPC_PREFIX_RANGE.min || parsed.prefix > MAX_VPC_PREFIX) return PREFIX_RULE;
  return undefined;
}

/** The same check, as Terraform sees it: an IPv4 network address with a usable prefix. */
function cidrCondition(cidr: string): Bool {
  const prefix = hcl`tonumber(split("/", ${cidr})[1])`;
  return hcl`try(can(regex("^[0-9.]+/[0-9]+$", ${cidr})) && cidrhost(${cidr}, 0) == split("/", ${cidr})[0] && ${prefix} >= ${VPC_PREFIX_RANGE.min} && ${prefix} <= ${MAX_VPC_PREFIX}, false)`;
}

export const NETWORK_INPUTS = inputs<NetworkProps>()(
  {
    name: text({
      doc: `A name prefix for the VPC's resources (Name tags, the flow log group and role).
1..40 characters: lower-case letters, digits and hyphens.`,
      pattern: /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
      rule: '1..40 lower-case letters, digits and hyphens, not starting or ending with a hyphen',
      default: none('the stack name and construct path, e.g. `dev-network`'),
      // Many modules share an account: each must be named.
      requiredInModule: true,
    }),
    cidrBlock: text({
      doc: `The VPC's IPv4 CIDR block: a network address (no host bits set) with a prefix length of
/16 to /24, since the VPC is cut into 16 equal slots and AWS subnets are at most /28.
Prefer an RFC 1918 range that does not overlap networks you peer with.`,
      see: 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html',
      default: '10.0.0.0/16',
      rules: [
        {
          rule: (_, value?: string) =>
            (value === undefined ? undefined : cidrProblem(value)) ??
            `an IPv4 network address (no host bits set), ${PREFIX_RULE}`,
          test: (cidr) => (known(cidr) ? cidrProblem(cidr) === undefined : cidrCondition(cidr)),
        },
      ],
    }),
    azCount: whole({
      doc: `How many availability zones to span, 1..${MAX_AZ_COUNT}: one public and one private subnet in each. The
zones are the region's available ones that need no opt-in, in name order; a plan fails with
a clear message if the region has fewer.`,
      min: 1,
      max: MAX_AZ_COUNT,
      default: 2,
    }),
    natGateways: choice(NAT_GATEWAY_MODES, {
      doc: `NAT gateways for the private subnets' outbound traffic:
\`'none'\` (private subnets have no internet route), \`'single'\` (one NAT gateway in the first
AZ, shared; an AZ outage cuts egress for all) or \`'per-az'\` (one per AZ, highly available).`,
      see: 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html',
      typeName: 'NatGatewayMode',
      typeDoc: 'How private subnets reach the internet. See the module README for what each costs per month.',
      default: 'single',
    }),
    flowLogRetentionDays: retentionDays({
      doc: `Days to keep VPC flow logs in CloudWatch Logs: a value CloudWatch accepts
(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).`,
      see: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html',
      default: 30,
    }),
    flowLogKmsKeyArn: arn({
      kind: KMS_KEY_ARN,
      doc: `A KMS key ARN to encrypt the flow log group with. The key policy must allow the CloudWatch
Logs service principal of the region.`,
      default: none("CloudWatch Logs' own server-side encryption"),
    }),
  },
  { kind: 'Network', typeName: 'NetworkProps', doc: 'Props of {@link Network}.' },
);
