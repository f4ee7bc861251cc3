/**
 * What a reviewer reads before approving a plan: resources, every IAM statement, every security group
 * rule, the accepted policy findings and a rough monthly cost of the always-on parts. One renderer
 * (`renderReview`) for two sources: a real plan (from-plan.ts, preferred) or, where there is none, a
 * synthesized stack (cdk.tf.json, below). Pure: JSON in, text out.
 */
import { StackView, type ResourceView } from '../../modules/policy/view';

type Json = Record<string, unknown>;

/**
 * On-demand prices in USD per hour, us-west-2 / us-east-1 Linux, as of 2026. Rough on purpose: for the
 * order of magnitude of a change, not a bill. Other regions differ by up to ~30%.
 */
export const HOURLY_PRICES: Readonly<Record<string, number>> = {
  't2.micro': 0.0116,
  't2.small': 0.023,
  't2.medium': 0.0464,
  't2.large': 0.0928,
  't3.micro': 0.0104,
  't3.small': 0.0208,
  't3.medium': 0.0416,
  't3.large': 0.0832,
  't3a.medium': 0.0376,
  'm5.large': 0.096,
  'm6i.large': 0.096,
  'c5.large': 0.085,
  'c6i.large': 0.085,
  'nat-gateway': 0.045,
  'public-ipv4': 0.005,
};
export const HOURS_PER_MONTH = 730;

/** `${aws_sqs_queue.q.arn}` -> `aws_sqs_queue.q.arn`; `arn:${data.x.y.z}:...` keeps its shape, readable. */
export function readable(value: unknown): string {
  return String(value)
    .replace(/\$\{data\.aws_partition\.[\w-]+\.partition\}/g, '<partition>')
    .replace(/\$\{data\.aws_region\.[\w-]+\.(region|name)\}/g, '<region>')
    .replace(/\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}/g, '<account>')
    .replace(/\$\{([^}]*)\}/g, (_, expr: string) => `<${expr.replace(/\s+/g, ' ')}>`);
}

function iamSection(view: StackView): string[] {
  const lines: string[] = [];
  for (const role of view.ofType('aws_iam_role')) {
    const trust = view.policyStatements(role.attrs.assume_role_policy) ?? [];
    const principals = trust.flatMap((s) => s.principals.flatMap((p) => p.identifiers));
    lines.push(`  role ${readable(role.attrs.name)} (${role.address}), assumed by ${principals.join(', ') || '?'}`);
    const belongs = (r: ResourceView) => view.referenced(r.attrs.role)?.address === role.address;
    for (const attachment of view.ofType('aws_iam_role_policy_attachment').filter(belongs)) {
      lines.push(`    managed policy ${readable(attachment.attrs.policy_arn)}`);
    }
    for (const policy of view.ofType('aws_iam_role_policy').filter(belongs)) {
      for (const st of view.policyStatements(policy.attrs.policy) ?? [
        {
          effect: 'Allow',
          actions: ['(unreadable policy)'],
          resources: [],
          conditions: [],
          notActions: [],
          principals: [],
        },
      ]) {
        const conditions = st.conditions
          .map((c) => ` if ${c.test} ${c.variable} = ${c.values.map(readable).join('|')}`)
          .join('');
        lines.push(
          `    ${st.effect} ${st.actions.join(', ')} on ${st.resources.map(readable).join(', ') || '(none)'}${conditions}`,
        );
      }
    }
  }
  return lines.length > 0 ? lines : ['  (none)'];
}

function ports(rule: Json): string {
  const protocol = String(rule.ip_protocol ?? rule.protocol ?? 'all');
  if (protocol === '-1' || protocol === 'all') return 'all traffic';
  return rule.from_port === rule.to_port
    ? `${protocol}/${rule.from_port}`
    : `${protocol}/${rule.from_port}-${rule.to_port}`;
}

function securityGroupSection(view: StackView): string[] {
  const lines: string[] = [];
  const peer = (r: Json) =>
    readable(
      r.cidr_ipv4 ??
        r.cidr_ipv6 ??
        r.referenced_security_group_id ??
        r.prefix_list_id ??
        ((r.cidr_blocks as string[] | undefined) ?? []).join(' ') ??
        '?',
    );
  for (const sg of view.ofType('aws_security_group')) {
    const rules: string[] = [];
    for (const direction of ['ingress', 'egress']) {
      const way = direction === 'ingress' ? 'from' : 'to';
      const inline = (sg.attrs[direction] as Json[] | undefined) ?? [];
      const separate = view
        .ofType(`aws_vpc_security_group_${direction}_rule`)
        .filter((r) => view.referenced(r.attrs.security_group_id)?.address === sg.address);
      for (const rule of [...inline, ...separate.map((r) => r.attrs)])
        rules.push(`    ${direction} ${ports(rule)} ${way} ${peer(rule)}: ${rule.description ?? '(no description)'}`);
    }
    lines.push(`  ${readable(sg.attrs.name)} (${sg.address})`, ...(rules.length > 0 ? rules : ['    no rules']));
  }
  for (const sg of view.ofType('aws_default_security_group')) {
    const count =
      ((sg.attrs.ingress as unknown[] | undefined) ?? []).length +
      ((sg.attrs.egress as unknown[] | undefined) ?? []).length;
    lines.push(`  default security group (${sg.address}): ${count === 0 ? 'all rules removed' : `${count} rule(s)`}`);
  }
  return lines.length > 0 ? lines : ['  (none)'];
}

