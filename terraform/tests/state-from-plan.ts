/**
 * A Terraform state made from a plan that creates everything, as if it had been applied: the planned
 * values, every value only AWS would know filled in (by the attribute's type in the provider's schema,
 * or as the caller says), and every attribute that refers to another resource's attribute set to that
 * attribute's value, so a second plan against the state sees exactly the configuration it planned.
 * With `terraform plan -refresh=false` against such a state, a test sees what a change of the
 * configuration (or of AWS, through a data source) does to resources that exist, with no account.
 */
import { STAND_IN_ACCOUNT } from '../aws-stand-in';
import { run, type Toolchain, type Workspace } from '../runner';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const AWS = 'registry.terraform.io/hashicorp/aws';

/** The aws provider's resource schemas (`terraform providers schema -json` in an initialized workspace). */
export async function awsResourceSchemas(tc: Toolchain, ws: Workspace): Promise<Json> {
  const { stdout } = await run(tc.terraform.bin, ['providers', 'schema', '-json'], {
    cwd: ws.dir,
    env: tc.env,
    timeoutMs: 120_000,
  });
  return (JSON.parse(stdout) as Json).provider_schemas[AWS].resource_schemas;
}

/** A value of a cty type that AWS could have returned for a computed attribute (`where`: `<address>.<name>`). */
function valueOfType(type: unknown, name: string, where: string): unknown {
  if (type === 'string')
    return name === 'arn' || name.endsWith('_arn')
      ? `arn:aws:stand-in:us-west-2:${STAND_IN_ACCOUNT}:${where}`
      : `stand-in-${where}`;
  if (type === 'number') return 1;
  if (type === 'bool') return false;
  if (Array.isArray(type)) {
    if (type[0] === 'list' || type[0] === 'set') return [];
    if (type[0] === 'map') return {};
  }
  return null;
}

/** The value of an unknown attribute or block of `block` (a schema block). */
function standIn(block: Json | undefined, name: string, where: string): unknown {
  const attribute = block?.attributes?.[name];
  if (attribute?.type !== undefined) return valueOfType(attribute.type, name, where);
  const nested = attribute?.nested_type ?? block?.block_types?.[name];
  if (nested) return ['list', 'set'].includes(nested.nesting_mode) ? [] : nested.nesting_mode === 'map' ? {} : null;
  return `stand-in-${where}`;
}

/** Fills the unknown leaves of `values` (marked `true` in `unknown`), recursing into known blocks. */
function fill(
  values: Json,
  unknown: Json,
  block: Json | undefined,
  where: { path: string; address: string },
  overrides: Json,
): void {
  for (const [name, u] of Object.entries(unknown)) {
    const at = `${where.path}.${name}`;
    if (u === true) {
      values[name] = at in overrides ? overrides[at] : standIn(block, name, `${where.address}.${name}`);
    } else if (Array.isArray(u) && Array.isArray(values[name])) {
      const nested = block?.block_types?.[name]?.block ?? block?.attributes?.[name]?.nested_type;
      u.forEach((item, i) => {
        if (item && typeof item === 'object' && values[name][i] && typeof values[name][i] === 'object')
          fill(
            values[name][i],
            item as Json,
            nested,
            { path: at, address: `${where.address}.${name}[${i}]` },
            overrides,
          );
      });
    }
  }
}

/** The zero value of a cty type (what the AWS provider's SDKv2 resources store for an unset attribute). */
function zeroOfType(type: unknown): unknown {
  if (type === 'string') return '';
  if (type === 'number') return 0;
  if (type === 'bool') return false;
  if (Array.isArray(type) && (type[0] === 'list' || type[0] === 'set')) return [];
  if (Array.isArray(type) && type[0] === 'map') return {};
  return null;
}

/**
 * Inside the items of nested blocks, the null of an attribute the configuration leaves out becomes its
 * zero value: a plan from nothing shows null there, but the AWS provider's SDKv2 resources store `""`,
 * `0`, `false` or `[]` when they are applied, and plan them so against a state (a launch template's
 * `ebs.kms_key_id`, an instance refresh's `checkpoint_delay`). Top-level attributes keep their null.
 */
function zeroNestedNulls(values: Json, block: Json | undefined, nested: boolean): void {
  if (!block) return;
  if (nested)
    for (const [name, attribute] of Object.entries((block.attributes ?? {}) as Json))
      if (values[name] === null && attribute.type !== undefined) values[name] = zeroOfType(attribute.type);
  for (const [name, child] of Object.entries((block.block_types ?? {}) as Json))
    if (Array.isArray(values[name]))
      for (const item of values[name] as unknown[])
        if (item && typeof item === 'object') zeroNestedNulls(item as Json, child.block, true);
}

