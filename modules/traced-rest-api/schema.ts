/**
 * Request body schemas as API Gateway takes them: JSON Schema draft 4 (checked against the draft-4
 * meta-schema by Ajv), `$ref`s that point inside the schema itself, and no `$ref` loop.
 */
import type { ErrorObject } from 'ajv';

export const DRAFT_4 = 'http://json-schema.org/draft-04/schema#';

/** What is wrong with a schema: the rule it breaks, and the part of it that breaks it. */
export interface SchemaProblem {
  readonly rule: string;
  readonly got: unknown;
}

interface Draft4Validator {
  validateSchema(schema: unknown): boolean | Promise<unknown>;
  errors?: ErrorObject[] | null;
}

let validator: Draft4Validator | undefined;

/** Ajv for draft 4, loaded on first use (about 0.2 s): stacks without a body schema never pay for it. */
function draft4(): Draft4Validator {
  if (!validator) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = (require('ajv-draft-04') as typeof import('ajv-draft-04')).default;
    validator = new Ajv({ strict: false, validateSchema: false, logger: false });
  }
  return validator;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at a JSON pointer (`#/definitions/item`) inside `root`, or undefined when there is none. */
function at(root: unknown, pointer: string): unknown {
  if (pointer === '#' || pointer === '#/') return root;
  let node: unknown = root;
  for (const raw of pointer.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** Every `$ref` a schema applies when it validates (inside `definitions` only what is referenced). */
function refsApplied(schema: unknown, out: string[] = []): string[] {
  if (Array.isArray(schema)) for (const item of schema) refsApplied(item, out);
  else if (isObject(schema)) {
    if (typeof schema.$ref === 'string') out.push(schema.$ref);
    for (const [key, value] of Object.entries(schema)) {
      // `definitions` are applied only through a $ref; `enum` values are data, not schemas.
      if (key !== 'definitions' && key !== 'enum' && key !== '$ref') refsApplied(value, out);
    }
  }
  return out;
}

/** The first `$ref` that points outside the schema, nowhere, or into a loop back to itself. */
function refProblem(schema: Json): SchemaProblem | undefined {
  const all = new Set<string>();
  const collect = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (isObject(node)) {
      if (typeof node.$ref === 'string') all.add(node.$ref);
      for (const [key, value] of Object.entries(node)) if (key !== 'enum') collect(value);
    }
  };
  collect(schema);
  for (const ref of all) {
    if (ref !== '#' && !ref.startsWith('#/'))
      return {
        rule: 'a schema whose $refs point inside it (#/definitions/...): API Gateway resolves no other',
        got: ref,
      };
    if (!isObject(at(schema, ref))) return { rule: 'a schema whose $refs each point at a schema inside it', got: ref };
  }
  // A $ref loop: following the $refs a target applies leads back to it.
  const edges = (target: string) => refsApplied(at(schema, target));
  for (const start of all) {
    const seen = new Set<string>();
    const path: string[] = [start];
    const walk = (target: string): boolean => {
      for (const next of edges(target)) {
        if (next === start) {
          path.push(next);
          return true;
        }
        if (seen.has(next)) continue;
        seen.add(next);
        path.push(next);
        if (walk(next)) return true;
        path.pop();
      }
      return false;
    };
    if (walk(start))
      return {
        rule: 'a schema with no $ref loop (API Gateway models cannot be recursive)',
        got: path.join(' -> '),
      };
  }
  return undefined;
}

/** Undefined for a schema API Gateway takes as a request model; else the rule it breaks and where. */
export function schemaProblem(schema: Json): SchemaProblem | undefined {
  if (schema.$schema !== undefined && schema.$schema !== DRAFT_4 && schema.$schema !== DRAFT_4.slice(0, -1))
    return { rule: `a JSON Schema draft 4 ($schema "${DRAFT_4}", or none)`, got: schema.$schema };
  const ajv = draft4();
  if (ajv.validateSchema(schema) !== true) {
    const errors = ajv.errors ?? [];
    // The most specific error: Ajv lists an anyOf's branches before the anyOf itself.
    const first = errors.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf') ?? errors[0];
    const where = first?.instancePath || '/';
    return {
      rule: `a JSON Schema draft 4 (at ${where}: ${first?.message ?? 'invalid'})`,
      got: first ? (where === '/' ? schema : at(schema, `#${first.instancePath}`)) : schema,
    };
  }
  return refProblem(schema);
}
