/**
 * A read-only view of a Terraform configuration for the policy rules: a synthesized stack (cdk.tf.json,
 * `new StackView(json)`) or a plan (`planView(terraformShowJson)`, in plan-view.ts). Pure: no cdktf.
 * Rules look at one resource and, where they must, at the resources it references.
 */
import { statementsOf, type PolicyStatement } from './iam-policy';
import { NotChecked, isExpression, type Json } from './values';

export type { PolicyStatement } from './iam-policy';

/** One resource or data source, with Terraform references left as `${...}` strings. */
export interface ResourceView {
  /** Providers appear as `provider` views of type `<name>_provider` (`aws_provider`). */
  readonly kind: 'resource' | 'data' | 'provider';
  /** The resource type, e.g. `aws_sqs_queue` (`aws_provider` for a provider). */
  readonly type: string;
  /** The resource name in its type (`orders`), or the provider's alias or name. */
  readonly name: string;
  /** `aws_sqs_queue.orders`, `data.aws_iam_policy_document.trust`, `module.q.aws_sqs_queue.this[0]`. */
  readonly address: string;
  /** The construct path (`dev/enquiries/queue`) at synth; the address in a plan. */
  readonly path: string;
  /** Its arguments, with Terraform references left as `${...}` strings. */
  readonly attrs: Record<string, unknown>;
}

/** A `module` block: its resources are not in a synthesized configuration, so they are not checked there. */
export interface ModuleCall {
  /** The module block's name. */
  readonly name: string;
  /** Its `source`. */
  readonly source: string;
  /** The construct path of the module block. */
  readonly path: string;
}

interface Variable {
  readonly hasDefault: boolean;
  readonly default?: unknown;
}

