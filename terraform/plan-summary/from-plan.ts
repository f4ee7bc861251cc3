/**
 * The review summary from a real plan (`terraform show -json`, as `npm run plan:offline` saves it):
 * resources by action, every IAM role with its trust, managed policies and statements (ARNs resolved
 * as far as the plan knows them), every security group rule, the suppressed policy findings and the
 * always-on cost in the plan's region. Pure: plan JSON in, review out.
 */
import { HOURLY_PRICES, HOURS_PER_MONTH, type CostLine, type Review } from './summary';
import { PlanView, getPath, type Change } from './plan-view';

type Json = Record<string, unknown>;

const ACTION_ORDER = ['create', 'update', 'replace', 'delete', 'read', 'no-op'];
const ACTION_TITLE: Record<string, string> = {
  create: 'create',
  update: 'update in place',
  replace: 'replace (destroy and create)',
  delete: 'destroy',
  read: 'read during apply (data sources waiting on values known only after apply)',
  'no-op': 'unchanged',
};

function resourcesSection(view: PlanView): string[] {
  const byAction = new Map<string, Map<string, number>>();
  for (const c of view.changes) {
    const types = byAction.get(c.action) ?? new Map<string, number>();
    types.set(c.type, (types.get(c.type) ?? 0) + 1);
    byAction.set(c.action, types);
  }
  const lines: string[] = [];
  const actions = [...byAction.keys()].sort(
    (a, b) => (ACTION_ORDER.indexOf(a) + 1 || 99) - (ACTION_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b),
  );
  for (const action of actions) {
    const types = byAction.get(action) as Map<string, number>;
    const total = [...types.values()].reduce((a, b) => a + b, 0);
    lines.push(`  ${ACTION_TITLE[action] ?? action}: ${total}`);
    for (const [type, n] of [...types].sort(([a], [b]) => a.localeCompare(b)))
      lines.push(`    ${String(n).padStart(3)}  ${type}`);
  }
  return lines.length > 0 ? lines : ['  (no changes)'];
}

interface Statement {
  readonly effect: string;
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  readonly notResources: string[];
  readonly principals: string[];
  readonly conditions: string[];
}

const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** Statements of a policy document JSON string (IAM's own shape). */
function jsonStatements(text: string): Statement[] | undefined {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
  return list(doc.Statement).map((raw) => {
    const s = raw as Json;
    const principals = Object.entries((s.Principal as Json | undefined) ?? {}).flatMap(([, ids]) =>
      list(ids).map(String),
    );
    const conditions = Object.entries((s.Condition as Record<string, Json> | undefined) ?? {}).flatMap(([test, vars]) =>
      Object.entries(vars).map(([variable, values]) => `${test} ${variable} = ${list(values).map(String).join('|')}`),
    );
    return {
      effect: String(s.Effect ?? 'Allow'),
      actions: list(s.Action).map(String),
      notActions: list(s.NotAction).map(String),
      resources: list(s.Resource).map(String),
      notResources: list(s.NotResource).map(String),
      principals: typeof s.Principal === 'string' ? [s.Principal] : principals,
      conditions,
    };
  });
}

/** Statements of an aws_iam_policy_document data source, resolving what is known only after apply. */
function documentStatements(view: PlanView, address: string, modulePrefix: string): Statement[] | undefined {
  const data = view.data(address);
  if (!data) return undefined;
  const change = { configAddress: address.replace(/\[[^\]]*\]/g, ''), modulePrefix };
  return list(data.values.statement).map((raw, i) => {
    const s = raw as Json;
    const unknown = getPath(data.unknown, ['statement', i]) as Json | undefined;
    const strings = (field: string) =>
      view.strings(change, s[field], unknown?.[field], ['statement', i, field]).filter((v) => v !== '');
    return {
      effect: String(s.effect ?? 'Allow'),
      actions: strings('actions'),
      notActions: strings('not_actions'),
      resources: strings('resources'),
      notResources: strings('not_resources'),
      principals: list(s.principals).flatMap((p) => list((p as Json).identifiers).map(String)),
      conditions: list(s.condition).map((c) => {
        const cond = c as Json;
        return `${String(cond.test)} ${String(cond.variable)} = ${list(cond.values).map(String).join('|')}`;
      }),
    };
  });
}