/**
 * The resource attribute an expression is exactly (`aws_x.y.attr`), or undefined for a constant, an
 * interpolation of several parts or a reference to a data source or variable. A JSON configuration
 * (cdktf's) shows `"${aws_x.y.attr}"` as its constant value beside the references; HCL shows only these.
 */
function bareReference(expression: Json | undefined): string | undefined {
  const refs = (expression?.references as string[] | undefined) ?? [];
  const resourceRef = (r: string) => /^aws_[a-z0-9_]+\.[^.]+\.[a-z0-9_]+$/.test(r);
  const constant = expression?.constant_value;
  if (typeof constant === 'string') {
    const m = /^\$\{([^{}]+)\}$/.exec(constant);
    return m && resourceRef(m[1]) ? m[1] : undefined;
  }
  if (constant !== undefined) return undefined;
  const full = refs.filter(resourceRef);
  return full.length === 1 && refs.every((r) => r === full[0] || full[0].startsWith(`${r}.`)) ? full[0] : undefined;
}

/** The value of a resource attribute (`aws_x.y.attr`) in `all`, if there. */
function valueOf(ref: string | undefined, all: Map<string, Json>): unknown {
  if (ref === undefined) return undefined;
  const [type, resourceName, attribute] = ref.split('.');
  return all.get(`${type}.${resourceName}`)?.[attribute];
}

/** Sets every attribute whose configuration is one reference (`aws_x.y.attr`) to that attribute's value. */
function resolveReferences(values: Json, expressions: Json | undefined, all: Map<string, Json>): void {
  for (const [name, expression] of Object.entries(expressions ?? {})) {
    if (Array.isArray(expression)) {
      expression.forEach((nested, i) => {
        if (values[name]?.[i] && typeof values[name][i] === 'object') resolveReferences(values[name][i], nested, all);
      });
      continue;
    }
    const constant = (expression as Json | undefined)?.constant_value;
    if (Array.isArray(constant)) {
      // A list of references (security group ids): each item that is one.
      const items = constant.map((item) =>
        typeof item === 'string' ? valueOf(bareReference({ constant_value: item }), all) : undefined,
      );
      if (items.length > 0 && items.every((item) => item !== undefined)) values[name] = items;
      continue;
    }
    const ref = bareReference(expression as Json);
    if (ref === undefined) continue;
    const [type, resourceName, attribute] = ref.split('.');
    const target = all.get(`${type}.${resourceName}`);
    if (!target || !(attribute in target)) continue;
    // A number read into a string argument (a launch template version) is its text.
    values[name] =
      typeof values[name] === 'string' && typeof target[attribute] === 'number'
        ? String(target[attribute])
        : target[attribute];
  }
}

/**
 * The state `plan` (a `terraform show -json` of a plan from nothing) would leave. `overrides` give the
 * values of computed attributes by `<type>.<attribute>` (or a nested path, `<type>.<block>.<attribute>`)
 * where the schema type is not enough (a timestamp, an id AWS formats).
 */
export function stateFromPlan(plan: Json, schemas: Json, overrides: Json = {}): Json {
  const managed = (plan.planned_values.root_module.resources as Json[]).filter((r) => r.mode === 'managed');
  const changes = new Map((plan.resource_changes as Json[]).map((c) => [c.address as string, c.change as Json]));
  const config = new Map(
    (plan.configuration.root_module.resources as Json[]).map((r) => [r.address as string, r.expressions as Json]),
  );
  const values = new Map<string, Json>();
  for (const r of managed) {
    const v = structuredClone(r.values) as Json;
    // Before the unknown values are filled: those are as given (an override may be null on purpose).
    zeroNestedNulls(v, schemas[r.type]?.block, false);
    fill(
      v,
      changes.get(r.address)?.after_unknown ?? {},
      schemas[r.type]?.block,
      { path: r.type, address: r.address },
      overrides,
    );
    values.set(r.address, v);
  }
  // Twice: a reference to a reference (a role's name through its id) settles on the second pass.
  for (let pass = 0; pass < 2; pass++)
    for (const r of managed) resolveReferences(values.get(r.address) as Json, config.get(r.address), values);
  return {
    version: 4,
    terraform_version: plan.terraform_version,
    serial: 1,
    lineage: '00000000-0000-4000-8000-000000000001',
    outputs: {},
    resources: managed.map((r) => ({
      mode: 'managed',
      type: r.type,
      name: r.name,
      provider: `provider["${r.provider_name}"]`,
      instances: [{ schema_version: r.schema_version, attributes: values.get(r.address), sensitive_attributes: [] }],
    })),
  };
}
