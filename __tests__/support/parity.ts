/**
 * Parity of a published module with its construct. The construct is synthesized with values; the
 * module with variables, and then Terraform's own evaluator (`terraform console`, no provider, no
 * network) computes what the module makes of the same values:
 *   1. every `var.<name>` is replaced by the value;
 *   2. `count` and `for_each` are evaluated, and each instance gets its `count.index` / `each.key` /
 *      `each.value`; `dynamic` blocks are expanded the same way;
 *   3. every expression that no longer refers to a resource is evaluated;
 *   4. resources are paired (a counted or for_each resource stands for the construct's resources with
 *      an index or key in their name), references to instances are renamed to the construct's names,
 *      and every argument, IAM statement included, is compared.
 * What still refers to other resources (an ARN known after apply) is compared as text.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hclLiteral } from '../../modules/core/inputs';

type Json = Record<string, unknown>;

export interface Difference {
  readonly at: string;
  readonly construct: unknown;
  readonly module: unknown;
}

export interface ParityReport {
  readonly onlyInConstruct: string[];
  readonly onlyInModule: string[];
  readonly differences: Difference[];
  /** Arguments compared and equal. */
  readonly matched: number;
  /** Arguments the module computes with Terraform functions, evaluated and equal. */
  readonly evaluated: number;
}

/** Evaluates reference-free HCL expressions; `undefined` for one that fails. */
export type Evaluator = (expressions: readonly string[]) => unknown[];

const ERROR = '!evaluation-error';

/** Whether a terraform binary is on the PATH. */
export function hasTerraform(): boolean {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * `terraform console` in a folder holding only the module's `variable` blocks (types, defaults and
 * validations) and `values`: Terraform's own type conversion (optional attributes get their defaults),
 * functions and operators, and no provider.
 */
export function terraformEvaluator(variables: Json, values: Json): Evaluator {
  const run = (expression: string): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-'));
    try {
      fs.writeFileSync(path.join(dir, 'variables.tf.json'), JSON.stringify({ variable: variables }));
      fs.writeFileSync(path.join(dir, 'terraform.tfvars.json'), JSON.stringify(values));
      return execFileSync('terraform', ['console'], {
        cwd: dir,
        input: `${expression}\n`,
        encoding: 'utf8',
        env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: os.devNull },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const one = (e: string) => `try(jsonencode(${e}), "${ERROR}")`;
  const parse = (item: string) => (item === ERROR ? undefined : (JSON.parse(item) as unknown));
  return (expressions) => {
    if (expressions.length === 0) return [];
    const started = Date.now();
    try {
      const out = run(`jsonencode([${expressions.map(one).join(', ')}])`);
      if (process.env.PARITY_DEBUG)
        process.stderr.write(`console: ${expressions.length} in ${Date.now() - started} ms\n`);
      return (JSON.parse(JSON.parse(out.trim()) as string) as string[]).map(parse);
    } catch (e) {
      if (process.env.PARITY_DEBUG)
        process.stderr.write(`batch failed: ${expressions.join('\n')}\n${String((e as { stderr?: string }).stderr)}\n`);
      // An expression Terraform cannot even parse spoils the batch: evaluate one by one.
      return expressions.map((e) => {
        try {
          return parse(JSON.parse(run(one(e)).trim()) as string);
        } catch {
          if (process.env.PARITY_DEBUG) process.stderr.write(`failed alone: ${e}\n`);
          return undefined;
        }
      });
    }
  };
}

const REFERENCE = /(^|[^A-Za-z0-9_."])(aws_[a-z0-9_]+\.|data\.|local\.|each\.|count\.|module\.|self\.|path\.)/;

/** The expression of a whole `${...}` string, or undefined. */
function wholeExpression(text: string): string | undefined {
  if (!text.startsWith('${') || !text.endsWith('}')) return undefined;
  // One interpolation spanning the string: nothing closes it before the end.
  return closing(text, 2) === text.length - 1 ? text.slice(2, -1) : undefined;
}

/** A string as an HCL expression: a whole interpolation as is, a template as a quoted template. */
function asExpression(text: string): string {
  const whole = wholeExpression(text);
  if (whole !== undefined) return whole;
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('${', i)) {
      const end = closing(text, i + 2);
      out += text.slice(i, end + 1);
      i = end + 1;
    } else {
      const ch = text[i++];
      out += ch === '"' ? '\\"' : ch === '\\' ? '\\\\' : ch === '\n' ? '\\n' : ch;
    }
  }
  return `"${out}"`;
}

/** The index of the `}` that closes an interpolation opened before `from`. */
function closing(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') i = stringEnd(text, i);
    else if (ch === '{') depth++;
    else if (ch === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return text.length - 1;
}

/** The index of the `"` ending the HCL string literal that starts at `open`; templates inside it skipped. */
function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '"') return i;
    else if (text.startsWith('$${', i)) i += 2;
    else if (text.startsWith('${', i)) i = closing(text, i + 2);
  }
  return text.length - 1;
}

