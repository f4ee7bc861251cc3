import { INTERNET_WIDE, cidrRange, internetShare, publicAddresses } from '../cidr';
import { expandBlocks } from '../dynamic-blocks';
import { Verdict, problem, type PolicyRule } from '../types';
import { bool, isExpression, list, str, type Json } from '../values';
import type { ResourceView, StackView } from '../view';

const SG_TYPES = [
  'aws_security_group',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
  'aws_security_group_rule',
];

interface SgRule {
  readonly direction: 'ingress' | 'egress';
  /** Where the rule is written: `ingress[0]` for an inline block, '' for a rule resource's own attributes. */
  readonly at: string;
  readonly rule: Json;
  readonly owner: ResourceView;
}

/** The rules a security-group-like resource writes itself (inline blocks, dynamic blocks, or its own attributes). */
function ownRules(r: ResourceView, s: StackView): SgRule[] {
  switch (r.type) {
    case 'aws_security_group':
      return (['ingress', 'egress'] as const).flatMap((direction) =>
        expandBlocks(r, s, direction).map((rule, i) => ({ direction, at: `${direction}[${i}].`, rule, owner: r })),
      );
    case 'aws_vpc_security_group_ingress_rule':
      return [{ direction: 'ingress', at: '', rule: r.attrs, owner: r }];
    case 'aws_vpc_security_group_egress_rule':
      return [{ direction: 'egress', at: '', rule: r.attrs, owner: r }];
    case 'aws_security_group_rule':
      return [{ direction: s.value(r, 'type') === 'egress' ? 'egress' : 'ingress', at: '', rule: r.attrs, owner: r }];
    default:
      return [];
  }
}

/** The security group a rule resource belongs to (itself for a group). */
function groupOf(r: ResourceView, s: StackView): ResourceView | undefined {
  if (r.type === 'aws_security_group') return r;
  const id = s.value(r, 'security_group_id');
  return s.ofType('aws_security_group').find((g) => s.refersTo(id, g));
}

/** Every rule of a group: its own, and those of rule resources attached to it. */
function allRules(group: ResourceView, s: StackView, verdict: Verdict): SgRule[] {
  const out: SgRule[] = [];
  for (const type of SG_TYPES) {
    for (const r of type === 'aws_security_group' ? [group] : s.ofType(type)) {
      if (r !== group && groupOf(r, s)?.address !== group.address) continue;
      verdict.try(() => out.push(...ownRules(r, s)));
    }
  }
  return out;
}

/** The CIDR sources of a rule, with the field each comes from; unknown ones are NotChecked (via the verdict). */
function cidrs(x: SgRule, s: StackView, verdict: Verdict): { field: string; cidr: string }[] {
  const out: { field: string; cidr: string }[] = [];
  for (const key of ['cidr_blocks', 'ipv6_cidr_blocks', 'cidr_ipv4', 'cidr_ipv6']) {
    const field = `${x.at}${key}`;
    verdict.try(() =>
      list(s.resolve(x.rule[key]), field).forEach((c, i) =>
        verdict.try(() => {
          const cidr = str(s.resolve(c), Array.isArray(x.rule[key]) ? `${field}[${i}]` : field);
          if (cidr) out.push({ field, cidr });
        }),
      ),
    );
  }
  return out;
}

