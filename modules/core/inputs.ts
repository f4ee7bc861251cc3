/**
 * A construct's inputs described once, as data: type, range or pattern, default, description and the
 * version that added each. From that one description come
 *   - the synth-time checks, with messages that name the construct path, the field and the value
 *     (`TracedQueue "dev/enquiries": batchSize must be a whole number in 1..10000, got 0`);
 *   - the defaults (`resolve` returns the props with every default applied);
 *   - the published Terraform module's `variable` blocks, with the same checks as `validation` blocks
 *     (`terraform-modules/`);
 *   - the props interface with its JSDoc, and the README input tables (`npm run build:docs`, kept in
 *     step by a test).
 *
 * Every check is token-aware (`./expr`): it runs in TypeScript on values known at synth, and becomes a
 * Terraform condition on values only known at plan, such as a module's variables.
 */
import { Token, type IResolvable } from 'cdktf';
import type { Construct, IConstruct } from 'constructs';
import {
  and,
  hcl,
  implies,
  inRange,
  isSet,
  isToken,
  known,
  lengthOf,
  matches,
  oneOf as within,
  orElse,
  presenceOf,
  presentWhen,
  raw,
  type Bool,
} from './expr';
import { LOG_RETENTION_DAYS, ValidationError, arnProblem, describeConstruct, show, type ArnKind } from './validation';

/** The version of this library the first inputs were published in. */
export const FIRST_RELEASE = '0.1.0';

/** Renders a field name for the reader: camelCase in TypeScript messages, snake_case in Terraform ones. */
export type Namer = (field: string) => string;

export const camel: Namer = (f) => f;
export const snake: Namer = (f) =>
  f
    .replace(/GiB|MiB|KiB/g, (unit) => `${unit[0]}${unit.slice(1).toLowerCase()}`)
    .replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
    .replace(/\./g, '_');

/**
 * A rule's words: a string, or a function of the namer when it names other fields. At synth it also
 * gets the values, to show the numbers it compared (`at least 120 (6x the consumer's 20 s timeout)`);
 * at plan there are none.
 */
export type Words = string | ((name: Namer, values?: any) => string); // eslint-disable-line @typescript-eslint/no-explicit-any

const words = (w: Words, name: Namer, values?: unknown) => (typeof w === 'string' ? w : w(name, values));

/** One rule a value must follow. */
export interface Rule<V> {
  /** What the value must be: `a whole number in 1..1000`. */
  readonly rule: Words;
  /** True when `value` follows the rule: a boolean at synth, a Terraform condition at plan. Never given undefined. */
  readonly test: (value: V) => Bool;
  /** What the message shows after `got` (a size rather than a whole document). @default the value */
  readonly got?: (value: V) => unknown;
}