const hasInterpolation = (v: unknown): v is string => typeof v === 'string' && v.includes('${');
// String literals may hold interpolations (`"arn:${data.x.y}"`): the whole text is searched.
const referenceFree = (v: string) => !REFERENCE.test(v);

/** Replaces identifiers (`var.x`, `count.index`, `each.value`) in every string by HCL literals. */
function bind(value: unknown, bindings: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => bind(v, bindings));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, bind(v, bindings)]));
  if (!hasInterpolation(value)) return value;
  let out = value;
  for (const [name, v] of Object.entries(bindings)) {
    const pattern = new RegExp(`(^|[^A-Za-z0-9_.])${name.replace(/\./g, '\\.')}(?![A-Za-z0-9_])`, 'g');
    out = out.replace(pattern, (_, before: string) => `${before}${hclLiteral(v)}`);
  }
  return out;
}

interface Block {
  readonly address: string;
  readonly body: Json;
}

/** Blocks of a synthesized stack by `kind.type.id`. */
function blocks(json: Json): Block[] {
  const out: Block[] = [];
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, byId] of Object.entries((json[kind] ?? {}) as Record<string, Record<string, Json>>)) {
      for (const [id, body] of Object.entries(byId)) out.push({ address: `${kind}.${type}.${id}`, body });
    }
  }
  return out;
}

/** `address[expression]` references whose index is computed: [whole text, index, address]. */
function indexedReferences(text: string): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const m of text.matchAll(/((?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)\[/g)) {
    const open = (m.index as number) + m[0].length;
    let depth = 0;
    let end = open;
    for (; end < text.length; end++) {
      if (text[end] === '[' || text[end] === '(') depth++;
      else if (text[end] === ')') depth--;
      else if (text[end] === ']') {
        if (depth === 0) break;
        depth--;
      }
    }
    const index = text.slice(open, end);
    if (!/^\d+$/.test(index) && !index.startsWith('"') && index !== '*') out.push([`${m[1]}[${index}]`, index, m[1]]);
  }
  return out;
}

/** The top-level interpolations of a string: [start, end] of each `${...}` (end at its `}`). */
function interpolations(text: string): [number, number][] {
  const out: [number, number][] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) i += 3;
    else if (text.startsWith('${', i)) {
      const end = closing(text, i + 2);
      out.push([i, end]);
      i = end + 1;
    } else i++;
  }
  return out;
}

/** Whether a string is one whole interpolation, `${...}`. */
const isWhole = (text: string, parts: [number, number][]) =>
  parts.length === 1 && parts[0][0] === 0 && parts[0][1] === text.length - 1;

