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
import { execFileSync } from 'node:child_process';
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
  // One interpolation spanning the string: no `}` closes it before the end.
  let depth = 0;
  let inString = false;
  for (let i = 2; i < text.length - 1; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}') {
      if (depth === 0) return undefined;
      depth--;
    }
  }
  return text.slice(2, -1);
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
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}') {
      if (depth === 0) return i;
      depth--;
    }
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
    if (!/^\d+$/.test(index) && !index.startsWith('"')) out.push([`${m[1]}[${index}]`, index, m[1]]);
  }
  return out;
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
  for (const [from, to] of renames) out = out.split(from).join(to);
  return out;
}

/**
 * Compares the construct's JSON with the module's, the module's variables set as `evaluate` sets them.
 * Two batches of Terraform evaluation: the variables with count and for_each; then every expression
 * left without a reference to a resource.
 */
export function parity(constructJson: Json, moduleJson: Json, evaluate: Evaluator): ParityReport {
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
    ...new Set([...expressionsIn(instances.map((b) => b.body)), ...expressionsIn(construct.map((b) => b.body))]),
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
      if (typeof value === 'number') out = out.split(whole).join(`${address}[${value}]`);
    }
    return out;
  };
  instances = instances.map((b) => ({ address: b.address, body: reindex(b.body) as Json }));
  instances = instances.map((b) =>
    expandDynamic({ address: b.address, body: replaceEvaluated(b.body, results, counter) }),
  );
  const constructBlocks = construct.map((b) => ({
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
    else compare(c.address, c.body, moduleBody.get(m), report);
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
) {
  if (Array.isArray(construct) && Array.isArray(module) && construct.length === module.length) {
    construct.forEach((v, i) => compare(`${at}[${i}]`, v, module[i], report));
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
      compare(`${at}.${k}`, cv, mv, report);
    }
    return;
  }
  // Terraform converts a number or a bool to a string argument's type, and back.
  const scalar = (v: unknown) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v);
  if (JSON.stringify(construct) === JSON.stringify(module) || scalar(construct) === scalar(module)) report.matched++;
  else report.differences.push({ at, construct, module });
}