/** A policy field (`policy`, `assume_role_policy`): its JSON when known, else the document it references. */
function policyStatements(view: PlanView, change: Change, field: string): Statement[] | undefined {
  const value = change.after[field];
  if (typeof value === 'string' && value !== '') return jsonStatements(value);
  for (const ref of view.references(change, [field])) {
    const m = /^(.*data\.aws_iam_policy_document\.[\w-]+)\.(json|minified_json)$/.exec(ref);
    if (m) return documentStatements(view, m[1], change.modulePrefix);
  }
  return undefined;
}

function statementLine(s: Statement): string {
  const actions = s.actions.length > 0 ? s.actions.join(', ') : `all but ${s.notActions.join(', ')}`;
  const resources =
    s.resources.length > 0
      ? s.resources.join(', ')
      : s.notResources.length > 0
        ? `all but ${s.notResources.join(', ')}`
        : '(none)';
  return `    ${s.effect} ${actions} on ${resources}${s.conditions.map((c) => ` if ${c}`).join('')}`;
}

/** Whether a role-scoped resource (`role` field) belongs to a role: same known name, or a reference to it. */
function belongsTo(view: PlanView, item: Change, role: Change): boolean {
  const name = item.after.role;
  if (typeof name === 'string' && (name === role.after.name || name === role.after.id)) return true;
  return view.referenced(item, ['role'], 'aws_iam_role')?.address === role.address;
}

function iamSection(view: PlanView): string[] {
  const lines: string[] = [];
  const unplaced = new Set(view.planned('aws_iam_role_policy').map((p) => p.address));
  for (const role of view.planned('aws_iam_role')) {
    const trust = policyStatements(view, role, 'assume_role_policy') ?? [];
    const principals = [...new Set(trust.flatMap((s) => s.principals))];
    const name = typeof role.after.name === 'string' ? role.after.name : '<name known after apply>';
    lines.push(`  role ${name} (${role.address}), assumed by ${principals.join(', ') || '?'}`);
    for (const attachment of view.planned('aws_iam_role_policy_attachment').filter((a) => belongsTo(view, a, role)))
      lines.push(
        `    managed policy ${view.strings(attachment, [attachment.after.policy_arn], [getPath(attachment.unknown, ['policy_arn'])], ['policy_arn'])[0]}`,
      );
    for (const policy of view.planned('aws_iam_role_policy').filter((p) => belongsTo(view, p, role))) {
      unplaced.delete(policy.address);
      for (const s of policyStatements(view, policy, 'policy') ?? []) lines.push(statementLine(s));
    }
  }
  for (const address of unplaced) lines.push(`  inline policy ${address} on a role outside this plan`);
  return lines.length > 0 ? lines : ['  (none)'];
}

function ports(rule: Json): string {
  const protocol = String(rule.ip_protocol ?? rule.protocol ?? 'all');
  if (protocol === '-1' || protocol === 'all') return 'all traffic';
  return rule.from_port === rule.to_port
    ? `${protocol}/${rule.from_port}`
    : `${protocol}/${rule.from_port}-${rule.to_port}`;
}

function peer(view: PlanView, rule: Change): string {
  for (const field of [
    'cidr_ipv4',
    'cidr_ipv6',
    'prefix_list_id',
    'referenced_security_group_id',
    'source_security_group_id',
  ]) {
    const value = rule.after[field];
    if (typeof value === 'string' && value !== '') return value;
    if (getPath(rule.unknown, [field]) === true || view.references(rule, [field]).length > 0)
      return view.strings(rule, [null], [true], [field])[0];
  }
  const cidrs = [...list(rule.after.cidr_blocks), ...list(rule.after.ipv6_cidr_blocks)].map(String);
  return cidrs.length > 0 ? cidrs.join(' ') : '?';
}