/** The index of the `)` closing the `(` at `open`, skipping strings and other brackets; -1 if none. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') i = stringEnd(text, i);
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return ch === ')' ? i : -1;
    }
  }
  return -1;
}

interface Conditional {
  readonly start: number;
  readonly end: number;
  readonly cond: string;
  readonly then: string;
  readonly otherwise: string;
}

/** Every parenthesized conditional `(c ? a : b)` in an expression, at any depth. */
function conditionals(text: string): Conditional[] {
  const out: Conditional[] = [];
  for (let i = 0; i < text.length; i++) {
    // Conditionals inside string templates are found too: only a group's own strings are skipped.
    if (text[i] !== '(') continue;
    const end = closingParen(text, i);
    if (end < 0) continue;
    // A top-level `?` in the group, then its `:` (nested conditionals counted).
    let depth = 0;
    let question = -1;
    let colon = -1;
    let pending = 0;
    for (let k = i + 1; k < end; k++) {
      const c = text[k];
      if (c === '"') k = stringEnd(text, k);
      else if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) depth--;
      else if (depth === 0 && c === '?') {
        if (question < 0) question = k;
        else pending++;
      } else if (depth === 0 && c === ':' && question >= 0) {
        if (pending === 0) {
          colon = k;
          break;
        }
        pending--;
      }
    }
    if (question < 0 || colon < 0) continue;
    out.push({
      start: i,
      end,
      cond: text.slice(i + 1, question).trim(),
      then: text.slice(question + 1, colon).trim(),
      otherwise: text.slice(colon + 1, end).trim(),
    });
  }
  return out;
}

/** `text` with every conditional whose condition is known replaced by the branch it takes. */
function reduceConditionals(text: string, known: Map<string, unknown>): string {
  for (let round = 0; round < 1000; round++) {
    const next = conditionals(text).find((c) => typeof known.get(c.cond) === 'boolean');
    if (!next) return text;
    const branch = known.get(next.cond) ? next.then : next.otherwise;
    text = `${text.slice(0, next.start)}(${branch})${text.slice(next.end + 1)}`;
  }
  return text;
}

/**
 * What an expression with references still lets Terraform compute: the conditions of its conditionals
 * (`each.value.path == "/"` once each.value is bound), and the reference-free interpolations of a
 * template (`${aws_x.y.arn}${"/stage/..."}`). Both are evaluated, the conditionals reduced to the branch
 * they take and the interpolations inlined, so what is left compares as text with the construct's.
 */
function partiallyEvaluate(groups: Block[][], evaluate: Evaluator): Block[][] {
  const conditions = new Set<string>();
  const segments = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
    else if (hasInterpolation(v) && !referenceFree(v)) {
      for (const c of conditionals(v)) if (referenceFree(c.cond)) conditions.add(c.cond);
      const parts = interpolations(v);
      if (!isWhole(v, parts))
        for (const [start, end] of parts) {
          const inner = v.slice(start + 2, end);
          if (referenceFree(inner)) segments.add(inner);
        }
    }
  };
  groups.forEach((bs) => bs.forEach((b) => visit(b.body)));
  const conditionList = [...conditions];
  const segmentList = [...segments];
  if (conditionList.length + segmentList.length === 0) return groups;
  const values = evaluate([...conditionList, ...segmentList]);
  const known = new Map(conditionList.map((c, i) => [c, values[i]] as const));
  const inlined = new Map(segmentList.map((e, i) => [e, values[conditionList.length + i]] as const));
  const rewrite = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rewrite);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewrite(x)]));
    if (!hasInterpolation(v) || referenceFree(v)) return v;
    let out = reduceConditionals(v, known);
    const parts = interpolations(out);
    if (!isWhole(out, parts)) {
      for (const [start, end] of [...parts].reverse()) {
        const value = inlined.get(out.slice(start + 2, end));
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
          out = `${out.slice(0, start)}${String(value)}${out.slice(end + 1)}`;
      }
    }
    return out;
  };
  return groups.map((bs) => bs.map((b) => ({ address: b.address, body: rewrite(b.body) as Json })));
}

/** Every reference-free expression in `values`. */
function expressionsIn(values: unknown[]): string[] {
  const found = new Set<string>();
  const collect = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
    else if (hasInterpolation(v) && referenceFree(v)) found.add(v);
  };
  values.forEach(collect);
  return [...found];
}

/** `values` with every expression `results` knows replaced by its value. */
function replaceEvaluated<T>(value: T, results: Map<string, unknown>, counter: { evaluated: number }): T {
  const replace = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(replace);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replace(x)]));
    if (hasInterpolation(v) && results.get(v) !== undefined) {
      counter.evaluated++;
      return results.get(v);
    }
    return v;
  };
  return replace(value) as T;
}