export const networkRules: PolicyRule[] = [
  {
    id: 'TS-VPC-1',
    severity: 'error',
    title: 'VPCs have flow logs',
    fix: 'Add an aws_flow_log (traffic_type ALL) for the VPC (Network does).',
    appliesTo: ['aws_vpc'],
    refs: { checkov: 'CKV2_AWS_11', cdkNag: 'AwsSolutions-VPC7', securityHub: 'EC2.6' },
    blindSpots: 'Flow logs created outside this configuration.',
    check: (r, s) => {
      const logs = s.ofType('aws_flow_log');
      if (logs.some((f) => s.refersTo(s.value(f, 'vpc_id'), r))) return undefined;
      // a flow log for a VPC we cannot tell (a variable) may be this one's
      const unsure = logs.find((f) => isExpression(s.value(f, 'vpc_id')) && !s.referenced(s.value(f, 'vpc_id')));
      if (unsure) str(s.value(unsure, 'vpc_id'), `${unsure.address}.vpc_id`);
      return problem('id', 'no aws_flow_log for this VPC');
    },
  },
  {
    id: 'TS-VPC-2',
    severity: 'error',
    title: 'Default security groups have no rules',
    fix: 'Adopt the default security group with aws_default_security_group and no ingress or egress blocks.',
    appliesTo: ['aws_default_security_group'],
    refs: { checkov: 'CKV2_AWS_12', securityHub: 'EC2.2' },
    blindSpots: 'Default security groups of VPCs not in this configuration.',
    check: (r, s) => {
      const count = expandBlocks(r, s, 'ingress').length + expandBlocks(r, s, 'egress').length;
      return count > 0 ? problem('ingress', `has ${count} rule(s)`) : undefined;
    },
  },
  {
    id: 'TS-VPC-3',
    severity: 'warning',
    title: 'Subnets do not give instances public IPs by default',
    fix: 'Set map_public_ip_on_launch = false; give public IPs only to what must have one (a NAT gateway has its own EIP).',
    appliesTo: ['aws_subnet'],
    refs: { checkov: 'CKV_AWS_130', securityHub: 'EC2.15' },
    blindSpots: 'Whether anything is launched into the subnet.',
    check: (r, s) =>
      bool(s.value(r, 'map_public_ip_on_launch'), 'map_public_ip_on_launch') === true
        ? problem('map_public_ip_on_launch', 'is true: every instance launched here gets a public IP')
        : undefined,
  },
  {
    id: 'TS-SG-1',
    severity: 'warning',
    title: 'Security group rules are described',
    fix: 'Give every rule a description saying what the traffic is for: reviewers read it in the plan.',
    appliesTo: SG_TYPES,
    refs: { checkov: 'CKV_AWS_23' },
    blindSpots: 'Rules added outside this configuration.',
    check: (r, s) => {
      const bare = ownRules(r, s).filter(({ rule }) => !rule.description);
      return bare.length > 0
        ? problem(
            bare[0].at ? `${bare[0].at}description` : 'description',
            `${bare.length} rule(s) without a description`,
          )
        : undefined;
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
    blindSpots: 'Rules added outside this configuration; exposure through load balancers, NAT or prefix lists.',
    check: (r, s) => {
      const verdict = new Verdict();
      const group = groupOf(r, s);
      const own = ownRules(r, s).filter((x) => x.direction === 'ingress');
      const ownCidrs = own.flatMap((x) => cidrs(x, s, verdict));
      // A split (0.0.0.0/1 + 128.0.0.0/1, perhaps in separate rule resources) counts as a whole.
      const groupCidrs = group
        ? allRules(group, s, verdict)
            .filter((x) => x.direction === 'ingress')
            .flatMap((x) => cidrs(x, s, new Verdict()))
        : ownCidrs;
      for (const family of [4, 6] as const) {
        const mine = ownCidrs.filter((c) => cidrRange(c.cidr)?.family === family);
        const together = groupCidrs.filter((c) => cidrRange(c.cidr)?.family === family).map((c) => c.cidr);
        if (publicAddresses(together, family) < INTERNET_WIDE[family]) continue;
        const contributing = mine.filter((c) => publicAddresses([c.cidr], family) > 0n);
        if (contributing.length === 0) continue;
        const share = internetShare(together, family);
        const list = [...new Set(together)].join(' + ');
        verdict.add(contributing[0].field, `ingress from ${list} covers ${share} of the public IPv${family} internet`);
      }
      return verdict.result();
    },
  },
];
