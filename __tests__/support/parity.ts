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

/** `terraform console` in an empty folder: Terraform's own functions and operators, nothing else. */
export function terraformEvaluator(): Evaluator | undefined {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const run = (expression: string): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-'));
    try {
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
    try {
      const out = run(`jsonencode([${expressions.map(one).join(', ')}])`);
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

const REFERENCE = /(^|[^A-Za-z0-9_."])(aws_[a-z0-9_]+\.|data\.|local\.|var\.|each\.|count\.|module\.|self\.|path\.)/;

/** An expression with its string literals blanked, to look for references outside them. */
const code = (expression: string) => expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');

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
const referenceFree = (v: string) => !REFERENCE.test(code(asExpression(v)));

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

/** Evaluates every reference-free expression in `value` with one batch, replacing it by its value. */
function evaluateAll(values: unknown[], evaluate: Evaluator | undefined, counter: { evaluated: number }): unknown[] {
  const found: string[] = [];
  const collect = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
    else if (hasInterpolation(v) && referenceFree(v)) found.push(v);
  };
  values.forEach(collect);
  if (!evaluate || found.length === 0) return values;
  const unique = [...new Set(found)];
  const evaluated = evaluate(unique.map(asExpression));
  const results = new Map(unique.map((e, i) => [e, evaluated[i]] as const));
  const replace = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(replace);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replace(x)]));
    if (hasInterpolation(v) && results.has(v)) {
      const r = results.get(v);
      if (r === undefined) return v;
      counter.evaluated++;
      return r;
    }
    return v;
  };
  return values.map(replace);
}

/**
 * The module's blocks for these values: count, for_each and dynamic blocks expanded, each instance
 * named `<address>[<index or key>]`.
 */
function expand(module: Block[], evaluate: Evaluator | undefined): Block[] {
  // Pass 1: count and for_each, now free of variables.
  const metas = module.map((b) => b.body.count ?? b.body.for_each);
  const evaluatedMetas = evaluateAll(metas, evaluate, { evaluated: 0 });
  const instances: Block[] = [];
  module.forEach((b, i) => {
    const meta = evaluatedMetas[i];
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
  // Pass 2: dynamic blocks.
  const dynamics = instances.map((b) => b.body.dynamic as Record<string, Json> | undefined);
  const forEaches = evaluateAll(
    dynamics.map((d) => Object.fromEntries(Object.entries(d ?? {}).map(([k, v]) => [k, v.for_each]))),
    evaluate,
    { evaluated: 0 },
  ) as Record<string, unknown>[];
  return instances.map((b, i) => {
    const dynamic = dynamics[i];
    if (!dynamic) return b;
    const { dynamic: _d, ...body } = b.body;
    for (const [name, block] of Object.entries(dynamic)) {
      const items = forEaches[i][name];
      if (!Array.isArray(items)) throw new Error(`${b.address}: dynamic ${name} did not evaluate`);
      const contents = items.map((item) => bind(block.content, { [`${name}.value`]: item }));
      if (contents.length === 1) body[name] = contents[0];
      else if (contents.length > 1) body[name] = contents;
    }
    return { address: b.address, body };
  });
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
 * Compares the construct's JSON with the module's for `values` (every variable's value, defaults
 * included). Without an evaluator, module arguments computed from variables cannot be compared and
 * count as differences only when the construct's side is not an expression either.
 */
export function parity(
  constructJson: Json,
  moduleJson: Json,
  values: Record<string, unknown>,
  evaluate?: Evaluator,
): ParityReport {
  const construct = blocks(constructJson);
  const counter = { evaluated: 0 };
  const bound = blocks(
    bind(moduleJson, Object.fromEntries(Object.entries(values).map(([k, v]) => [`var.${k}`, v]))) as Json,
  );
  let instances = expand(bound, evaluate);
  const pairs = pair(instances, construct);
  const strip = (a: string) => a.replace(/^(resource|data)\./, (_, kind: string) => (kind === 'data' ? 'data.' : ''));
  const renames: [string, string][] = [...pairs.entries()]
    .filter(([m, c]) => m !== c)
    .map(([m, c]) => [strip(m), strip(c)]);
  // A counted or for_each resource must be read by index: Terraform rejects `aws_x.y.attr` for it.
  const repeatedBases = new Set(
    instances.filter((b) => b.address.endsWith(']')).map((b) => strip(b.address.slice(0, b.address.lastIndexOf('[')))),
  );
  const unindexed: Difference[] = [];
  for (const b of instances) {
    const text = JSON.stringify(b.body);
    for (const base of repeatedBases) {
      if (text.includes(`${base}.`))
        unindexed.push({ at: b.address, construct: 'an indexed reference', module: `${base} without an index` });
    }
  }
  instances = instances.map((b) => ({ address: b.address, body: rename(b.body, renames) as Json }));
  const bodies = evaluateAll(
    instances.map((b) => b.body),
    evaluate,
    counter,
  ) as Json[];
  const report = {
    onlyInConstruct: [] as string[],
    onlyInModule: [] as string[],
    differences: [...unindexed],
    matched: 0,
    evaluated: 0,
  };
  const byConstruct = new Map([...pairs.entries()].map(([m, c]) => [c, m]));
  const moduleBody = new Map(instances.map((b, i) => [b.address, bodies[i]]));
  for (const c of construct) {
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
  if (JSON.stringify(construct) === JSON.stringify(module)) report.matched++;
  else report.differences.push({ at, construct, module });
}