/** The instances of counted and for_each blocks, given the evaluated `count` / `for_each` of each block. */
function expandRepeated(module: Block[], metas: unknown[]): Block[] {
  const instances: Block[] = [];
  module.forEach((b, i) => {
    const meta = metas[i];
    const { count: _count, for_each: _forEach, ...body } = b.body;
    if (b.body.count !== undefined) {
      const n = Number(meta);
      if (!Number.isInteger(n)) throw new Error(`${b.address}: count ${JSON.stringify(b.body.count)} did not evaluate`);
      for (let k = 0; k < n; k++)
        instances.push({ address: `${b.address}[${k}]`, body: bind(body, { 'count.index': k }) as Json });
    } else if (b.body.for_each !== undefined) {
      if (!meta || typeof meta !== 'object') throw new Error(`${b.address}: for_each did not evaluate`);
      const entries = Array.isArray(meta) ? meta.map((v) => [String(v), v] as const) : Object.entries(meta as Json);
      for (const [key, value] of entries)
        instances.push({
          address: `${b.address}[${JSON.stringify(key)}]`,
          body: bind(body, { 'each.key': key, 'each.value': value }) as Json,
        });
    } else instances.push({ address: b.address, body });
  });
  return instances;
}

/** `dynamic` blocks as the static blocks they make (their `for_each` evaluated already). */
function expandDynamic(b: Block): Block {
  const dynamic = b.body.dynamic as Record<string, Json> | undefined;
  if (!dynamic) return b;
  const { dynamic: _d, ...body } = b.body;
  for (const [name, block] of Object.entries(dynamic)) {
    if (!Array.isArray(block.for_each)) throw new Error(`${b.address}: dynamic ${name} did not evaluate`);
    const contents = block.for_each.map((item) => bind(block.content, { [`${name}.value`]: item }));
    if (contents.length === 1) body[name] = contents[0];
    else if (contents.length > 1) body[name] = contents;
  }
  return { address: b.address, body };
}

const META = new Set(['depends_on', 'lifecycle', '//', 'provider']);

/** The construct id an instance stands for: `network_public[0]` -> `network_public-0` when the construct has it. */
function pair(instances: Block[], construct: Block[]): Map<string, string> {
  const names = new Set(construct.map((b) => b.address));
  const pairs = new Map<string, string>();
  const taken = new Set<string>();
  const repeated = instances.filter((b) => b.address.endsWith(']'));
  const singles = instances.filter((b) => !b.address.endsWith(']'));
  for (const b of singles) {
    if (!names.has(b.address)) continue;
    pairs.set(b.address, b.address);
    taken.add(b.address);
  }
  for (const b of repeated) {
    const base = b.address.slice(0, b.address.lastIndexOf('['));
    const [kind, type, id] = base.split('.', 3);
    const parts = id.split(/(?=[-_])/);
    const candidates = construct
      .map((c) => c.address)
      .filter((c) => !taken.has(c))
      .filter((c) => {
        const [ck, ct, cid] = c.split('.', 3);
        if (ck !== kind || ct !== type) return false;
        for (let i = 0; i <= parts.length; i++) {
          const before = parts.slice(0, i).join('');
          const after = parts.slice(i).join('');
          if (cid.startsWith(`${before}-`) && cid.endsWith(after) && cid.length > before.length + after.length + 1)
            return true;
        }
        return false;
      });
    // A plan-time name of its own (`public-routes-association` for `public-0-routes`): any of the type.
    if (candidates.length === 0) {
      candidates.push(
        ...construct
          .map((c) => c.address)
          .filter((c) => !taken.has(c) && !singles.some((x) => x.address === c))
          .filter((c) => c.split('.', 3)[0] === kind && c.split('.', 3)[1] === type),
      );
    }
    const index = b.address.slice(b.address.lastIndexOf('[') + 1, -1);
    // An optional resource (count 0 or 1) pairs with the construct's one of the same name.
    if (index === '0' && names.has(base) && !taken.has(base)) {
      pairs.set(b.address, base);
      taken.add(base);
      continue;
    }
    // An index pairs with `-<index>`; a key with the candidate most alike.
    const byIndex = /^\d+$/.test(index)
      ? candidates.find((c) => new RegExp(`-${index}(-|$)`).test(c.split('.', 3)[2]))
      : undefined;
    const best =
      byIndex ??
      candidates
        .map((c) => ({ c, score: likeness(b.body, construct.find((x) => x.address === c)?.body) }))
        .sort((x, y) => y.score - x.score)[0]?.c;
    if (best) {
      pairs.set(b.address, best);
      taken.add(best);
    }
  }
  return pairs;
}