export interface CostLine {
  readonly item: string;
  readonly count: number;
  readonly monthly: number | undefined;
}

/** The always-on parts and their rough monthly cost. Usage-priced services (Lambda, API Gateway, SQS) are not included. */
export function alwaysOnCost(view: StackView): CostLine[] {
  const out: CostLine[] = [];
  for (const asg of view.ofType('aws_autoscaling_group')) {
    const template = view.referenced((asg.attrs.launch_template as Json | undefined)?.id);
    const type = String(template?.attrs.instance_type ?? asg.attrs.instance_type ?? 'unknown');
    const count = Number(asg.attrs.desired_capacity ?? asg.attrs.min_size ?? 0);
    const price = HOURLY_PRICES[type];
    out.push({
      item: `${type} instances (${asg.address}, desired at creation)`,
      count,
      monthly: price === undefined ? undefined : price * HOURS_PER_MONTH * count,
    });
  }
  const nats = view.ofType('aws_nat_gateway').length;
  if (nats > 0)
    out.push({
      item: 'NAT gateways (before data processing, $0.045/GB)',
      count: nats,
      monthly: nats * HOURLY_PRICES['nat-gateway'] * HOURS_PER_MONTH,
    });
  const ips = view.ofType('aws_eip').length;
  if (ips > 0)
    out.push({
      item: 'public IPv4 addresses (EIPs)',
      count: ips,
      monthly: ips * HOURLY_PRICES['public-ipv4'] * HOURS_PER_MONTH,
    });
  return out;
}

const usd = (n: number) => `$${n.toFixed(2)}`;

/** Regions whose on-demand prices HOURLY_PRICES holds (the same in both). */
export const PRICED_REGIONS: readonly string[] = ['us-east-1', 'us-west-2'];

/** What a reviewer reads about one stack or plan, section by section (lines indented, no headings). */
export interface Review {
  /** `Stack dev` */
  readonly title: string;
  /** Where the figures come from, one line. */
  readonly source: string;
  readonly resourcesTitle: string;
  readonly resources: string[];
  readonly iam: string[];
  readonly securityGroups: string[];
  readonly suppressions: string[];
  readonly cost: CostLine[];
  /** The region the stack deploys to, when the configuration says. */
  readonly region: string | undefined;
}

/** The heading of the cost section: which region's prices, and whether they are that region's. */
export function costHeading(region: string | undefined): string {
  const prices =
    region === undefined
      ? 'on-demand us-west-2 prices; the region is not known at plan'
      : PRICED_REGIONS.includes(region)
        ? `on-demand prices of ${region}, the stack's region`
        : `on-demand us-west-2 prices; ${region}, the stack's region, differs by up to ~30%`;
  return `Always-on cost, rough (${HOURS_PER_MONTH} h/month, ${prices}):`;
}

export function renderReview(review: Review): string {
  const known = review.cost.filter((c) => c.monthly !== undefined).reduce((a, c) => a + (c.monthly as number), 0);
  return [
    `## ${review.title}`,
    '',
    review.source,
    '',
    review.resourcesTitle,
    ...review.resources,
    '',
    'IAM (every role, its managed policies and every statement):',
    ...review.iam,
    '',
    'Security group rules:',
    ...review.securityGroups,
    '',
    'Suppressed policy findings:',
    ...(review.suppressions.length > 0 ? review.suppressions.map((s) => `  ${s}`) : ['  (none)']),
    '',
    costHeading(review.region),
    ...(review.cost.length > 0
      ? review.cost.map(
          (c) =>
            `  ${String(c.count).padStart(3)} x ${c.item}: ${c.monthly === undefined ? 'price unknown' : `${usd(c.monthly)}/month`}`,
        )
      : ['  (none)']),
    `  total: about ${usd(known)}/month, plus usage (Lambda, API Gateway, SQS, Bedrock, CloudWatch, X-Ray)`,
    '',
  ].join('\n');
}

/** The review of one synthesized stack (no plan): resources by type, from the configuration. */
export function synthReview(
  name: string,
  synthesized: Json,
  source = 'From the synthesized configuration (no plan).',
): Review {
  const view = new StackView(synthesized);
  const counts = new Map<string, number>();
  for (const r of view.resources.filter((r) => r.kind === 'resource'))
    counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const suppressions = ((synthesized.output as Json | undefined)?.policy_suppressions as Json | undefined)?.value as
    string[] | undefined;
  const provider = (synthesized.provider as Json | undefined)?.aws;
  const region = (Array.isArray(provider) ? provider[0] : provider)?.region;
  return {
    title: `Stack ${name}`,
    source,
    resourcesTitle: `Resources (${total}):`,
    resources: [...counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, n]) => `  ${String(n).padStart(3)}  ${type}`),
    iam: iamSection(view),
    securityGroups: securityGroupSection(view),
    suppressions: suppressions ?? [],
    cost: alwaysOnCost(view),
    region: typeof region === 'string' && !region.includes('${') ? region : undefined,
  };
}

/** The review summary of one synthesized stack. */
export function planSummary(name: string, synthesized: Json): string {
  return renderReview(synthReview(name, synthesized));
}
