import type { PolicyRule } from '../types';
import type { ResourceView } from '../view';

type Json = Record<string, unknown>;
const OPEN = ['0.0.0.0/0', '::/0'];

/** Every rule of a security-group-like resource, with its direction. */
function rulesOf(r: ResourceView): { direction: 'ingress' | 'egress'; rule: Json }[] {
  switch (r.type) {
    case 'aws_security_group':
      return (['ingress', 'egress'] as const).flatMap((direction) =>
        ((r.attrs[direction] as Json[] | undefined) ?? []).map((rule) => ({ direction, rule })),
      );
    case 'aws_vpc_security_group_ingress_rule':
      return [{ direction: 'ingress', rule: r.attrs }];
    case 'aws_vpc_security_group_egress_rule':
      return [{ direction: 'egress', rule: r.attrs }];
    case 'aws_security_group_rule':
      return [{ direction: r.attrs.type === 'egress' ? 'egress' : 'ingress', rule: r.attrs }];
    default:
      return [];
  }
}

const SG_TYPES = [
  'aws_security_group',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
  'aws_security_group_rule',
];

export const networkRules: PolicyRule[] = [
  {
    id: 'TS-VPC-1',
    severity: 'error',
    title: 'VPCs have flow logs',
    fix: 'Add an aws_flow_log (traffic_type ALL) for the VPC (Network does).',
    appliesTo: ['aws_vpc'],
    refs: { checkov: 'CKV2_AWS_11', cdkNag: 'AwsSolutions-VPC7', securityHub: 'EC2.6' },
    check: (r, s) =>
      s.ofType('aws_flow_log').some((f) => s.referenced(f.attrs.vpc_id)?.address === r.address)
        ? undefined
        : 'no aws_flow_log for this VPC',
  },
  {
    id: 'TS-VPC-2',
    severity: 'error',
    title: 'Default security groups have no rules',
    fix: 'Adopt the default security group with aws_default_security_group and no ingress or egress blocks.',
    appliesTo: ['aws_default_security_group'],
    refs: { checkov: 'CKV2_AWS_12', securityHub: 'EC2.2' },
    check: (r) => {
      const count =
        ((r.attrs.ingress as unknown[] | undefined) ?? []).length +
        ((r.attrs.egress as unknown[] | undefined) ?? []).length;
      return count > 0 ? `has ${count} rule(s)` : undefined;
    },
  },
  {
    id: 'TS-SG-1',
    severity: 'warning',
    title: 'Security group rules are described',
    fix: 'Give every rule a description saying what the traffic is for: reviewers read it in the plan.',
    appliesTo: SG_TYPES,
    refs: { checkov: 'CKV_AWS_23' },
    check: (r) => {
      const bare = rulesOf(r).filter(({ rule }) => !rule.description);
      return bare.length > 0 ? `${bare.length} rule(s) without a description` : undefined;
    },
  },
  {
    id: 'TS-SG-2',
    severity: 'error',
    title: 'No inbound traffic from the internet',
    fix: 'Allow inbound only from the VPC, a prefix list or another security group.',
    appliesTo: SG_TYPES,
    refs: {
      checkov: 'CKV_AWS_24 / CKV_AWS_25 / CKV_AWS_260 (per port)',
      cdkNag: 'AwsSolutions-EC23',
      securityHub: 'EC2.18 / EC2.19 (related)',
    },
    check: (r) => {
      const open = rulesOf(r).filter(
        ({ direction, rule }) =>
          direction === 'ingress' &&
          [
            rule.cidr_ipv4,
            rule.cidr_ipv6,
            ...((rule.cidr_blocks as string[] | undefined) ?? []),
            ...((rule.ipv6_cidr_blocks as string[] | undefined) ?? []),
          ].some((c) => OPEN.includes(String(c))),
      );
      return open.length > 0 ? `${open.length} ingress rule(s) open to the internet` : undefined;
    },
  },
];