/** How many leaves two bodies share. */
function likeness(a: unknown, b: unknown): number {
  if (a === b) return 1;
  if (a && b && typeof a === 'object' && typeof b === 'object')
    return Object.keys(a).reduce((n, k) => n + likeness((a as Json)[k], (b as Json)[k]), 0);
  return 0;
}

/** Renames references to instances (`aws_subnet.x[0].id`) to the construct's resources (`aws_subnet.x-0.id`). */
function rename(value: unknown, renames: [string, string][]): unknown {
  if (Array.isArray(value)) return value.map((v) => rename(v, renames));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, rename(v, renames)]));
  if (!hasInterpolation(value)) return value;
  let out = value;
  for (const [from, to] of renames) {
    // The one instance of an optional resource, read as `one(x[*].attr)`, is the construct's `x.attr`.
    if (from.endsWith('[0]')) {
      const base = from.slice(0, -3).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      out = out.replace(new RegExp(`one\\(${base}\\[\\*\\]\\.([A-Za-z0-9_]+)\\)`, 'g'), `${to}.$1`);
    }
    out = out.split(from).join(to);
  }
  return tidy(out);
}

/**
 * An expression as the construct would write it: no parentheses left around a single term (from a
 * reduced conditional), and a whole object constructor (`${{ "k" = x.y }}`) as an object of expressions.
 */
