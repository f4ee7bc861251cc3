/**
 * A read-only view of a synthesized stack (its cdk.tf.json as an object) for the policy rules.
 * Pure: no cdktf. Rules look at one resource and, where they must, at the resources it references.
 */

/** One resource or data source as synthesized, with Terraform references left as `${...}` strings. */
export interface ResourceView {
  /** Providers appear as `provider` views of type `<name>_provider` (`aws_provider`). */
  readonly kind: 'resource' | 'data' | 'provider';
  readonly type: string;
  readonly name: string;
  /** `aws_sqs_queue.orders` or `data.aws_iam_policy_document.trust`. */
  readonly address: string;
  /** The construct path, e.g. `dev/enquiries/queue`. */
  readonly path: string;
  readonly attrs: Record<string, unknown>;
}

/** A policy statement as `aws_iam_policy_document` or policy JSON gives it. */
export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  actions: string[];
  notActions: string[];
  resources: string[];
  conditions: { test: string; variable: string; values: string[] }[];
  principals: { type: string; identifiers: string[] }[];
}

type Json = Record<string, unknown>;

export class StackView {
  public readonly resources: ResourceView[] = [];
  public readonly providers: Record<string, Json[]>;
  private readonly byAddress = new Map<string, ResourceView>();

  constructor(public readonly synthesized: Json) {
    for (const kind of ['resource', 'data'] as const) {
      const blocks = (synthesized[kind] ?? {}) as Record<string, Record<string, Json>>;
      for (const [type, byName] of Object.entries(blocks)) {
        for (const [name, attrs] of Object.entries(byName)) {
          const meta = (attrs['//'] as { metadata?: { path?: string } } | undefined)?.metadata;
          const address = kind === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
          const view = { kind, type, name, address, path: meta?.path ?? address, attrs };
          this.resources.push(view);
          this.byAddress.set(address, view);
        }
      }
    }
    this.providers = (synthesized.provider ?? {}) as Record<string, Json[]>;
    for (const [name, configs] of Object.entries(this.providers)) {
      configs.forEach((attrs, i) => {
        const alias = typeof attrs.alias === 'string' ? attrs.alias : undefined;
        const address = alias ? `provider.${name}.${alias}` : `provider.${name}${i > 0 ? `[${i}]` : ''}`;
        this.resources.push({ kind: 'provider', type: `${name}_provider`, name, address, path: address, attrs });
      });
    }
  }

  /** Resources (not data sources) of one type. */
  public ofType(type: string): ResourceView[] {
    return this.resources.filter((r) => r.kind === 'resource' && r.type === type);
  }

  public get(address: string): ResourceView | undefined {
    return this.byAddress.get(address);
  }

  /** The resource a `${type.name.attr}` (or `${data.type.name.attr}`) reference points to. */
  public referenced(value: unknown): ResourceView | undefined {
    const address = referenceAddress(value);
    return address ? this.get(address) : undefined;
  }

  /** The statements of a policy given as `${data.aws_iam_policy_document.x.json}` or as literal JSON. */
  public policyStatements(policy: unknown): PolicyStatement[] | undefined {
    const doc = this.referenced(policy);
    if (doc?.type === 'aws_iam_policy_document') return documentStatements(doc.attrs);
    if (typeof policy === 'string' && policy.trim().startsWith('{')) {
      try {
        return jsonPolicyStatements(JSON.parse(policy));
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  /** The AWS provider's region, when it is a literal. */
  public get region(): string | undefined {
    const region = this.providers.aws?.[0]?.region;
    return typeof region === 'string' ? region : undefined;
  }
}

const REFERENCE = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)(?:\.[A-Za-z0-9_.[\]"*-]+)?\}$/;

/** `${aws_sqs_queue.orders.arn}` -> `aws_sqs_queue.orders`; anything else -> undefined. */
export function referenceAddress(value: unknown): string | undefined {
  return typeof value === 'string' ? REFERENCE.exec(value)?.[1] : undefined;
}

const asList = (v: unknown): string[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)];

/** Statements of a synthesized `aws_iam_policy_document`. */
export function documentStatements(attrs: Json): PolicyStatement[] {
  return ((attrs.statement ?? []) as Json[]).map((s) => ({
    effect: s.effect === 'Deny' ? 'Deny' : 'Allow',
    actions: asList(s.actions),
    notActions: asList(s.not_actions),
    resources: asList(s.resources),
    conditions: ((s.condition ?? []) as Json[]).map((c) => ({
      test: String(c.test),
      variable: String(c.variable),
      values: asList(c.values),
    })),
    principals: ((s.principals ?? []) as Json[]).map((p) => ({
      type: String(p.type),
      identifiers: asList(p.identifiers),
    })),
  }));
}

/** Statements of an IAM policy JSON document. */
export function jsonPolicyStatements(policy: Json): PolicyStatement[] {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return (statements as Json[]).filter(Boolean).map((s) => ({
    effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
    actions: asList(s.Action),
    notActions: asList(s.NotAction),
    resources: asList(s.Resource),
    conditions: Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(
      ([test, byVariable]) =>
        Object.entries(byVariable).map(([variable, values]) => ({ test, variable, values: asList(values) })),
    ),
    principals: Object.entries(((s.Principal ?? {}) as Record<string, unknown>) || {}).map(([type, ids]) => ({
      type,
      identifiers: asList(ids),
    })),
  }));
}

/**
 * Reads back a value cdktf rendered as `${jsonencode(...)}` (HCL object syntax: `{"k" = v}`, bare
 * references). References become `${...}` strings. Returns undefined for anything else.
 */
export function parseJsonencode(expression: unknown): unknown {
  if (typeof expression !== 'string') return undefined;
  if (expression.trim().startsWith('[') || expression.trim().startsWith('{')) {
    try {
      return JSON.parse(expression);
    } catch {
      return undefined;
    }
  }
  const m = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(expression);
  if (!m) return undefined;
  const text = m[1];
  let i = 0;
  const ws = () => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      for (;;) {
        ws();
        if (text[i] === '}') return (i++, out);
        const key = value() as string;
        ws();
        if (text[i] !== '=' && text[i] !== ':') throw new Error(`expected = at ${i}`);
        i++;
        out[key] = value();
        ws();
        if (text[i] === ',') i++;
      }
    }
    if (c === '[') {
      i++;
      const out: unknown[] = [];
      for (;;) {
        ws();
        if (text[i] === ']') return (i++, out);
        out.push(value());
        ws();
        if (text[i] === ',') i++;
      }
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const raw = text.slice(i, j + 1);
      i = j + 1;
      return JSON.parse(raw.replace(/\$\$\{/g, '${'));
    }
    const token = /^[^\s,\]}]+/.exec(text.slice(i))?.[0] ?? '';
    i += token.length;
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
    return `\${${token}}`;
  };
  try {
    return value();
  } catch {
    return undefined;
  }
}