function securityGroupSection(view: PlanView): string[] {
  const lines: string[] = [];
  for (const sg of view.planned('aws_security_group')) {
    const rules: string[] = [];
    for (const direction of ['ingress', 'egress'] as const) {
      const way = direction === 'ingress' ? 'from' : 'to';
      for (const rule of list(sg.after[direction]) as Json[]) {
        const peers = [...list(rule.cidr_blocks), ...list(rule.ipv6_cidr_blocks), ...list(rule.security_groups)].map(
          String,
        );
        rules.push(
          `    ${direction} ${ports(rule)} ${way} ${peers.join(' ') || '?'}: ${rule.description || '(no description)'}`,
        );
      }
      const separate = [
        ...view.planned(`aws_vpc_security_group_${direction}_rule`),
        ...view.planned('aws_security_group_rule').filter((r) => r.after.type === direction),
      ].filter(
        (r) =>
          view.referenced(r, ['security_group_id'], 'aws_security_group')?.address === sg.address ||
          (typeof r.after.security_group_id === 'string' && r.after.security_group_id === sg.after.id),
      );
      for (const rule of separate)
        rules.push(
          `    ${direction} ${ports(rule.after)} ${way} ${peer(view, rule)}: ${rule.after.description || '(no description)'}`,
        );
    }
    const name = typeof sg.after.name === 'string' ? sg.after.name : '<name known after apply>';
    lines.push(`  ${name} (${sg.address})`, ...(rules.length > 0 ? rules : ['    no rules']));
  }
  for (const sg of view.planned('aws_default_security_group')) {
    const count = list(sg.after.ingress).length + list(sg.after.egress).length;
    lines.push(`  default security group (${sg.address}): ${count === 0 ? 'all rules removed' : `${count} rule(s)`}`);
  }
  return lines.length > 0 ? lines : ['  (none)'];
}

/** The always-on parts after apply: instances (desired capacity), NAT gateways, public IPv4 addresses. */
export function planAlwaysOnCost(view: PlanView): CostLine[] {
  const out: CostLine[] = [];
  for (const asg of view.planned('aws_autoscaling_group')) {
    const template =
      view.referenced(asg, ['launch_template', 0, 'id'], 'aws_launch_template') ??
      view.referenced(asg, ['launch_template', 0, 'name'], 'aws_launch_template');
    const type = String(template?.after.instance_type ?? asg.after.instance_type ?? 'unknown');
    const count = Number(asg.after.desired_capacity ?? asg.after.min_size ?? 0);
    const price = HOURLY_PRICES[type];
    out.push({
      item: `${type} instances (${asg.address}, desired at creation)`,
      count,
      monthly: price === undefined ? undefined : price * HOURS_PER_MONTH * count,
    });
  }
  const nats = view.planned('aws_nat_gateway').filter((n) => n.after.connectivity_type !== 'private').length;
  if (nats > 0)
    out.push({
      item: 'NAT gateways (before data processing, $0.045/GB)',
      count: nats,
      monthly: nats * HOURLY_PRICES['nat-gateway'] * HOURS_PER_MONTH,
    });
  const ips = view.planned('aws_eip').length;
  if (ips > 0)
    out.push({
      item: 'public IPv4 addresses (EIPs)',
      count: ips,
      monthly: ips * HOURLY_PRICES['public-ipv4'] * HOURS_PER_MONTH,
    });
  return out;
}

/** The review of one plan. `source` says where it came from (one line). */
export function planReview(title: string, plan: Json, source: string): Review {
  const view = new PlanView(plan);
  const managed = view.changes.filter((c) => c.mode === 'managed');
  const suppressions = view.output('policy_suppressions');
  return {
    title,
    source,
    resourcesTitle: `Resources by action (${managed.length} managed, ${view.changes.length - managed.length} data sources read during apply):`,
    resources: resourcesSection(view),
    iam: iamSection(view),
    securityGroups: securityGroupSection(view),
    suppressions: Array.isArray(suppressions) ? suppressions.map(String) : [],
    cost: planAlwaysOnCost(view),
    region: view.region(),
  };
}