/** What a view is made of; `new StackView(json)` reads it from a synthesized configuration. */
export interface ViewParts {
  readonly resources: ResourceView[];
  readonly variables: Record<string, Variable>;
  readonly locals: Record<string, unknown>;
  readonly modules: ModuleCall[];
  /** 'configuration' at synth (values may be expressions), 'plan' for `terraform show -json` output. */
  readonly source: 'configuration' | 'plan';
  /** The account the plan runs in (from data.aws_caller_identity), when known. */
  readonly accountId?: string;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads the parts of a synthesized configuration (cdk.tf.json). Never throws on odd input. */
export function configurationParts(synthesized: Json): ViewParts {
  const resources: ResourceView[] = [];
  for (const kind of ['resource', 'data'] as const) {
    const byType = isObject(synthesized[kind]) ? synthesized[kind] : {};
    for (const [type, byName] of Object.entries(byType)) {
      if (!isObject(byName)) continue;
      for (const [name, attrs] of Object.entries(byName)) {
        if (!isObject(attrs)) continue;
        const meta = isObject(attrs['//']) && isObject(attrs['//'].metadata) ? attrs['//'].metadata : {};
        const address = kind === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
        resources.push({
          kind,
          type,
          name,
          address,
          path: typeof meta.path === 'string' ? meta.path : address,
          attrs,
        });
      }
    }
  }
  const providers = isObject(synthesized.provider) ? synthesized.provider : {};
  for (const [name, configs] of Object.entries(providers)) {
    (Array.isArray(configs) ? configs : [configs]).filter(isObject).forEach((attrs, i) => {
      const alias = typeof attrs.alias === 'string' ? attrs.alias : undefined;
      const address = alias ? `provider.${name}.${alias}` : `provider.${name}${i > 0 ? `[${i}]` : ''}`;
      resources.push({ kind: 'provider', type: `${name}_provider`, name, address, path: address, attrs });
    });
  }
  const variables: Record<string, Variable> = {};
  for (const [name, v] of Object.entries(isObject(synthesized.variable) ? synthesized.variable : {})) {
    variables[name] = isObject(v) && 'default' in v ? { hasDefault: true, default: v.default } : { hasDefault: false };
  }
  const locals: Record<string, unknown> = {};
  for (const block of Array.isArray(synthesized.locals) ? synthesized.locals : [synthesized.locals]) {
    if (isObject(block)) Object.assign(locals, block);
  }
  const modules = Object.entries(isObject(synthesized.module) ? synthesized.module : {}).map(([name, m]) => {
    const meta = isObject(m) && isObject(m['//']) && isObject(m['//'].metadata) ? m['//'].metadata : {};
    return {
      name,
      source: isObject(m) && typeof m.source === 'string' ? m.source : '?',
      path: typeof meta.path === 'string' ? meta.path : `module.${name}`,
    };
  });
  return { resources, variables, locals, modules, source: 'configuration' };
}

/** `${aws_sqs_queue.orders.arn}` -> `aws_sqs_queue.orders`, also under modules and with an index. */
const REFERENCE =
  /^\$\{((?:module\.[\w-]+(?:\[[^\]]*\])?\.)*(?:data\.)?[a-z][\w]*\.[\w-]+(?:\[[^\]]*\])?)(?:\.[\w.[\]"*-]+)?\}$/;
const REFERENCE_ANYWHERE =
  /\$\{((?:module\.[\w-]+(?:\[[^\]]*\])?\.)*(?:data\.)?[a-z][\w]*\.[\w-]+(?:\[[^\]]*\])?)(?:\.[\w.[\]"*-]+)?\}/g;

/** `${aws_sqs_queue.orders.arn}` -> `aws_sqs_queue.orders`; anything else -> undefined. */
export function referenceAddress(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const address = REFERENCE.exec(value)?.[1];
  return address && !/^(var|local|each|count|path|terraform|self)\./.test(address) ? address : undefined;
}

/** Every resource address referenced anywhere in a string. */
export function referencedAddresses(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return [...value.matchAll(REFERENCE_ANYWHERE)]
    .map((m) => m[1])
    .filter((a) => !/^(var|local|each|count|path|terraform|self)\./.test(a));
}

export class StackView {
  /** Every resource, data source and provider, in configuration order. */
  public readonly resources: ResourceView[];
  /** The `module` blocks (their resources are not in the view). */
  public readonly modules: ModuleCall[];
  /** Whether the view reads a synthesized configuration or a `terraform show -json` plan. */
  public readonly source: 'configuration' | 'plan';
  /** The account id, when the configuration or the plan knows it. */
  public readonly accountId?: string;
  /** Variables whose defaults stood in for a value since the last `startTracking()`. */
  public readonly defaultsUsed = new Set<string>();
  private readonly variables: Record<string, Variable>;
  private readonly locals: Record<string, unknown>;
  private readonly byAddress = new Map<string, ResourceView>();
  private readonly byType = new Map<string, ResourceView[]>();
  private readonly policies = new Map<
    string,
    { statements?: PolicyStatement[]; error?: NotChecked; defaults: string[] }
  >();

  constructor(
    /** The synthesized configuration (or the plan) the view reads. */
    public readonly synthesized: Json,
    parts: ViewParts = configurationParts(synthesized),
  ) {
    this.resources = parts.resources;
    this.modules = parts.modules;
    this.variables = parts.variables;
    this.locals = parts.locals;
    this.source = parts.source;
    this.accountId = parts.accountId;
    for (const r of this.resources) {
      this.byAddress.set(r.address, r);
      // `aws_x.y` finds `aws_x.y[0]` (a reference without an index, as a plan's configuration gives it)
      const base = r.address.replace(/\[[^\]]*\]$/, '');
      if (base !== r.address && !this.byAddress.has(base)) this.byAddress.set(base, r);
      if (r.kind === 'resource') this.byType.set(r.type, [...(this.byType.get(r.type) ?? []), r]);
    }
  }

  /** The configured providers, by name (as the synthesized `provider` block has them). */
  public get providers(): Record<string, Json[]> {
    const out: Record<string, Json[]> = {};
    for (const r of this.resources.filter((x) => x.kind === 'provider'))
      out[r.name] = [...(out[r.name] ?? []), r.attrs];
    return out;
  }

  /** Resources (not data sources) of one type. */
  public ofType(type: string): ResourceView[] {
    return this.byType.get(type) ?? [];
  }

  /** The resource or data source at `address`; an address without its index finds the first instance. */
  public get(address: string): ResourceView | undefined {
    return this.byAddress.get(address) ?? this.byAddress.get(address.replace(/\[[^\]]*\]$/, ''));
  }

  /** The resource a `${type.name.attr}` (or `${data.type.name.attr}`) reference points to. */
  public referenced(value: unknown): ResourceView | undefined {
    const address = referenceAddress(this.resolve(value));
    return address ? this.get(address) : undefined;
  }

  /** True when `value` refers to `target` (`${aws_x.y.id}`, or a plan value equal to the target's own id/arn/name). */
  public refersTo(value: unknown, target: ResourceView): boolean {
    const referenced = this.referenced(value);
    if (referenced) return referenced.address === target.address;
    if (value === undefined || value === null || value === '') return false;
    return ['id', 'arn', 'name', 'url'].some((k) => target.attrs[k] !== undefined && target.attrs[k] === value);
  }

  /** Starts recording which variable defaults stand in for values (the engine calls this per check). */
  public startTracking(): void {
    this.defaultsUsed.clear();
  }

  /**
   * `value` with whole-string `${var.x}` and `${local.x}` replaced by the variable's default or the
   * local's literal value (recursively), so a rule can judge a default; other expressions stay.
   */
  public resolve(value: unknown, depth = 0): unknown {
    if (depth > 8) return value;
    if (typeof value === 'string') {
      const m = /^\$\{(var|local)\.([\w-]+)\}$/.exec(value);
      if (!m) return value;
      if (m[1] === 'var') {
        const variable = this.variables[m[2]];
        if (!variable?.hasDefault || variable.default === null) return value;
        this.defaultsUsed.add(`var.${m[2]}`);
        return this.resolve(variable.default, depth + 1);
      }
      return m[2] in this.locals ? this.resolve(this.locals[m[2]], depth + 1) : value;
    }
    if (Array.isArray(value)) return value.map((v) => this.resolve(v, depth + 1));
    if (isObject(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v, depth + 1)]));
    }
    return value;
  }

  /**
   * The value at a dotted path of a resource's attributes (`tracing_config.mode`); a whole-string
   * variable or local on the way is replaced by its default or value (nested ones are left for the
   * rule to resolve, so only what a rule reads counts as read). A block rendered as a list of one (as
   * a plan renders blocks) is stepped into.
   */
  public value(r: ResourceView, path: string): unknown {
    let current: unknown = r.attrs;
    for (const key of path.split('.')) {
      current = this.resolveShallow(current);
      if (Array.isArray(current) && current.length === 1 && isObject(current[0])) current = current[0];
      // a block or map that is itself unknown: what is inside it is unknown too (not absent)
      if (isExpression(current)) return current;
      if (!isObject(current)) return undefined;
      current = current[key];
    }
    return this.resolveShallow(current);
  }

  /** `value` itself resolved when it is exactly `${var.x}` or `${local.x}`; otherwise unchanged. */
  private resolveShallow(value: unknown): unknown {
    return typeof value === 'string' && /^\$\{(var|local)\.[\w-]+\}$/.test(value) ? this.resolve(value) : value;
  }

  /** The statements of a policy (document reference, JSON, jsonencode); NotChecked when unreadable. */
  public statements(policy: unknown, field: string): PolicyStatement[] {
    // Several rules read the same policies: read each once (with the variables its reading used).
    if (typeof policy !== 'string') return statementsOf(this, policy, field);
    const key = `${field}\u0000${policy}`;
    let entry = this.policies.get(key);
    if (!entry) {
      const before = new Set(this.defaultsUsed);
      this.defaultsUsed.clear();
      try {
        entry = { statements: statementsOf(this, policy, field), defaults: [...this.defaultsUsed] };
      } catch (e) {
        if (!(e instanceof NotChecked)) throw e;
        entry = { error: e, defaults: [...this.defaultsUsed] };
      }
      for (const d of before) this.defaultsUsed.add(d);
      this.policies.set(key, entry);
    }
    for (const d of entry.defaults) this.defaultsUsed.add(d);
    if (entry.error) throw entry.error;
    return entry.statements as PolicyStatement[];
  }

  /** The statements of a policy, or undefined when they cannot be read here. */
  public policyStatements(policy: unknown): PolicyStatement[] | undefined {
    try {
      return statementsOf(this, policy, 'policy');
    } catch (e) {
      if (e instanceof NotChecked) return undefined;
      throw e;
    }
  }

  /** The AWS provider's region, when it is a literal. */
  public get region(): string | undefined {
    const provider = this.resources.find((r) => r.kind === 'provider' && r.name === 'aws' && !r.attrs.alias);
    const region = provider ? this.resolve(provider.attrs.region) : undefined;
    return typeof region === 'string' && !region.includes('${') ? region : undefined;
  }
}
