/**
 * Expands repeated blocks written as Terraform `dynamic` blocks or as cdktf's for expressions
 * (`TerraformIterator.dynamic()` renders `${[ for key, val in toset(var.x): {...}]}`), so a rule sees
 * each block as the plan would. The collection must be a literal or a variable with a default;
 * otherwise the blocks are NotChecked. Pure.
 */
import { readHclValue } from './hcl-value';
import { NotChecked, isExpression, whyUnknown, type Json } from './values';
import type { ResourceView, StackView } from './view';

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const FOR_EXPRESSION = /^\$\{\[\s*for\s+(?:([\w-]+)\s*,\s*)?([\w-]+)\s+in\s+([\s\S]+?)\s*:\s*(\{[\s\S]*\})\s*\]\}$/;

/** `fromPort` -> `from_port`: cdktf keeps the TypeScript names inside its for expressions. */
const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The elements of a for_each / for collection as [key, value] pairs; NotChecked when not known here. */
function collection(s: StackView, raw: unknown, field: string): [unknown, unknown][] {
  let value: unknown = raw;
  if (typeof value === 'string') {
    const wrapped = /^\$\{(?:toset|tolist|tomap)\(([\s\S]*)\)\}$/.exec(value.trim());
    if (wrapped) value = /^[\w.-]+$/.test(wrapped[1].trim()) ? `\${${wrapped[1].trim()}}` : readHclValue(wrapped[1]);
  }
  value = s.resolve(value);
  if (Array.isArray(value)) return value.map((v) => [v, v]); // a set: key and value are the element
  if (isObject(value)) return Object.entries(value);
  throw new NotChecked(field, isExpression(value) ? whyUnknown(value) : 'is not a list or map');
}

/** `content` with `${<name>.value}`, `${<name>.key}` (or bare `${val}`/`${key}` names) replaced. */
function substitute(
  content: unknown,
  names: { value: string[]; key: string[] },
  key: unknown,
  value: unknown,
): unknown {
  if (typeof content === 'string') {
    const m = /^\$\{([\w-]+(?:\.[\w-]+)?)\}$/.exec(content);
    if (m && names.value.includes(m[1])) return value;
    if (m && names.key.includes(m[1])) return key;
    return content;
  }
  if (Array.isArray(content)) return content.map((c) => substitute(c, names, key, value));
  if (isObject(content)) {
    return Object.fromEntries(Object.entries(content).map(([k, v]) => [snake(k), substitute(v, names, key, value)]));
  }
  return content;
}

/**
 * Every block `name` of a resource: the static ones, each element of a for expression assigned to it,
 * and each element of a `dynamic "name"` block. NotChecked when a collection is not known here.
 */
export function expandBlocks(r: ResourceView, s: StackView, name: string): Json[] {
  const out: Json[] = [];
  const raw = s.value(r, name);
  if (typeof raw === 'string') {
    const m = FOR_EXPRESSION.exec(raw.trim());
    if (!m) throw new NotChecked(name, whyUnknown(raw));
    const [, keyName, valueName, source, body] = m;
    const template = readHclValue(body);
    if (!isObject(template)) throw new NotChecked(name, 'its for expression could not be read');
    for (const [k, v] of collection(
      s,
      source.trim().startsWith('[') ? readHclValue(source) : `\${${source.trim()}}`,
      name,
    )) {
      out.push(substitute(template, { value: [valueName], key: keyName ? [keyName] : [] }, k, v) as Json);
    }
  } else if (Array.isArray(raw)) {
    out.push(...raw.filter(isObject));
  } else if (isObject(raw)) {
    out.push(raw);
  }
  const dynamic = s.value(r, `dynamic.${name}`);
  for (const block of Array.isArray(dynamic) ? dynamic : dynamic === undefined ? [] : [dynamic]) {
    if (!isObject(block)) throw new NotChecked(`dynamic.${name}`, 'is not a block');
    const iterator = typeof block.iterator === 'string' ? block.iterator : name;
    for (const [k, v] of collection(s, block.for_each, `dynamic.${name}.for_each`)) {
      out.push(
        substitute(
          block.content,
          { value: [`${iterator}.value`, 'each.value'], key: [`${iterator}.key`] },
          k,
          v,
        ) as Json,
      );
    }
  }
  return out;
}