function tidy(text: string): unknown {
  let out = text;
  for (let round = 0; round < 100; round++) {
    const next = out.replace(/(^|[^A-Za-z0-9_])\(([^\s()"]+)\)/g, '$1$2');
    if (next === out) break;
    out = next;
  }
  const whole = wholeExpression(out);
  if (whole === undefined) return out;
  let inner = whole.trim();
  while (inner.startsWith('(') && closingParen(inner, 0) === inner.length - 1) inner = inner.slice(1, -1).trim();
  if (inner.startsWith('{') && closing(inner, 1) === inner.length - 1) {
    const object = objectConstructor(inner.slice(1, -1));
    if (object) return object;
  }
  return `\${${inner}}`;
}

/** `"k" = expr, k2 = expr2` as `{ k: "${expr}", ... }`; undefined when it is not a plain constructor. */
function objectConstructor(items: string): Json | undefined {
  const out: Json = {};
  let i = 0;
  while (i < items.length) {
    while (i < items.length && /[\s,]/.test(items[i])) i++;
    if (i >= items.length) break;
    let key: string;
    if (items[i] === '"') {
      const end = stringEnd(items, i);
      key = JSON.parse(items.slice(i, end + 1)) as string;
      i = end + 1;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(items.slice(i));
      if (!m) return undefined;
      key = m[0];
      i += key.length;
    }
    while (items[i] === ' ') i++;
    if (items[i] !== '=' && items[i] !== ':') return undefined;
    i++;
    let depth = 0;
    const start = i;
    for (; i < items.length; i++) {
      const ch = items[i];
      if (ch === '"') i = stringEnd(items, i);
      else if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) depth--;
      else if (depth === 0 && (ch === ',' || ch === '\n')) break;
    }
    const value = items.slice(start, i).trim();
    out[key] = /^"[^"$]*"$/.test(value) ? (JSON.parse(value) as string) : `\${${value}}`;
  }
  return out;
}

/**
 * Compares the construct's JSON with the module's, the module's variables set as `evaluate` sets them.
 * Two batches of Terraform evaluation: the variables with count and for_each; then every expression
 * left without a reference to a resource.
 */
export interface ParityOptions {
  /**
   * Arguments compared only for presence (`triggers.redeployment`): a hash both sides compute over
   * their resources, written over single resources by the construct and over for_each ones by the module.
   */
  readonly opaque?: readonly string[];
}

export function parity(
  constructJson: Json,
  moduleJson: Json,
  evaluate: Evaluator,
  options: ParityOptions = {},
): ParityReport {
  const construct = blocks(constructJson);
  const counter = { evaluated: 0 };
  const module = blocks(moduleJson);
  const names = Object.keys((moduleJson.variable ?? {}) as Json);
  const metas = module.map((b) => b.body.count ?? b.body.for_each);
  const metaExpressions = metas.map((m) => (hasInterpolation(m) ? asExpression(m) : JSON.stringify(m ?? null)));
  const first = evaluate([...names.map((n) => `var.${n}`), ...metaExpressions]);
  const variables = Object.fromEntries(names.map((n, i) => [`var.${n}`, first[i]]));
  let instances = expandRepeated(module, first.slice(names.length)).map((b) => ({
    address: b.address,
    body: bind(b.body, variables) as Json,
  }));
  // Conditionals and template parts the variables decide, on both sides.
  let constructBlocks0 = construct;
  [instances, constructBlocks0] = partiallyEvaluate([instances, construct], evaluate);
  // An instance index computed from the variables (`nat[min(count.index, n - 1)]`) is evaluated too.
  const indexes = new Set<string>();
  const leaves = (v: unknown): string[] =>
    Array.isArray(v)
      ? v.flatMap(leaves)
      : v && typeof v === 'object'
        ? Object.values(v).flatMap(leaves)
        : hasInterpolation(v)
          ? [v]
          : [];
  for (const b of instances)
    for (const leaf of leaves(b.body)) for (const [, index] of indexedReferences(leaf)) indexes.add(index);
  // The construct's own reference-free expressions (`base64encode("...")`) are evaluated alike.
  const second = [
    ...new Set([...expressionsIn(instances.map((b) => b.body)), ...expressionsIn(constructBlocks0.map((b) => b.body))]),
  ];
  const indexList = [...indexes];
  const evaluated = evaluate([...second.map(asExpression), ...indexList]);
  const results = new Map(second.map((e, i) => [e, evaluated[i]] as const));
  const indexValues = new Map(indexList.map((e, i) => [e, evaluated[second.length + i]] as const));
  const reindex = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(reindex);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reindex(x)]));
    if (!hasInterpolation(v)) return v;
    let out = v;
    for (const [whole, index, address] of indexedReferences(v)) {
      const value = indexValues.get(index);
      if (typeof value === 'number' || typeof value === 'string')
        out = out.split(whole).join(`${address}[${JSON.stringify(value)}]`);
    }
    return out;
  };
  instances = instances.map((b) => ({ address: b.address, body: reindex(b.body) as Json }));
  instances = instances.map((b) =>
    expandDynamic({ address: b.address, body: replaceEvaluated(b.body, results, counter) }),
  );
  const constructBlocks = constructBlocks0.map((b) => ({
    address: b.address,
    body: replaceEvaluated(b.body, results, { evaluated: 0 }),
  }));
  const pairs = pair(instances, constructBlocks);
  const strip = (a: string) => a.replace(/^(resource|data)\./, (_, kind: string) => (kind === 'data' ? 'data.' : ''));
  const renames: [string, string][] = [...pairs.entries()]
    .filter(([m, c]) => m !== c)
    .map(([m, c]) => [strip(m), strip(c)]);
  // A counted or for_each resource must be read by index: Terraform rejects `aws_x.y.attr` for it.
  const repeatedBases = new Set(
    instances.filter((b) => b.address.endsWith(']')).map((b) => strip(b.address.slice(0, b.address.lastIndexOf('[')))),
  );
  const differences: Difference[] = [];
  for (const b of instances) {
    const text = JSON.stringify(b.body);
    for (const base of repeatedBases)
      if (text.includes(`${base}.`))
        differences.push({ at: b.address, construct: 'an indexed reference', module: `${base} without an index` });
  }
  instances = instances.map((b) => ({ address: b.address, body: rename(b.body, renames) as Json }));
  const report = {
    onlyInConstruct: [] as string[],
    onlyInModule: [] as string[],
    differences,
    matched: 0,
    evaluated: 0,
  };
  const byConstruct = new Map([...pairs.entries()].map(([m, c]) => [c, m]));
  const moduleBody = new Map(instances.map((b) => [b.address, b.body]));
  for (const c of constructBlocks) {
    const m = byConstruct.get(c.address);
    if (!m) report.onlyInConstruct.push(c.address);
    else compare(c.address, c.body, moduleBody.get(m), report, options.opaque ?? []);
  }
  for (const b of instances) if (!pairs.has(b.address)) report.onlyInModule.push(b.address);
  report.evaluated = counter.evaluated;
  return report;
}

