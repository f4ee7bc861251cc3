/**
 * Token-aware values: one piece of construct code that computes in TypeScript when every input is
 * known at synth, and writes the same computation as a Terraform expression when one is not (a
 * module variable, a reference to another resource). This is how a construct and the Terraform module
 * published from it stay one implementation: the module is the construct, given variables.
 *
 * `and(true, x)` is `x`; `ge(5, 3)` is `true`; `ge(var.n, 3)` renders `(var.n >= 3)`.
 */
import { Token, Tokenization, type IResolvable, type IResolveContext } from 'cdktf';

/** A boolean known at synth, or a Terraform expression of one. */
export type Bool = boolean | IResolvable;

/** True when a value (or an item or field of it) is only known at plan or apply time. */
export function isToken(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Tokenization.isResolvable(value) || Token.isUnresolved(value)) return true;
  // An encoded map token (`Token.asStringMap`) is an object with one token key.
  return typeof value === 'object' && !Array.isArray(value) && mapToken(value) !== undefined;
}

/** The token an encoded map stands for (`Token.asStringMap(...)` is an object with one token key). */
function mapToken(value: object): IResolvable | undefined {
  if (!Token.isUnresolved(value)) return undefined;
  const found = Tokenization.reverse(value);
  return found.length === 1 ? found[0] : undefined;
}

/** True when every value is known at synth. */
export function known(...values: unknown[]): boolean {
  return values.every((v) => !isToken(v));
}

/** An HCL string literal: quotes, backslashes and control characters escaped, `${` and `%{` kept literal. */
export function hclString(text: string): string {
  return JSON.stringify(text).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

/**
 * A Terraform expression written as a template: the literal parts are HCL, every interpolated value
 * is rendered as HCL (a string literal escaped, a token as its bare expression, a list or object
 * item by item). `hcl\`can(regex(${pattern}, ${value}))\``.
 */
export function hcl(strings: TemplateStringsArray, ...values: unknown[]): IResolvable {
  return new HclExpression(strings, values);
}

/** A raw HCL expression with no interpolated value: `raw('count.index')`. */
export function raw(expression: string): IResolvable {
  return new HclExpression(Object.assign([expression], { raw: [expression] }), []);
}

class HclExpression implements IResolvable {
  public readonly creationStack: string[] = [];

  constructor(
    private readonly strings: TemplateStringsArray,
    private readonly values: readonly unknown[],
  ) {}

  public resolve(context: IResolveContext): string {
    const suppressBraces = context.suppressBraces;
    context.suppressBraces = true;
    let out = this.strings[0];
    this.values.forEach((value, i) => {
      out += renderValue(context, value) + this.strings[i + 1];
    });
    context.suppressBraces = suppressBraces;
    return suppressBraces ? out : `\${${out}}`;
  }

  public toString(): string {
    return Token.asString(this);
  }
}

/** One value as HCL, inside an expression. */
function renderValue(context: IResolveContext, value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'boolean' || typeof value === 'number') {
    if (typeof value === 'number' && Token.isUnresolved(value)) return bare(context, value);
    return String(value);
  }
  if (typeof value === 'string') {
    if (!Token.isUnresolved(value)) return hclString(value);
    const parts = Tokenization.reverseString(value);
    if (parts.literals.length === 0 && parts.tokens.length + parts.intrinsic.length === 1) return bare(context, value);
    // Literal text with tokens in it: an HCL template string.
    const fragments = splitTokens(value);
    return `"${fragments
      .map((f) => (f.token ? `\${${bare(context, f.text)}}` : hclString(f.text).slice(1, -1)))
      .join('')}"`;
  }
  if (Tokenization.isResolvable(value)) return bare(context, value);
  if (Array.isArray(value)) {
    if (Token.isUnresolved(value)) return bare(context, value);
    return `[${value.map((v) => renderValue(context, v)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const token = mapToken(value);
    if (token) return bare(context, token);
    return `{ ${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${hclString(k)} = ${renderValue(context, v)}`)
      .join(', ')} }`;
  }
  throw new Error(`cannot render ${typeof value} as HCL`);
}

/** A token's expression without `${}`. */
function bare(context: IResolveContext, value: unknown): string {
  const suppress = context.suppressBraces;
  context.suppressBraces = true;
  const resolved = context.resolve(value);
  context.suppressBraces = suppress;
  if (typeof resolved !== 'string') return renderValue(context, resolved);
  const m = /^\$\{([\s\S]*)\}$/.exec(resolved);
  return m ? m[1] : resolved;
}

const TOKEN_PATTERN = /\$\{Token\[[^\]]+\]\}|\$\{TfToken\[[^\]]+\]\}/g;

/** A string split into its literal parts and its token parts. */
function splitTokens(text: string): { text: string; token: boolean }[] {
  const out: { text: string; token: boolean }[] = [];
  let cursor = 0;
  for (const m of text.matchAll(TOKEN_PATTERN)) {
    const start = m.index as number;
    if (start > cursor) out.push({ text: text.slice(cursor, start), token: false });
    out.push({ text: m[0], token: true });
    cursor = start + m[0].length;
  }
  if (cursor < text.length) out.push({ text: text.slice(cursor), token: false });
  return out;
}

/** The value typed as what it stands for: a token of a number is a number, of a string a string. */
function typed<T>(expression: IResolvable, like: unknown): T {
  if (typeof like === 'number') return Token.asNumber(expression) as T;
  if (typeof like === 'string') return Token.asString(expression) as T;
  if (Array.isArray(like)) return Token.asList(expression) as T;
  return expression as T;
}

export function not(a: Bool): Bool {
  return typeof a === 'boolean' ? !a : hcl`!(${a})`;
}

