/**
 * A read-only view of `terraform show -json <plan>` for the review summary: every resource change,
 * the values known at plan time, and, where a value is known only after apply, the expression it
 * comes from (so a reviewer reads `arn:aws:logs:us-west-2:123456789012:log-group:<aws_cloudwatch_log_group.x.arn>`
 * rather than `(known after apply)`). Works for root modules and child modules (module.<name>.<address>).
 */

type Json = Record<string, unknown>;

export interface Change {
  /** The instance address, e.g. `module.chatbot.aws_iam_role.role` or `aws_subnet.private[0]`. */
  readonly address: string;
  /** `module.chatbot.aws_iam_role.role`: the address without instance keys, as in the configuration. */
  readonly configAddress: string;
  /** `module.chatbot.`, or '' in the root module. */
  readonly modulePrefix: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  /** create, update, replace, delete, no-op, read */
  readonly action: string;
  /** The planned values (known ones; unknown ones are null or absent). */
  readonly after: Json;
  /** Which planned values are known only after apply (terraform's after_unknown). */
  readonly unknown: unknown;
}

/** terraform's action list -> one word. */
export function actionOf(actions: readonly string[]): string {
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  if (actions.length === 1) return actions[0];
  return actions.join('+');
}

const stripKeys = (address: string) => address.replace(/\[[^\]]*\]/g, '');