function compare(
  at: string,
  construct: unknown,
  module: unknown,
  report: { differences: Difference[]; matched: number },
  opaque: readonly string[],
) {
  if (opaque.some((o) => at.endsWith(`.${o}`)) && typeof construct === 'string' && typeof module === 'string') {
    report.matched++;
    return;
  }
  if (Array.isArray(construct) && Array.isArray(module) && construct.length === module.length) {
    construct.forEach((v, i) => compare(`${at}[${i}]`, v, module[i], report, opaque));
    return;
  }
  if (
    construct &&
    module &&
    typeof construct === 'object' &&
    typeof module === 'object' &&
    !Array.isArray(construct) &&
    !Array.isArray(module)
  ) {
    const keys = new Set(
      [...Object.keys(construct as Json), ...Object.keys(module as Json)].filter((k) => !META.has(k)),
    );
    for (const k of keys) {
      const cv = (construct as Json)[k];
      const mv = (module as Json)[k];
      // Null and absent are the same to Terraform.
      if ((cv === undefined || cv === null) && (mv === undefined || mv === null)) continue;
      compare(`${at}.${k}`, cv, mv, report, opaque);
    }
    return;
  }
  // Terraform converts a number or a bool to a string argument's type, and back.
  const scalar = (v: unknown) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v);
  if (
    JSON.stringify(construct) === JSON.stringify(module) ||
    scalar(construct) === scalar(module) ||
    sameJson(construct, module)
  )
    report.matched++;
  else report.differences.push({ at, construct, module });
}

/** JSON text compared as JSON: Terraform's `jsonencode` sorts keys, `JSON.stringify` keeps their order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || !/^[[{]/.test(a) || !/^[[{]/.test(b)) return false;
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Json)[k])]),
          )
        : v;
  try {
    return JSON.stringify(canonical(JSON.parse(a))) === JSON.stringify(canonical(JSON.parse(b)));
  } catch {
    return false;
  }
}

/**
 * The messages of the module's variable validations that fail for `values` (empty when all pass), as
 * `terraform console` reports them: Terraform's own check of the module's inputs, no provider needed.
 * (The console reports an invalid value and carries on: the diagnostics are read, not the exit code.)
 */
export function validationFailures(variables: Json, values: Json): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validation-'));
  try {
    fs.writeFileSync(path.join(dir, 'variables.tf.json'), JSON.stringify({ variable: variables }));
    fs.writeFileSync(path.join(dir, 'terraform.tfvars.json'), JSON.stringify(values));
    const run = spawnSync('terraform', ['console'], {
      cwd: dir,
      input: 'true\n',
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: os.devNull },
    });
    const text = `${run.stdout}\n${run.stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
    // A diagnostic is `╷ │ ... ╵`; its message is the paragraph before "This was checked by the validation rule".
    const messages: string[] = [];
    for (const block of text.split('╷').slice(1)) {
      const lines = block
        .split('╵')[0]
        .split('\n')
        .map((l) => l.replace(/^│ ?/, ''));
      const paragraphs = lines
        .join('\n')
        .split(/\n\s*\n/)
        .map((p) => p.replace(/\s*\n\s*/g, ' ').trim());
      const at = paragraphs.findIndex((p) => p.startsWith('This was checked by the validation rule'));
      if (at > 0) messages.push(paragraphs[at - 1]);
    }
    return messages;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