/** A default computed from the other props (a Terraform expression when they are). */
export interface Derived<V> {
  readonly derived: true;
  /** How the default is found, for the docs: `6x the consumer's timeout plus the batching window`. */
  readonly doc: string;
  readonly value: (props: any) => V; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** An optional input with no value by default; `doc` says what happens without it. */
export interface None {
  readonly none: true;
  readonly doc: string;
}

/** A default that depends on other props; `props` has the literal defaults applied. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function derived<V>(doc: string, value: (props: any) => V): Derived<V> {
  return { derived: true, doc, value };
}

/** Optional, absent by default; `doc` says what that means (`not in a VPC`). */
export function none(doc: string): None {
  return { none: true, doc };
}

export type DefaultOf<V> = V | Derived<V> | None;

export const isNone = (d: unknown): d is None => typeof d === 'object' && d !== null && 'none' in d;
export const isDerived = (d: unknown): d is Derived<unknown> => typeof d === 'object' && d !== null && 'derived' in d;
/** A literal default (not none, not derived). */
const literalDefault = (d: unknown): boolean => d !== undefined && !isNone(d) && !isDerived(d);

/** What a field's value is, at run time: how a token of it is typed. */
export type Kind = 'string' | 'number' | 'boolean' | 'list' | 'map' | 'object' | 'any';

/** One variable of a module (or one attribute of an object in a list variable). */
export interface HclPart {
  /** snake_case name. */
  readonly name: string;
  /** HCL type constraint. */
  readonly type: string;
  readonly description: string;
  /** Omitted: required. `null`: optional, null by default. */
  readonly default?: unknown;
}

/** Where a module reads a value: the scope to build imports in, and any module variable by name. */
export interface ReadContext {
  readonly scope: Construct;
  readonly variable: (name: string) => IResolvable;
}

/** Reads a value back from Terraform: `get(part)` is the expression of one part by name. */
export type HclRead<V> = (get: (part: string) => IResolvable, name: string, context?: ReadContext) => V;

/** The TypeScript side of a field: its type text, and what the generated file must import or declare. */
export interface TsType {
  readonly text: string;
  /** Type imports of the generated props file: name -> module specifier. */
  readonly imports?: Readonly<Record<string, string>>;
  /** Declarations the generated props file carries (nested interfaces, union types). */
  readonly declarations?: readonly ObjectShape<unknown>[] | readonly string[];
}

export interface Field<V, HasDefault extends boolean = boolean> {
  readonly kind: Kind;
  /** One-line summary, then the allowed range in words; a blank line starts another paragraph. */
  readonly doc: string;
  /** A link to the AWS or Terraform documentation. */
  readonly see?: string;
  /** The library version that added the field. */
  readonly since: string;
  /** Undefined: required. */
  readonly default?: DefaultOf<V>;
  readonly rules: readonly Rule<V>[];
  readonly ts: TsType;
  /** The module variables (or object attributes) the field becomes, and how it is read back. */
  readonly parts: (name: string, field: Field<V>) => HclPart[];
  readonly read: HclRead<V>;
  /** Construct-only: no module variable (a file to bundle); the module builder supplies a value. */
  readonly notInModule?: boolean;
  /** Optional in TypeScript, required in a module. */
  readonly requiredInModule?: boolean;
  /** Fields of a nested object. */
  readonly shape?: ObjectShape<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** A list of objects: `shape` describes the items. */
  readonly list?: boolean;
  /** What must differ between items of a list. */
  readonly unique?: readonly Unique<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Rules every key of a map must follow. */
  readonly keys?: readonly Rule<string>[];
  /** A rule every item of a list of strings must follow (`alarmActions[1] must be an alarm action ARN`). */
  readonly every?: Rule<string>;
  /** The prefix of a nested object's module variables (`''`: the sub-fields' own names). */
  readonly prefix?: string;
  /** An optional nested object's part whose presence tells it is there (see {@link ObjectOptions}). */
  readonly presentWith?: string;
  /** A rule for every value of a map. */
  readonly values?: Rule<string>;
  /** Checks a module runs on the variables of a reference (`consumer_role_name` set with `consumer_function_arn`). */
  readonly moduleChecks?: (
    get: (part: string) => IResolvable,
  ) => readonly { part: string; rule: string; condition: IResolvable }[];
  /** Phantom: whether the field has a default, for {@link Resolved}. */
  readonly __hasDefault?: HasDefault;
}

/** What must differ between the items of a list: `{ key: (r) => r.priority, field: 'priority' }`. */
export interface Unique<T> {
  readonly key: (item: T) => unknown;
  /** The field the message names, when the key is one field. */
  readonly field?: string;
  /** The rule's words. @default 'unique' */
  readonly what?: string;
}

/** A check that reads several fields, written once with token-aware operators. */
export interface Check<R> {
  /** The field the message names (in a module: the variable whose validation carries it). */
  readonly field: string;
  readonly rule: Words;
  readonly test: (props: R) => Bool;
  /** The value shown after `got`. @default the field's value */
  readonly got?: (props: R) => unknown;
  /** The path the message names at synth when the values decide it (`routes[3].path`). @default the field */
  readonly where?: (props: R) => string;
  /** The module variable (and message name) when it is not the field's snake_case. */
  readonly variable?: string;
}

type FieldsOf<P> = { readonly [K in keyof P]-?: Field<NonNullable<P[K]>, boolean> };

/** The shape of an object: a nested prop (`throttle`), or the items of a list (`routes`). */
export interface ObjectShape<P> {
  readonly typeName: string;
  readonly doc: string;
  readonly fields: FieldsOf<P>;
  readonly checks?: readonly Check<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The props with every default applied: a field with a default (literal or derived) is never undefined. */
export type Resolved<P, F extends FieldsOf<P>> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly [K in keyof P]-?: F[K] extends Field<any, true> ? NonNullable<P[K]> : P[K];
};

type HasDefault<O> = O extends { default: None } ? false : O extends { default: unknown } ? true : false;

// ---------------------------------------------------------------------------------------------------
// Field builders

/** What every builder takes. */
export interface Common<V> {
  readonly doc: string;
  readonly see?: string;
  /** @default FIRST_RELEASE */
  readonly since?: string;
  /** Omitted: required. A value, `derived(...)` or `none(...)`. */
  readonly default?: DefaultOf<V>;
  /** More rules, beyond the builder's own. */
  readonly rules?: readonly Rule<V>[];
  /** Construct-only: no module variable. */
  readonly notInModule?: boolean;
  /** Optional in TypeScript, required in a module (a name many module instances must not share). */
  readonly requiredInModule?: boolean;
}

/** The module default of a field: required, null (none or derived), or its literal default. */
export function hclDefault(f: { default?: unknown; requiredInModule?: boolean }): { default?: unknown } {
  if (f.default === undefined || f.requiredInModule) return {};
  if (!literalDefault(f.default)) return { default: null };
  return { default: f.default };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyField = Field<any, any>;

function build(
  kind: Kind,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  o: Common<any>,
  own: Omit<AnyField, 'kind' | 'doc' | 'see' | 'since' | 'default' | 'notInModule' | 'parts' | 'read'> &
    Partial<Pick<AnyField, 'parts' | 'read'>> & { hclType?: string },
): AnyField {
  const { hclType, ...rest } = own;
  return {
    ...rest,
    kind,
    doc: o.doc,
    see: o.see,
    since: o.since ?? FIRST_RELEASE,
    default: o.default,
    notInModule: o.notInModule,
    requiredInModule: o.requiredInModule,
    parts:
      own.parts ??
      ((name, f) => [{ name, type: hclType as string, description: firstParagraph(f.doc), ...hclDefault(f) }]),
    read: own.read ?? ((get, name) => typedToken(kind, get(name))),
    rules: [...own.rules, ...(o.rules ?? [])],
  } as AnyField;
}

/** A token typed like a field's kind: a number token for numbers, a string token for strings. */
export function typedToken(kind: Kind, value: IResolvable): unknown {
  switch (kind) {
    case 'string':
      return Token.asString(value);
    case 'number':
      return Token.asNumber(value);
    case 'list':
      return Token.asList(value);
    case 'map':
      return Token.asStringMap(value);
    default:
      return value;
  }
}

export interface TextOptions extends Common<string> {
  /** A regular expression (keep to RE2: it becomes a Terraform `regex()`), and the rule in words. */
  readonly pattern?: RegExp;
  readonly rule?: string;
  /** Length bounds, when no pattern states them. */
  readonly length?: readonly [number, number];
}

/** A string, optionally matching a pattern or within a length. */
export function text<const O extends TextOptions>(o: O): Field<string, HasDefault<O>> {
  const rules: Rule<string>[] = [];
  if (o.pattern) {
    const pattern = o.pattern;
    rules.push({ rule: o.rule ?? `matching ${pattern.source}`, test: (v) => matches(v, pattern) });
  }
  if (o.length) {
    const [lo, hi] = o.length;
    rules.push({
      rule: lo === hi ? `${lo} characters long` : `${lo}..${hi} characters long`,
      test: (v) =>
        known(v) ? typeof v === 'string' && v.length >= lo && v.length <= hi : inRange(lengthOf(v), lo, hi),
    });
  }
  return build('string', o, { rules, ts: { text: 'string' }, hclType: 'string' });
}

export interface RangeOptions extends Common<number> {
  readonly min: number;
  readonly max: number;
}

/** A whole number in `min..max`. */
export function whole<const O extends RangeOptions>(o: O): Field<number, HasDefault<O>> {
  return build('number', o, {
    rules: [{ rule: `a whole number in ${o.min}..${o.max}`, test: (v) => inRange(v, o.min, o.max, true) }],
    ts: { text: 'number' },
    hclType: 'number',
  });
}

/** A number, not necessarily whole, in `min..max`. */
export function decimal<const O extends RangeOptions>(o: O): Field<number, HasDefault<O>> {
  return build('number', o, {
    rules: [{ rule: `${o.min}..${o.max}`, test: (v) => inRange(v, o.min, o.max) }],
    ts: { text: 'number' },
    hclType: 'number',
  });
}

/** A boolean. */
export function flag<const O extends Common<boolean>>(o: O): Field<boolean, HasDefault<O>> {
  return build('boolean', o, { rules: [], ts: { text: 'boolean' }, hclType: 'bool' });
}

export interface ChoiceOptions<V> extends Common<V> {
  /** The union type the props file declares (`NatGatewayMode`), with its JSDoc. */
  readonly typeName?: string;
  readonly typeDoc?: string;
}

/** One of a fixed set of strings. */
export function choice<const V extends string, const O extends ChoiceOptions<V>>(
  values: readonly V[],
  o: O,
): Field<V, HasDefault<O>> {
  const union = values.map((v) => `'${v}'`).join(' | ');
  return build('string', o, {
    rules: [{ rule: `one of ${values.map((v) => show(v)).join(', ')}`, test: (v) => within(v, values) }],
    ts: o.typeName
      ? {
          text: o.typeName,
          declarations: [`/** ${o.typeDoc ?? firstParagraph(o.doc)} */\nexport type ${o.typeName} = ${union};`],
        }
      : { text: union },
    hclType: 'string',
  });
}

/** Days to keep logs: a value CloudWatch Logs accepts. */
export function retentionDays<const O extends Common<number>>(o: O): Field<number, HasDefault<O>> {
  return build('number', o, {
    rules: [
      {
        rule: `a retention CloudWatch Logs accepts (${LOG_RETENTION_DAYS.join(', ')})`,
        test: (v) => within(v, LOG_RETENTION_DAYS),
      },
    ],
    ts: { text: 'number' },
    hclType: 'number',
  });
}

const nonEmptyRule: Rule<readonly unknown[]> = {
  rule: 'a non-empty list',
  test: (v) => (known(v) ? Array.isArray(v) && v.length > 0 : hcl`length(${v}) > 0`),
};

export interface ListOptions<V> extends Common<V> {
  /** At least one item. */
  readonly nonEmpty?: boolean;
  /** At most this many items. */
  readonly maxItems?: number;
  /** A rule every item must follow. */
  readonly every?: Rule<string>;
}

const maxItemsRule = (n: number): Rule<readonly unknown[]> => ({
  rule: `at most ${n} items`,
  test: (v) => (known(v) ? Array.isArray(v) && v.length <= n : hcl`length(${v}) <= ${n}`),
  got: (v) => (Array.isArray(v) ? `${v.length} items` : show(v)),
});

/** A list of strings. */
export function strings<const O extends ListOptions<string[]>>(o: O): Field<string[], HasDefault<O>> {
  return build('list', o, {
    rules: [...(o.nonEmpty ? [nonEmptyRule] : []), ...(o.maxItems !== undefined ? [maxItemsRule(o.maxItems)] : [])],
    every: o.every,
    ts: { text: 'string[]' },
    hclType: 'list(string)',
  });
}

/** The rule of an ARN of a kind (a KMS key, an alarm action): one shared check, token-aware. */
export function arnRule(kind: ArnKind): Rule<string> {
  return {
    rule: `${kind.what} (${kind.shape})`,
    test: (v) => (known(v) ? arnProblem(v, kind) === undefined : matches(v, kind.pattern)),
  };
}

export interface ArnOptions extends Common<string> {
  /** Which ARNs: `KMS_KEY_ARN`, `SNS_TOPIC_ARN`, ... (`core/validation.ts`). */
  readonly kind: ArnKind;
}

/** An ARN of a kind: `arn({ kind: KMS_KEY_ARN, doc: '...' })`. */
export function arn<const O extends ArnOptions>(o: O): Field<string, HasDefault<O>> {
  return build('string', o, { rules: [arnRule(o.kind)], ts: { text: 'string' }, hclType: 'string' });
}

export interface MapOptions extends Common<Record<string, string>> {
  /** Rules every key must follow (each its own message). */
  readonly keys?: Rule<string> | readonly Rule<string>[];
  /** A rule every value must follow. */
  readonly values?: Rule<string>;
}

/** A map of strings. */
export function stringMap<const O extends MapOptions>(o: O): Field<Record<string, string>, HasDefault<O>> {
  return build('map', o, {
    rules: [],
    ts: { text: 'Record<string, string>' },
    hclType: 'map(string)',
    keys: o.keys === undefined ? undefined : Array.isArray(o.keys) ? o.keys : [o.keys as Rule<string>],
    values: o.values,
  });
}

/** A JSON object (a schema), given to a module as JSON text (`jsonencode(...)`). */
export function jsonObject<const O extends Common<Record<string, unknown>>>(
  o: O,
): Field<Record<string, unknown>, HasDefault<O>> {
  return build('any', o, {
    rules: [
      {
        rule: 'a JSON object',
        test: (v) =>
          known(v) ? typeof v === 'object' && v !== null && !Array.isArray(v) : hcl`can(keys(jsondecode(${v})))`,
      },
    ],
    ts: { text: 'Record<string, unknown>' },
    hclType: 'string',
    read: (get, name) => Token.asString(get(name)) as unknown as Record<string, unknown>,
  });
}

/** Any JSON value (a response body), given to a module as JSON text. */
export function jsonValue<const O extends Common<unknown>>(o: O): Field<NonNullable<unknown>, HasDefault<O>> {
  return build('any', o, {
    rules: [{ rule: 'JSON', test: (v) => (known(v) ? true : hcl`can(jsondecode(${v}))`) }],
    ts: { text: 'unknown' },
    hclType: 'string',
    read: (get, name) => Token.asString(get(name)),
  });
}

/** One variable of a reference, `<field>_<suffix>` (or `<field>` with no suffix). */
export interface RefPart {
  readonly suffix: string;
  readonly type: string;
  readonly description: string;
  readonly default?: unknown;
}

/** The parts of a reference as typed tokens, for its `read`. */
export interface RefParts {
  string(suffix: string): string;
  number(suffix: string): number;
  expression(suffix: string): IResolvable;
}

export interface RefOptions<V> extends Common<V> {
  /** The TypeScript type (an interface users can implement, or import), and its module. */
  readonly type: string;
  readonly from?: string;
  /**
   * How a module takes it: its variables, and the value built from them. Mark the value with
   * `presentWhen` to make it optional at plan.
   */
  readonly module: {
    readonly parts: readonly RefPart[];
    readonly read: (parts: RefParts, context: ReadContext) => V;
    /** Checks on the variables: `part` names the variable (by suffix) whose validation carries it. */
    readonly checks?: readonly { part: string; rule: string; test: (parts: RefParts) => Bool }[];
  };
}

/** The context of a reference read inside a list item: using it is a programming error. */
function noContext(field: string): ReadContext {
  const fail = (): never => {
    throw new Error(`${field}: a reference in a list item cannot build constructs or read other variables`);
  };
  return {
    get scope(): Construct {
      return fail();
    },
    variable: fail,
  };
}

/** A reference to something built elsewhere (a function, a cluster); a few variables in a module. */
export function ref<V, const O extends RefOptions<V> = RefOptions<V>>(o: O): Field<V, HasDefault<O>> {
  const name = (field: string, suffix: string) => (suffix ? `${field}_${suffix}` : field);
  const typed = (at: (suffix: string) => IResolvable): RefParts => ({
    string: (suffix) => Token.asString(at(suffix)),
    number: (suffix) => Token.asNumber(at(suffix)),
    expression: at,
  });
  return build('object', o as Common<V>, {
    rules: [],
    moduleChecks: (get) =>
      (o.module.checks ?? []).map((c) => {
        const ok = c.test(typed(get));
        return { part: c.part, rule: c.rule, condition: typeof ok === 'boolean' ? hcl`${ok}` : ok };
      }),
    ts: { text: o.type, imports: o.from ? { [o.type]: o.from } : undefined },
    parts: (field) => o.module.parts.map(({ suffix, ...p }) => ({ ...p, name: name(field, suffix) })),
    read: (get, field, context) =>
      // In a list item (`each.value`) there is no module scope: a reference there builds nothing.
      o.module.read(
        typed((suffix) => get(name(field, suffix))),
        context ?? noContext(field),
      ),
  });
}

export interface ObjectOptions<P> extends Common<P> {
  readonly shape: ObjectShape<P>;
  /** The prefix of the flattened module variables (`throttle` -> `throttle_rate_limit`). @default the field name */
  readonly prefix?: string;
  /**
   * An optional object's part whose presence tells, in a module, that the object is there: one a plan
   * knows even when its value is not yet known (a list of subnet ids made in the same apply, where the
   * VPC id is not). @default every required part
   */
  readonly presentWith?: keyof P & string;
}

/**
 * A nested object: in a module, one variable per field, `<prefix>_<field>`. An optional one (`default:
 * none(...)`) makes every variable nullable; the object is there when its required fields are set
 * (`vpc_id`, `subnet_ids`), which a module checks are set together or not at all.
 */
export function object<P, const O extends ObjectOptions<P> = ObjectOptions<P>>(o: O): Field<P, HasDefault<O>> {
  const shape = o.shape;
  const subName = (name: string, k: string) => [o.prefix ?? name, snake(k)].filter(Boolean).join('_');
  const entries = () => Object.entries<Field<unknown>>(shape.fields as Record<string, Field<unknown>>);
  // An optional object (no value by default) is absent in a module while its required parts are null.
  const optional = isNone(o.default);
  const required = () => entries().filter(([, sub]) => sub.default === undefined);
  return build('object', o as Common<P>, {
    rules: [],
    ts: { text: shape.typeName, declarations: [shape as ObjectShape<unknown>] },
    shape,
    prefix: o.prefix,
    presentWith: o.presentWith,
    parts: (name, f) =>
      entries().flatMap(([k, sub]) =>
        sub.parts(subName(name, k), sub).map((p) => {
          // A whole-object default gives each part its own default.
          const whole = literalDefault(f.default) ? (f.default as Record<string, unknown>)[k] : undefined;
          if (whole !== undefined) return { ...p, default: whole };
          return optional && !('default' in p) ? { ...p, default: null } : p;
        }),
      ),
    read: (get, name, context) => {
      const value = Object.fromEntries(
        entries().map(([k, sub]) => [k, sub.read(get, subName(name, k), context)]),
      ) as P & object;
      if (!optional) return value;
      const deciding = o.presentWith ? [o.presentWith] : required().map(([k]) => k);
      return presentWhen(value, and(...deciding.map((k) => isSet((value as Record<string, unknown>)[k]))));
    },
  });
}

export interface ItemsOptions<P> extends Common<P[]> {
  readonly shape: ObjectShape<P>;
  readonly nonEmpty?: boolean;
  /** What must differ between items. */
  readonly unique?: readonly Unique<P>[];
}

/**
 * A list of objects. In a module: one `list(object({...}))` variable, optional attributes with their
 * defaults in the type. A construct given such a list at plan builds its resources with `for_each`
 * (`./each`).
 */
export function items<P, const O extends ItemsOptions<P> = ItemsOptions<P>>(o: O): Field<P[], HasDefault<O>> {
  const shape = o.shape;
  return build('list', o as Common<P[]>, {
    rules: o.nonEmpty ? [nonEmptyRule] : [],
    ts: { text: `${shape.typeName}[]`, declarations: [shape as ObjectShape<unknown>] },
    shape,
    list: true,
    unique: o.unique,
    parts: (name, f) => [
      { name, type: `list(${objectType(shape)})`, description: firstParagraph(f.doc), ...hclDefault(f) },
    ],
    read: (get, name) => Token.asAny(get(name)) as unknown as P[],
  });
}

/** The HCL object type of a shape: optional attributes with their defaults. */
export function objectType(shape: ObjectShape<unknown>): string {
  const attrs = Object.entries<Field<unknown>>(shape.fields as Record<string, Field<unknown>>).flatMap(([k, f]) =>
    f.parts(snake(k), f).map((p) => {
      const type =
        p.default === undefined
          ? p.type
          : p.default === null
            ? `optional(${p.type})`
            : `optional(${p.type}, ${hclLiteral(p.default)})`;
      return [p.name, type] as const;
    }),
  );
  const width = Math.max(...attrs.map(([n]) => n.length));
  return `object({\n${attrs.map(([n, t]) => `    ${n.padEnd(width)} = ${t}`).join('\n')}\n  })`;
}

/** A JavaScript value as an HCL literal. */
export function hclLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(hclLiteral).join(', ')}]`;
  if (typeof value === 'object')
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : JSON.stringify(k)} = ${hclLiteral(v)}`)
      .join(', ')} }`;
  return JSON.stringify(value);
}

/** The first paragraph of a doc text, on one line. */
export function firstParagraph(doc: string): string {
  return doc
    .split(/\n\s*\n/)[0]
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------------
// Inputs: checks and defaults

export interface InputsOptions<R> {
  /** The construct's kind, as messages name it (`TracedQueue`). */
  readonly kind: string;
  /** The props interface's name. */
  readonly typeName: string;
  /** The props interface's JSDoc. */
  readonly doc: string;
  /** Checks that read several fields, once the defaults are applied. */
  readonly checks?: readonly Check<R>[];
}

/** A check only a plan can run: a Terraform condition, and the message Terraform shows. */
export interface PlanCheck {
  /** The top-level field it is about: in a module, the variable whose validation carries it. */
  readonly field: string;
  readonly condition: IResolvable;
  readonly message: string;
}

export interface Evaluation<R> {
  readonly values: R;
  /** Problems found at synth: `<field> must be <rule>, got <value>`. */
  readonly problems: readonly string[];
  /** Checks of values known only at plan. */
  readonly planChecks: readonly PlanCheck[];
}

/**
 * The inputs of one construct. `resolve(this, props)`, first thing in the constructor, checks every
 * field and applies the defaults before any resource exists; `evaluate(props)` does the same without
 * throwing, and also returns the checks only a plan can run.
 */
export class Inputs<P, F extends FieldsOf<P> = FieldsOf<P>> implements ObjectShape<P> {
  public readonly typeName: string;
  public readonly doc: string;
  public readonly checks: readonly Check<Resolved<P, F>>[];

  constructor(
    public readonly fields: F,
    public readonly options: InputsOptions<Resolved<P, F>>,
  ) {
    this.typeName = options.typeName;
    this.doc = options.doc;
    this.checks = options.checks ?? [];
  }

  /** The construct's kind, as messages name it. */
  public get kind(): string {
    return this.options.kind;
  }

  /** The literal defaults, by field. */
  public get defaults(): { readonly [K in keyof P]?: P[K] } {
    return Object.fromEntries(
      Object.entries<Field<unknown>>(this.fields as Record<string, Field<unknown>>)
        .filter(([, f]) => literalDefault(f.default))
        .map(([k, f]) => [k, f.default]),
    ) as { [K in keyof P]?: P[K] };
  }

  /** Checks `props` and applies the defaults; throws a {@link ValidationError} listing every problem. */
  public resolve(scope: IConstruct | string, props: P): Resolved<P, F> {
    const result = this.evaluate(props);
    if (result.problems.length > 0) {
      throw new ValidationError(describeConstruct(this.options.kind, scope), result.problems);
    }
    return result.values;
  }

  /** Every problem of `props`, the values with their defaults, and the checks only a plan can run. */
  public evaluate(props: P): Evaluation<Resolved<P, F>> {
    const problems: string[] = [];
    const planChecks: PlanCheck[] = [];
    const values = resolveObject(this, (props ?? {}) as Record<string, unknown>);
    const given = (props ?? {}) as Record<string, unknown>;
    for (const [name, f] of Object.entries<Field<unknown>>(this.fields as Record<string, Field<unknown>>)) {
      checkValue({ top: name, path: name, hclPath: snake(name) }, f, values[name], given[name], problems, planChecks);
    }
    for (const check of this.checks) runCheck(check, values as Resolved<P, F>, undefined, problems, planChecks);
    return { values: values as Resolved<P, F>, problems, planChecks };
  }
}

/** Describes a construct's inputs. `P` is its props interface, which `npm run build:docs` generates from this. */
export function inputs<P>() {
  return <const F extends FieldsOf<P>>(fields: F, options: InputsOptions<Resolved<P, F>>) =>
    new Inputs<P, F>(fields, options);
}

/** A shape that knows its items once resolved (defaults applied), for typed loops over them. */
export type ResolvedShape<P, R> = ObjectShape<P> & { readonly __resolved?: R };

/** Describes the shape of nested objects or list items (a route, a sampling rule). */
export function shape<P>() {
  return <const F extends FieldsOf<P>>(o: {
    typeName: string;
    doc: string;
    fields: F;
    checks?: readonly Check<Resolved<P, F>>[];
  }): ResolvedShape<P, Resolved<P, F>> => o as unknown as ResolvedShape<P, Resolved<P, F>>;
}

/** An object's values with the defaults applied: literal ones first, then derived ones (which read them). */
function resolveObject(shape: ObjectShape<unknown>, given: Record<string, unknown>): Record<string, unknown> {
  if (!known(given) || given === null || typeof given !== 'object') return given;
  const fields = Object.entries<Field<unknown>>(shape.fields as Record<string, Field<unknown>>);
  const values: Record<string, unknown> = { ...given };
  for (const [name, f] of fields) {
    let v = given[name];
    if (v === undefined && literalDefault(f.default)) v = f.default;
    if (v !== undefined && f.shape && !f.list && known(v)) {
      // An optional object read from a module keeps its presence through the copy.
      const presence = presenceOf(v);
      v = resolveObject(f.shape, v as Record<string, unknown>);
      if (presence !== undefined) v = presentWhen(v as object, presence);
    }
    if (v !== undefined && f.shape && f.list && known(v) && Array.isArray(v))
      v = v.map((item) => resolveObject(f.shape as ObjectShape<unknown>, item as Record<string, unknown>));
    values[name] = v;
  }
  for (const [name, f] of fields) {
    if (isDerived(f.default)) values[name] = orElse(values[name], f.default.value(values));
  }
  return values;
}

interface Where {
  /** The top-level field (the module variable). */
  readonly top: string;
  /** The TypeScript path: `routes[1].path`. */
  readonly path: string;
  /** The Terraform path: `routes[*].path`. */
  readonly hclPath: string;
}

/** The Terraform path of a nested field: an item's attribute (`routes[*].path`), or a flattened variable (`throttle_rate_limit`). */
const hclChild = (parent: string, key: string) =>
  parent.endsWith(']') ? `${parent}.${snake(key)}` : `${parent}_${snake(key)}`;

/** A rule's condition, guarded so that a null value (an optional variable left unset) passes. */
const guarded = (condition: Bool, value: unknown, optional: boolean): Bool =>
  optional ? implies(isSet(value), condition) : condition;

const toResolvable = (b: Bool): IResolvable => (typeof b === 'boolean' ? hcl`${b}` : b);

const planCheck = (where: Where, condition: Bool, rule: Words): PlanCheck => ({
  field: where.top,
  condition: toResolvable(condition),
  message: `${where.hclPath} must be ${words(rule, snake)}.`,
});

function checkValue(
  where: Where,
  f: Field<unknown>,
  value: unknown,
  given: unknown,
  problems: string[],
  planChecks: PlanCheck[],
): void {
  if (value === undefined || value === null) {
    if (f.default === undefined && given === undefined) {
      problems.push(
        f.rules.includes(nonEmptyRule as Rule<unknown>)
          ? `${where.path} must be a non-empty list, got undefined`
          : `${where.path} must be given, got undefined`,
      );
    }
    return;
  }
  // A value given at plan is checked as given (null when unset); a default is valid by construction.
  const nullable = (isNone(f.default) || isDerived(f.default)) && !f.requiredInModule;
  const subject = isToken(given) ? given : value;
  for (const r of f.rules) {
    const ok = r.test(subject);
    if (ok === false)
      problems.push(
        `${where.path} must be ${words(r.rule, camel, subject)}, got ${r.got ? r.got(subject) : show(subject)}`,
      );
    else if (ok !== true) planChecks.push(planCheck(where, guarded(ok, subject, nullable), r.rule));
  }
  if (f.keys || f.values) checkMap(where, f, subject, nullable, problems, planChecks);
  if (f.every) checkEvery(where, f.every, subject, nullable, problems, planChecks);
  if (f.shape && f.list) checkItems(where, f, value, problems, planChecks);
  else if (f.shape && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const rawGiven = (given ?? {}) as Record<string, unknown>;
    // An optional object given at plan: its parts are checked only where it is present (every required
    // part set), and its required parts are set together, or none of them.
    const presence = presenceOf(value);
    const optional = presence !== undefined && presence !== true;
    const nested: PlanCheck[] = [];
    const fields = Object.entries<Field<unknown>>(f.shape.fields as Record<string, Field<unknown>>);
    const childPath = (k: string) =>
      f.prefix !== undefined && !where.hclPath.endsWith(']')
        ? [f.prefix, snake(k)].filter(Boolean).join('_')
        : hclChild(where.hclPath, k);
    for (const [k, sub] of fields) {
      const at = { top: where.top, path: `${where.path}.${k}`, hclPath: childPath(k) };
      checkValue(at, sub, obj[k], known(rawGiven) ? rawGiven[k] : obj[k], problems, nested);
    }
    if (optional) {
      const required = fields.filter(([, sub]) => sub.default === undefined).map(([k]) => k);
      const anchor = f.presentWith ?? required[0];
      for (const k of required.filter((r) => r !== anchor))
        planChecks.push({
          field: where.top,
          condition: toResolvable(hcl`${isSet(obj[k])} == ${isSet(obj[anchor])}`),
          message: `${childPath(k)} must be set together with ${childPath(anchor)}.`,
        });
    }
    for (const check of f.shape.checks ?? []) runCheck(check, obj, where, problems, nested);
    for (const c of nested)
      planChecks.push(
        presence === undefined || presence === true
          ? c
          : { ...c, condition: toResolvable(implies(presence, c.condition)) },
      );
  }
}

/** Every item of a list of strings: `alarmActions[1] must be ...` at synth, one `alltrue` condition at plan. */
function checkEvery(
  where: Where,
  rule: Rule<string>,
  value: unknown,
  nullable: boolean,
  problems: string[],
  planChecks: PlanCheck[],
) {
  if (known(value)) {
    if (!Array.isArray(value)) return;
    value.forEach((item, i) => {
      const ok = rule.test(item as string);
      if (ok === false)
        problems.push(`${where.path}[${i}] must be ${words(rule.rule, camel, item)}, got ${show(item)}`);
      else if (ok !== true) planChecks.push(planCheck({ ...where, hclPath: `${where.hclPath}[${i}]` }, ok, rule.rule));
    });
    return;
  }
  planChecks.push({
    field: where.top,
    condition: toResolvable(
      guarded(hcl`alltrue([for v in ${value} : ${rule.test(Token.asString(raw('v')))}])`, value, nullable),
    ),
    message: `every item of ${where.hclPath} must be ${words(rule.rule, snake)}.`,
  });
}

function checkMap(
  where: Where,
  f: Field<unknown>,
  value: unknown,
  nullable: boolean,
  problems: string[],
  planChecks: PlanCheck[],
) {
  const { keys, values } = f;
  if (known(value)) {
    for (const [key, v] of Object.entries(value as Record<string, string>)) {
      for (const rule of keys ?? [])
        if (rule.test(key) === false)
          problems.push(`${where.path} key must be ${words(rule.rule, camel)}, got ${show(key)}`);
      if (values?.test(v) === false)
        problems.push(`${where.path}[${show(key)}] must be ${words(values.rule, camel)}, got ${show(v)}`);
    }
    return;
  }
  const each = (part: 'k' | 'v', rule: Rule<string>, what: string) =>
    planChecks.push({
      field: where.top,
      condition: toResolvable(
        guarded(hcl`alltrue([for k, v in ${value} : ${rule.test(Token.asString(raw(part)))}])`, value, nullable),
      ),
      message: `${where.hclPath} ${what} must be ${words(rule.rule, snake)}.`,
    });
  for (const rule of keys ?? []) each('k', rule, 'keys');
  if (values) each('v', values, 'values');
}

function checkItems(where: Where, f: Field<unknown>, value: unknown, problems: string[], planChecks: PlanCheck[]) {
  const itemShape = f.shape as ObjectShape<Record<string, unknown>>;
  if (known(value)) {
    if (!Array.isArray(value)) return;
    const list = value as Record<string, unknown>[];
    list.forEach((item, i) => {
      const path = `${where.path}[${i}]`;
      if (item === null || typeof item !== 'object') {
        problems.push(`${path} must be an object, got ${show(item)}`);
        return;
      }
      checkValue(
        { ...where, path, hclPath: `${where.hclPath}[${i}]` },
        { ...f, list: false, rules: [], unique: [] },
        item,
        item,
        problems,
        planChecks,
      );
    });
    for (const u of f.unique ?? []) {
      const seen = new Map<unknown, number>();
      list.forEach((item, i) => {
        if (item === null || typeof item !== 'object') return;
        const key = u.key(item);
        if (isToken(key)) return;
        const first = seen.get(key);
        const path = `${where.path}[${i}]${u.field ? `.${u.field}` : ''}`;
        if (first === undefined) seen.set(key, i);
        else
          problems.push(`${path} must be ${u.what ?? 'unique'} (${where.path}[${first}] has it too), got ${show(key)}`);
      });
    }
    return;
  }
  // The list is given at plan: every check of an item, over every item, as one condition each.
  const item = itemProxy(itemShape, 'val');
  const itemChecks: PlanCheck[] = [];
  const at = { ...where, hclPath: `${where.hclPath}[*]` };
  checkValue(at, { ...f, list: false, rules: [], unique: [] }, item, item, problems, itemChecks);
  for (const c of itemChecks)
    planChecks.push({ ...c, condition: hcl`alltrue([for val in ${value} : ${c.condition}])` });
  for (const u of f.unique ?? []) {
    const condition = hcl`length(distinct([for val in ${value} : ${u.key(item)}])) == length(${value})`;
    planChecks.push(
      planCheck(
        { ...where, hclPath: `${where.hclPath}[*]${u.field ? `.${snake(u.field)}` : ''}` },
        condition,
        u.what ?? 'unique',
      ),
    );
  }
}

function runCheck<R>(check: Check<R>, values: R, at: Where | undefined, problems: string[], planChecks: PlanCheck[]) {
  const ok = check.test(values);
  const path = at ? (check.field ? `${at.path}.${check.field}` : at.path) : check.field;
  if (ok === false) {
    const got = check.got ? check.got(values) : (values as Record<string, unknown>)[check.field];
    const named = check.where ? (at ? `${at.path}.${check.where(values)}` : check.where(values)) : path;
    problems.push(`${named} must be ${words(check.rule, camel, values)}, got ${show(got)}`);
  } else if (ok !== true) {
    const top = at?.top ?? check.variable ?? check.field.split(/[.[]/)[0];
    const hclPath = at
      ? check.field
        ? hclChild(at.hclPath, check.field)
        : at.hclPath
      : (check.variable ?? snake(check.field));
    planChecks.push(planCheck({ top, path, hclPath }, ok, check.rule));
  }
}

/**
 * An item of a list given at plan, seen through a Terraform variable (`val` in a for expression,
 * `each.value` in a for_each resource): every field is the expression of its attribute, typed like the
 * field; nested objects and references read their own attributes.
 */
export function itemProxy<T>(itemShape: ObjectShape<T>, variable: string): T {
  const get = (part: string) => raw(`${variable}.${part}`);
  return Object.fromEntries(
    Object.entries<Field<unknown>>(itemShape.fields as Record<string, Field<unknown>>).map(([k, f]) => [
      k,
      f.read(get, snake(k)),
    ]),
  ) as T;
}
