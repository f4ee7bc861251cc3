/**
 * A `terraform show -json <planfile>` document as a StackView, so the same rules run on a plan:
 * values are resolved (variables, locals, module inputs, documents read at plan time). A value known
 * only after apply becomes the reference it comes from (`${aws_sqs_queue.q.arn}`, with the module
 * prefix), so rules that follow references still can; a computed attribute the configuration does not
 * set is left out, as it is in a synthesized configuration. Pure; never throws on odd input.
 */
import { UNKNOWN_AFTER_APPLY, type Json } from './values';
import { StackView, type ResourceView, type ViewParts } from './view';

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

interface ConfigModule {
  readonly resources: Map<string, Json>;
  readonly calls: Record<string, Json>;
}

/** Configuration modules by their address without instance keys (`''`, `module.a`, `module.a.module.b`). */
function configModules(root: unknown): Map<string, ConfigModule> {
  const out = new Map<string, ConfigModule>();
  const walk = (module: unknown, address: string, depth: number) => {
    if (!isObject(module) || depth > 20) return;
    const resources = new Map(objects(module.resources).map((r) => [String(r.address), r]));
    const calls = isObject(module.module_calls) ? (module.module_calls as Record<string, Json>) : {};
    out.set(address, { resources, calls });
    for (const [name, call] of Object.entries(calls)) {
      if (isObject(call)) walk(call.module, address ? `${address}.module.${name}` : `module.${name}`, depth + 1);
    }
  };
  walk(root, '', 0);
  return out;
}