export function and(...xs: Bool[]): Bool {
  if (xs.some((x) => x === false)) return false;
  const rest = xs.filter((x) => x !== true);
  if (rest.length === 0) return true;
  if (rest.length === 1) return rest[0];
  // A conditional, not &&: Terraform evaluates both sides of &&, and the right side may need the left
  // to hold (`x != null` before `x >= 2`).
  return rest.reduceRight((r, l) => hcl`(${l} ? ${r} : false)`);
}

export function or(...xs: Bool[]): Bool {
  if (xs.some((x) => x === true)) return true;
  const rest = xs.filter((x) => x !== false);
  if (rest.length === 0) return false;
  if (rest.length === 1) return rest[0];
  // A conditional, not ||, for the same reason as in `and`.
  return rest.reduceRight((r, l) => hcl`(${l} ? true : ${r})`);
}

/** `cond ? then : otherwise`. Terraform evaluates only the chosen side, so it guards null values. */
export function when<T>(cond: Bool, then: T, otherwise: T): T {
  if (typeof cond === 'boolean') return cond ? then : otherwise;
  return typed<T>(hcl`(${cond} ? ${then} : ${otherwise})`, then ?? otherwise);
}

/** `!a || b`, with `b` evaluated only when `a` holds. */
export function implies(a: Bool, b: Bool): Bool {
  if (a === false || b === true) return true;
  if (a === true) return b;
  return when<Bool>(a, b, true);
}

type Comparable = number | string;
const compare =
  (op: string, f: (a: number, b: number) => boolean) =>
  (a: Comparable, b: Comparable): Bool =>
    known(a, b) ? f(a as number, b as number) : hcl`(${a} ${raw(op)} ${b})`;

export const lt = compare('<', (a, b) => a < b);
export const le = compare('<=', (a, b) => a <= b);
export const gt = compare('>', (a, b) => a > b);
export const ge = compare('>=', (a, b) => a >= b);

export function eq(a: unknown, b: unknown): Bool {
  return known(a, b) ? a === b : hcl`(${a} == ${b})`;
}

export function ne(a: unknown, b: unknown): Bool {
  return known(a, b) ? a !== b : hcl`(${a} != ${b})`;
}

/** `min <= value <= max`, optionally a whole number. */
export function inRange(value: number, min: number, max: number, whole = false): Bool {
  if (known(value)) {
    return (
      typeof value === 'number' &&
      Number.isFinite(value) &&
      value >= min &&
      value <= max &&
      (!whole || Number.isInteger(value))
    );
  }
  const range = hcl`(${value} >= ${min} && ${value} <= ${max})`;
  return whole ? hcl`(${range} && floor(${value}) == ${value})` : range;
}

export function add(a: number, b: number): number {
  return known(a, b) ? a + b : Token.asNumber(hcl`(${a} + ${b})`);
}

export function mul(a: number, b: number): number {
  return known(a, b) ? a * b : Token.asNumber(hcl`(${a} * ${b})`);
}

export function min(a: number, b: number): number {
  return known(a, b) ? Math.min(a, b) : Token.asNumber(hcl`min(${a}, ${b})`);
}

/** A string matches a regular expression (RE2 syntax in Terraform: keep patterns to the common subset). */
export function matches(value: string, pattern: RegExp): Bool {
  if (known(value)) return typeof value === 'string' && pattern.test(value);
  return hcl`can(regex(${pattern.source}, ${value}))`;
}

/** One of a list of values. */
export function oneOf(value: unknown, allowed: readonly unknown[]): Bool {
  if (known(value)) return allowed.includes(value);
  return hcl`contains(${allowed}, ${value})`;
}

/** The length of a string, list or map. */
export function lengthOf(value: string | readonly unknown[] | Record<string, unknown>): number {
  if (known(value)) {
    if (typeof value === 'string' || Array.isArray(value)) return value.length;
    return Object.keys(value).length;
  }
  return Token.asNumber(hcl`length(${value})`);
}

/** Whether an optional value is given: JavaScript `undefined`, or a Terraform null. */
export function isSet(value: unknown): Bool {
  const presence = presenceOf(value);
  if (presence !== undefined) return presence;
  if (value === undefined || value === null) return false;
  return known(value) ? true : hcl`(${value} != null)`;
}

/** `value`, or `fallback` when it is not given (undefined at synth, null at plan). */
export function orElse<T>(value: T | undefined, fallback: T): T {
  if (value === undefined || value === null) return fallback;
  if (known(value)) return value;
  return typed<T>(hcl`(${value} == null ? ${fallback} : ${value})`, fallback ?? value);
}

/** `table[key]`, or `fallback` for a key not in it. */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string, fallback: T): T {
  if (known(key)) return key in table ? table[key] : fallback;
  return typed<T>(hcl`lookup(${table}, ${key}, ${fallback})`, fallback);
}

const PRESENCE = Symbol.for('cdktf-traced.presence');

/**
 * Marks an object as present only when `condition` holds at plan time: what a module passes for an
 * optional input it takes as nullable variables (a consumer given by ARN and role name, or none).
 * Constructs test presence with {@link isSet}.
 */
export function presentWhen<T extends object>(value: T, condition: Bool): T {
  Object.defineProperty(value, PRESENCE, { value: condition, enumerable: false });
  return value;
}

/** The plan-time presence of an object marked with {@link presentWhen}, else undefined. */
export function presenceOf(value: unknown): Bool | undefined {
  return value !== null && typeof value === 'object' && PRESENCE in value
    ? ((value as Record<symbol, Bool>)[PRESENCE] as Bool)
    : undefined;
}