function get(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || v === undefined || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

interface Expression {
  readonly constant_value?: unknown;
  readonly references?: readonly string[];
}

export class PlanView {
  readonly changes: Change[] = [];
  /** Data sources read at plan time: address -> values. */
  private readonly dataValues = new Map<string, Json>();
  /** Configuration resources by config address -> their expressions. */
  private readonly config = new Map<string, Json>();

  constructor(readonly plan: Json) {
    for (const rc of (plan.resource_changes as Json[] | undefined) ?? []) {
      const change = rc.change as Json;
      const address = String(rc.address);
      this.changes.push({
        address,
        configAddress: stripKeys(address),
        modulePrefix: rc.module_address ? `${stripKeys(String(rc.module_address))}.` : '',
        mode: rc.mode as 'managed' | 'data',
        type: String(rc.type),
        action: actionOf((change.actions as string[]) ?? []),
        after: (change.after as Json | null) ?? {},
        unknown: change.after_unknown ?? {},
      });
    }
    const walkState = (module: Json | undefined) => {
      for (const r of (module?.resources as Json[] | undefined) ?? [])
        if (r.mode === 'data') this.dataValues.set(String(r.address), (r.values as Json) ?? {});
      for (const child of (module?.child_modules as Json[] | undefined) ?? []) walkState(child);
    };
    walkState(get(plan, ['prior_state', 'values', 'root_module']) as Json | undefined);
    const walkConfig = (module: Json | undefined, prefix: string) => {
      for (const r of (module?.resources as Json[] | undefined) ?? [])
        this.config.set(`${prefix}${String(r.address)}`, (r.expressions as Json) ?? {});
      for (const [name, call] of Object.entries((module?.module_calls as Record<string, Json> | undefined) ?? {}))
        walkConfig(call.module as Json, `${prefix}module.${name}.`);
    };
    walkConfig(get(plan, ['configuration', 'root_module']) as Json | undefined, '');
  }

  /** Managed resources whose planned end state exists (not being destroyed). */
  planned(type: string): Change[] {
    return this.changes.filter((c) => c.mode === 'managed' && c.type === type && c.action !== 'delete');
  }

  /** A data source's values: read at plan time, or its planned (partly unknown) values. */
  data(address: string): { values: Json; unknown: unknown } | undefined {
    const read = this.dataValues.get(address);
    if (read) return { values: read, unknown: {} };
    const deferred = this.changes.find((c) => c.mode === 'data' && c.address === address);
    return deferred ? { values: deferred.after, unknown: deferred.unknown } : undefined;
  }

  /** The configuration expression of a resource's field (`['statement', 0, 'resources']`). */
  expression(configAddress: string, path: readonly (string | number)[]): Expression | undefined {
    const e = get(this.config.get(configAddress), path);
    return e && typeof e === 'object' && !Array.isArray(e) ? (e as Expression) : undefined;
  }

  /** The attribute references of a field's expression, module-prefixed, without their parents (`a.b.c`, not `a.b`). */
  references(change: Pick<Change, 'configAddress' | 'modulePrefix'>, path: readonly (string | number)[]): string[] {
    const refs = (this.expression(change.configAddress, path)?.references ?? []).map(
      (r) => `${change.modulePrefix}${r}`,
    );
    return [...new Set(refs.filter((r) => !refs.some((o) => o !== r && o.startsWith(`${r}.`))))];
  }

  /** The managed resource a field references (`role` -> module.x.aws_iam_role.role), if any. */
  referenced(change: Change, path: readonly (string | number)[], type: string): Change | undefined {
    for (const ref of this.references(change, path)) {
      const target = stripKeys(ref).split('.').slice(0, -1).join('.');
      const hit = this.changes.find((c) => c.mode === 'managed' && c.type === type && c.configAddress === target);
      if (hit) return hit;
    }
    return undefined;
  }

  /**
   * `${data.aws_region.r.name}`-style references in a template replaced by the values read at plan
   * time; anything else stays a readable `<expression>`.
   */
  resolve(template: string, modulePrefix: string): string {
    return template.replace(/\$\{([^}]*)\}/g, (_, expr: string) => {
      const m = /^\s*(data\.[\w-]+\.[\w-]+)\.([\w-]+)\s*$/.exec(expr);
      if (m) {
        const value = this.dataValues.get(`${modulePrefix}${m[1]}`)?.[m[2]];
        if (typeof value === 'string') return value;
      }
      return `<${modulePrefix}${expr.trim().replace(/\s+/g, ' ')}>`;
    });
  }

  /**
   * A planned list of strings, each element known (its value), or known after apply (its
   * expression resolved as far as the plan knows, or the references it comes from).
   */
  strings(
    change: Pick<Change, 'configAddress' | 'modulePrefix'>,
    values: unknown,
    unknown: unknown,
    path: readonly (string | number)[],
  ): string[] {
    if (unknown === true) return [this.afterApply(change, path)];
    const list = Array.isArray(values) ? values : [];
    const flags = Array.isArray(unknown) ? unknown : [];
    const expression = this.expression(change.configAddress, path);
    const value = expression?.constant_value;
    const constants = Array.isArray(value) ? (value as unknown[]) : typeof value === 'string' ? [value] : undefined;
    const out: string[] = [];
    let pendingUnknown = false;
    list.forEach((v, i) => {
      if (flags[i] !== true && v !== null) out.push(String(v));
      else if (constants && constants.length === list.length && typeof constants[i] === 'string')
        out.push(this.resolve(constants[i] as string, change.modulePrefix));
      else pendingUnknown = true;
    });
    if (pendingUnknown) out.push(this.afterApply(change, path));
    return out;
  }

  private afterApply(change: Pick<Change, 'configAddress' | 'modulePrefix'>, path: readonly (string | number)[]) {
    // References to data read at plan time are not what is missing.
    const refs = this.references(change, path).filter((r) => {
      const data = /^(.*data\.[\w-]+\.[\w-]+)\.[\w-]+$/.exec(stripKeys(r));
      return !(data && this.dataValues.has(data[1]));
    });
    return refs.length > 0 ? `<after apply: ${refs.join(', ')}>` : '<known after apply>';
  }

  /** The region the plan reads: a data aws_region's value, else the aws provider's region. */
  region(): string | undefined {
    for (const [address, values] of this.dataValues)
      if (/(^|\.)data\.aws_region\./.test(address)) {
        const region = values.region ?? values.name;
        if (typeof region === 'string' && region !== '') return region;
      }
    const expression = get(this.plan, ['configuration', 'provider_config', 'aws', 'expressions', 'region']) as
      Expression | undefined;
    if (typeof expression?.constant_value === 'string') return expression.constant_value;
    const variable = expression?.references?.find((r) => r.startsWith('var.'))?.slice(4);
    const value = variable ? get(this.plan, ['variables', variable, 'value']) : undefined;
    return typeof value === 'string' ? value : undefined;
  }

  /** An output's planned value, if known. */
  output(name: string): unknown {
    return get(this.plan, ['output_changes', name, 'after']);
  }
}

export { get as getPath };