/** `module.a[0].module.b["k"].aws_x.y[1]` -> { module: 'module.a[0].module.b["k"]', local: 'aws_x.y' }. */
function splitAddress(address: string): { moduleInstance: string; moduleKey: string; local: string } {
  const parts = address.match(/(?:[^.[\]"]+|\[[^\]]*\])/g) ?? [];
  let i = 0;
  const moduleParts: string[] = [];
  while (parts[i] === 'module') {
    let part = `module.${parts[i + 1]}`;
    i += 2;
    if (parts[i]?.startsWith('[')) part += parts[i++];
    moduleParts.push(part);
  }
  const local = parts
    .slice(i)
    .filter((p) => !p.startsWith('['))
    .join('.');
  const moduleInstance = moduleParts.join('.');
  return { moduleInstance, moduleKey: moduleInstance.replace(/\[[^\]]*\]/g, ''), local };
}

/** The reference an expression gives for element `index` of its value, with the module prefix. */
function referenceFor(expression: unknown, prefix: string, index?: number): string | undefined {
  if (!isObject(expression) || !Array.isArray(expression.references)) return undefined;
  const refs = (expression.references as unknown[]).map(String);
  // `aws_x.y.arn` and `aws_x.y` come in pairs: the attribute-level ones name the values, in order
  const specific = refs.filter(
    (r) => !/^(var|local|each|count|path|self)\./.test(r) && r.split('.').length > (r.startsWith('data.') ? 3 : 2),
  );
  const distinct = [...new Set(specific)];
  // one element of a list of references; or the whole value when it is one reference (not built from several)
  const ref =
    index !== undefined && specific.length > 1 ? specific[index] : distinct.length === 1 ? distinct[0] : undefined;
  if (!ref) return undefined;
  return `\${${prefix ? `${prefix}.` : ''}${ref}}`;
}

/**
 * `value` with its unknown parts (per `unknown`, the plan's after_unknown) replaced by the reference
 * the configuration `expression` gives, or the after-apply placeholder; unknown parts the
 * configuration does not set are left out (undefined).
 */
function fillUnknown(value: unknown, unknown: unknown, expression: unknown, prefix: string, index?: number): unknown {
  if (unknown === true) {
    if (expression === undefined) return undefined;
    return referenceFor(expression, prefix, index) ?? UNKNOWN_AFTER_APPLY;
  }
  if (Array.isArray(unknown)) {
    const base = Array.isArray(value) ? value : [];
    const length = Math.max(base.length, unknown.length);
    return Array.from({ length }, (_, i) =>
      fillUnknown(base[i], unknown[i], Array.isArray(expression) ? expression[i] : expression, prefix, i),
    );
  }
  if (isObject(unknown)) {
    const out: Json = isObject(value) ? { ...value } : {};
    const scope = Array.isArray(expression) ? expression[0] : expression;
    for (const [k, u] of Object.entries(unknown)) {
      const filled = fillUnknown(out[k], u, isObject(scope) ? scope[k] : undefined, prefix);
      if (filled === undefined) delete out[k];
      else out[k] = filled;
    }
    return out;
  }
  return value;
}

/** A provider's attributes from its configuration expressions (constants, or references as `${...}`). */
function expressionValues(expressions: unknown): unknown {
  if (Array.isArray(expressions)) return expressions.map(expressionValues);
  if (!isObject(expressions)) return undefined;
  if ('constant_value' in expressions) return expressions.constant_value;
  if (Array.isArray(expressions.references)) return referenceFor(expressions, '') ?? UNKNOWN_AFTER_APPLY;
  return Object.fromEntries(Object.entries(expressions).map(([k, v]) => [k, expressionValues(v)]));
}

/** Walks a state/planned-values module tree. */
function stateResources(module: unknown, out: Json[] = [], depth = 0): Json[] {
  if (!isObject(module) || depth > 20) return out;
  out.push(...objects(module.resources));
  for (const child of objects(module.child_modules)) stateResources(child, out, depth + 1);
  return out;
}

/** The parts of a StackView read from `terraform show -json` output. */
export function planParts(plan: Json): ViewParts {
  const configuration = isObject(plan.configuration) ? plan.configuration : {};
  const modules = configModules(configuration.root_module);
  const resources = new Map<string, ResourceView>();

  const add = (address: string, mode: unknown, type: unknown, name: unknown, attrs: Json) => {
    const kind = mode === 'data' ? 'data' : 'resource';
    resources.set(address, { kind, type: String(type), name: String(name), address, path: address, attrs });
  };

  // Data sources read while planning (and the state of existing resources): fully known.
  const priorState = isObject(plan.prior_state) && isObject(plan.prior_state.values) ? plan.prior_state.values : {};
  for (const r of stateResources(priorState.root_module)) {
    if (typeof r.address === 'string' && isObject(r.values)) add(r.address, r.mode, r.type, r.name, r.values);
  }
  // What the plan will create or update, and data sources it reads during apply.
  for (const rc of objects(plan.resource_changes)) {
    const change = isObject(rc.change) ? rc.change : {};
    const actions = Array.isArray(change.actions) ? change.actions : [];
    if (typeof rc.address !== 'string' || (actions.includes('delete') && !actions.includes('create'))) continue;
    const { moduleInstance, moduleKey, local } = splitAddress(rc.address);
    const config = modules.get(moduleKey)?.resources.get(local);
    const expressions = isObject(config?.expressions) ? config.expressions : {};
    const attrs = fillUnknown(
      isObject(change.after) ? change.after : {},
      change.after_unknown ?? {},
      expressions,
      moduleInstance,
    );
    add(rc.address, rc.mode, rc.type, rc.name, isObject(attrs) ? attrs : {});
  }

  const providerConfig = isObject(configuration.provider_config) ? configuration.provider_config : {};
  for (const [key, p] of Object.entries(providerConfig)) {
    if (!isObject(p) || key.includes(':')) continue; // root module providers only
    const name = typeof p.name === 'string' ? p.name : key.split('.')[0];
    const attrs = expressionValues(p.expressions);
    const alias = typeof p.alias === 'string' ? p.alias : undefined;
    const address = alias ? `provider.${name}.${alias}` : `provider.${name}`;
    resources.set(address, {
      kind: 'provider',
      type: `${name}_provider`,
      name,
      address,
      path: address,
      attrs: { ...(isObject(attrs) ? attrs : {}), ...(alias ? { alias } : {}) },
    });
  }

  const identity = [...resources.values()].find((r) => r.kind === 'data' && r.type === 'aws_caller_identity');
  const accountId = typeof identity?.attrs.account_id === 'string' ? identity.attrs.account_id : undefined;
  return { resources: [...resources.values()], variables: {}, locals: {}, modules: [], source: 'plan', accountId };
}

/** A StackView of a plan (`terraform show -json plan.out`). */
export function planView(plan: Json): StackView {
  return new StackView(plan, planParts(plan));
}
