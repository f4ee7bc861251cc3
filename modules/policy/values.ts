/**
 * Reading attribute values that may be Terraform expressions. Pure: no cdktf.
 *
 * A synthesized configuration holds literals and `${...}` expressions (references, variables, function
 * calls); a plan holds resolved values and, for what is known only after apply, the reference it comes
 * from. Rules read through these helpers: a value the decision needs but that is not known throws
 * `NotChecked`, which the engine reports as "not checked" with the field and the reason, never as a
 * pass and never as a crash.
 */

export type Json = Record<string, unknown>;

/** Thrown by a rule (through these helpers) when the value it needs cannot be known here. */
export class NotChecked extends Error {
  constructor(
    /** The attribute path whose value was needed. */
    public readonly field: string,
    /** Why it cannot be known here. */
    public readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'NotChecked';
  }
}

const EXPRESSION = /(^|[^$])\$\{/;

/** True for a string holding a Terraform expression (`${...}`; `$${` is an escaped literal). */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && EXPRESSION.test(value);
}

/** True for a whole-string reference to a resource or data source attribute (known after apply, but set). */
export function isReference(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    /^\$\{(module\.[\w-]+(\[[^\]]*\])?\.)*(data\.)?[a-z][\w]*\.[\w-]+(\[[^\]]*\])?(\.[\w.[\]"*-]+)?\}$/.test(value) &&
    !/^\$\{(var|local|each|count|path|terraform|self)\./.test(value)
  );
}

/** `${var.name}` -> `name`, for a value that is exactly one variable. */
export function variableName(value: unknown): string | undefined {
  return typeof value === 'string' ? /^\$\{var\.([\w-]+)\}$/.exec(value)?.[1] : undefined;
}

/** Why a value is not known, in words a reviewer understands. */
export function whyUnknown(value: unknown): string {
  const variable = variableName(value);
  if (variable) return `comes from var.${variable}, which has no default; check the plan (check-plan) instead`;
  if (value === UNKNOWN_AFTER_APPLY) return 'is known only after apply';
  if (isReference(value) || /^\$\{module\.[\w-]+(\[[^\]]*\])?\.[\w-]+\}$/.test(String(value))) {
    return `comes from ${short(String(value).slice(2, -1))}, known only after apply`;
  }
  return `is the Terraform expression ${short(value)}, not known at synth; check the plan (check-plan) instead`;
}

/** A plan's placeholder for a value known only after apply, with no reference to follow. */
export const UNKNOWN_AFTER_APPLY = '${(known after apply)}';

export function short(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A value present and not empty; an expression counts as present (it is set, to something). */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** A literal string, or NotChecked. Undefined/null pass through as undefined. */
export function str(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (isExpression(value)) throw new NotChecked(field, whyUnknown(value));
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new NotChecked(field, `is ${short(value)}, not a string`);
}

/** A literal boolean (Terraform also accepts "true"/"false"), or NotChecked. */
export function bool(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  if (isExpression(value)) throw new NotChecked(field, whyUnknown(value));
  throw new NotChecked(field, `is ${short(value)}, not a boolean`);
}

/** A literal number (or numeric string), or NotChecked. */
export function num(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  if (isExpression(value)) throw new NotChecked(field, whyUnknown(value));
  throw new NotChecked(field, `is ${short(value)}, not a number`);
}

/**
 * A list: an array as is, a single block (cdktf renders a block of one as an object) as a list of one,
 * nothing as []. A list that is itself an expression (`${var.subnets}`) is NotChecked.
 */
export function list(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  if (isExpression(value)) throw new NotChecked(field, whyUnknown(value));
  return [value];
}

/** A list of literal strings; any element that is an expression makes it NotChecked. */
export function strings(value: unknown, field: string): string[] {
  return list(value, field)
    .map((v, i) => str(v, `${field}[${i}]`))
    .filter((v): v is string => v !== undefined);
}

/** A nested block or map as an object ({} when absent); a list of one (as a plan renders blocks) is unwrapped. */
export function obj(value: unknown, field: string): Json {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value)) {
    if (value.length === 0) return {};
    if (value.length === 1) return obj(value[0], field);
    throw new NotChecked(field, `holds ${value.length} blocks, expected one`);
  }
  if (isExpression(value)) throw new NotChecked(field, whyUnknown(value));
  if (typeof value === 'object') return value as Json;
  throw new NotChecked(field, `is ${short(value)}, not a block`);
}

/** Objects of a list of blocks; elements that are not objects are NotChecked. */
export function blocks(value: unknown, field: string): Json[] {
  return list(value, field).map((v, i) => obj(v, `${field}[${i}]`));
}

const globs = new Map<string, RegExp>();

/** Glob match with `*` and `?`, case-insensitive (IAM action names are case-insensitive). */
export function globMatch(pattern: string, text: string): boolean {
  let re = globs.get(pattern);
  if (!re) {
    const source = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${source}$`, 'is');
    if (globs.size < 10_000) globs.set(pattern, re);
  }
  return re.test(text);
}

export const hasWildcard = (s: string): boolean => /[*?]/.test(s.replace(/\$\{[^}]*\}/g, ''));
