/**
 * IAM policies as the rules see them: statements read from an `aws_iam_policy_document` (with its
 * source and override documents), policy JSON, `jsonencode(...)`, a variable's default or another
 * resource's policy; and the IAM semantics the rules need (wildcards anywhere and case-insensitive
 * actions, broad resources, who a principal is). Pure.
 */
import { LAMBDA_VPC_ACCESS_ACTIONS } from '../core/lambda-vpc-access';
import { INTERNET_WIDE, publicAddresses } from './cidr';
import { isEncodedJson, readEncodedJson } from './hcl-value';
import { NotChecked, globMatch, hasWildcard, isExpression, isReference, short, whyUnknown, type Json } from './values';
import type { StackView } from './view';

/** A policy statement, normalised. Lists may hold `${...}` expressions (references, variables). */
export interface PolicyStatement {
  /** The effect (`Allow` when the statement does not say). */
  effect: 'Allow' | 'Deny';
  /** The effect, when it is an expression (`${var.effect}`): the statement is read as Allow, but unsure. */
  unknownEffect?: string;
  /** `Action`, as a list (empty when the statement uses `NotAction`). */
  actions: string[];
  /** `NotAction`, as a list (empty when absent). */
  notActions: string[];
  /** `Resource`, as a list (empty when absent). */
  resources: string[];
  /** `Condition`, one entry per operator and key. */
  conditions: { test: string; variable: string; values: string[] }[];
  /** `Principal`, one entry per type (resource policies and trust policies). */
  principals: { type: string; identifiers: string[] }[];
  /** `NotResource`, when present. */
  notResources?: string[];
  /** `NotPrincipal`, when present. */
  notPrincipals?: { type: string; identifiers: string[] }[];
  /** `Sid`, when present. */
  sid?: string;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v: unknown): string[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? v.map((x) => String(x)) : [String(v)];
const blockList = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : isObject(v) ? [v] : []);

/** What a plan reader can do about a policy known only after apply (jsonencode() around a new ARN). */
const PLAN_HINT =
  'a plan shows no part of it: write it as a data.aws_iam_policy_document (its statements are in the plan) to have it checked';

/**
 * The statements of a policy value, or NotChecked (with `field` and why) when they cannot be read:
 * `${data.aws_iam_policy_document.x.json}`, a JSON string, `${jsonencode({...})}`, `${var.p}` with a
 * default, `${aws_iam_policy.p.policy}`, or (in a plan) the resolved JSON.
 */
export function statementsOf(s: StackView, policy: unknown, field: string, depth = 0): PolicyStatement[] {
  if (depth > 6) throw new NotChecked(field, 'policy references nest too deep to follow');
  const value = s.resolve(policy);
  if (value === undefined || value === null || value === '') return [];
  if (isObject(value)) return jsonStatements(value, field);
  if (typeof value !== 'string') throw new NotChecked(field, `is ${short(value)}, not a policy`);
  const referenced = s.referenced(value);
  if (referenced) {
    const attribute = /\.([\w-]+)\}$/.exec(value)?.[1] ?? '';
    if (referenced.type === 'aws_iam_policy_document' && ['json', 'minified_json'].includes(attribute)) {
      return documentStatementsOf(s, referenced.attrs, `${referenced.address}`, depth);
    }
    if (referenced.kind === 'resource' && attribute === 'policy') {
      return statementsOf(s, referenced.attrs.policy, `${referenced.address}.policy`, depth + 1);
    }
    throw new NotChecked(
      field,
      s.source === 'plan'
        ? `is known only after apply (it is computed from ${referenced.address}.${attribute}); ${PLAN_HINT}`
        : `is ${referenced.address}.${attribute}, whose content is not in this configuration`,
    );
  }
  if (isExpression(value) && !isEncodedJson(value)) {
    throw new NotChecked(field, s.source === 'plan' ? `${whyUnknown(value)}; ${PLAN_HINT}` : whyUnknown(value));
  }
  const parsed = readEncodedJson(value);
  if (!isObject(parsed)) {
    throw new NotChecked(field, parsed === undefined ? 'is not readable as a policy document' : 'is not a JSON object');
  }
  // `"Action": "${var.actions}"` inside the JSON is judged by the variable's default, as everywhere else
  return jsonStatements(s.resolve(parsed) as Json, field);
}

/** Statements of a synthesized `aws_iam_policy_document` (with source and override documents merged). */
export function documentStatements(attrs: Json): PolicyStatement[] {
  return blockList(attrs.statement).map(documentStatement);
}

function documentStatementsOf(s: StackView, attrs: Json, field: string, depth: number): PolicyStatement[] {
  // In a plan, a document read at plan time carries its rendered JSON: the provider already merged it.
  if (typeof attrs.json === 'string' && !isExpression(attrs.json)) {
    const parsed = readEncodedJson(attrs.json);
    if (isObject(parsed)) return jsonStatements(parsed, field);
  }
  const documents = (key: string): PolicyStatement[] => {
    const v = s.resolve(attrs[key]);
    if (v === undefined || v === null) return [];
    const at = (i: number) => (Array.isArray(v) ? `${field}.${key}[${i}]` : `${field}.${key}`);
    return asArray(v).flatMap((d, i) => statementsOf(s, d, at(i), depth + 1));
  };
  const bySid = (base: PolicyStatement[], over: PolicyStatement[]): PolicyStatement[] => {
    const sids = new Set(over.map((st) => st.sid).filter(Boolean));
    return [...base.filter((st) => !st.sid || !sids.has(st.sid)), ...over];
  };
  const source = [...documents('source_json'), ...documents('source_policy_documents')];
  const own = blockList(s.resolve(attrs.statement)).map(documentStatement);
  const override = [...documents('override_json'), ...documents('override_policy_documents')];
  return bySid(bySid(source, own), override);
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

function documentStatement(st: Json): PolicyStatement {
  const principals = (key: string) =>
    blockList(st[key]).map((p) => ({ type: String(p.type), identifiers: asList(p.identifiers) }));
  return {
    effect: st.effect === 'Deny' ? 'Deny' : 'Allow',
    unknownEffect: isExpression(st.effect) ? String(st.effect) : undefined,
    actions: asList(st.actions),
    notActions: asList(st.not_actions),
    resources: asList(st.resources),
    notResources: asList(st.not_resources),
    conditions: blockList(st.condition).map((c) => ({
      test: String(c.test),
      variable: String(c.variable),
      values: asList(c.values),
    })),
    principals: principals('principals'),
    notPrincipals: principals('not_principals'),
    sid: typeof st.sid === 'string' && st.sid !== '' ? st.sid : undefined,
  };
}

/** Statements of an IAM policy JSON document. */
export function jsonPolicyStatements(policy: Json): PolicyStatement[] {
  return jsonStatements(policy, 'policy');
}

function jsonStatements(policy: Json, field: string): PolicyStatement[] {
  const raw = policy.Statement;
  if (raw === undefined || raw === null) return [];
  if (isExpression(raw)) throw new NotChecked(`${field}.Statement`, whyUnknown(raw));
  return asArray(raw).map((st, i) => {
    if (!isObject(st)) {
      throw new NotChecked(`${field}.Statement[${i}]`, isExpression(st) ? whyUnknown(st) : 'is not an object');
    }
    const principals = (p: unknown) =>
      p === undefined || p === null
        ? []
        : typeof p === 'string'
          ? [{ type: p === '*' ? '*' : 'AWS', identifiers: [p] }]
          : isObject(p)
            ? Object.entries(p).map(([type, ids]) => ({ type, identifiers: asList(ids) }))
            : [];
    const effect = st.Effect;
    return {
      effect: effect === 'Deny' ? 'Deny' : 'Allow',
      unknownEffect: isExpression(effect) ? String(effect) : undefined,
      actions: asList(st.Action),
      notActions: asList(st.NotAction),
      resources: asList(st.Resource),
      notResources: asList(st.NotResource),
      conditions: (isObject(st.Condition) ? Object.entries(st.Condition) : []).flatMap(([test, byVariable]) =>
        isObject(byVariable)
          ? Object.entries(byVariable).map(([variable, values]) => ({ test, variable, values: asList(values) }))
          : [],
      ),
      principals: principals(st.Principal),
      notPrincipals: principals(st.NotPrincipal),
      sid: typeof st.Sid === 'string' ? st.Sid : undefined,
    };
  });
}

// ---- IAM semantics -------------------------------------------------------------------------------

/**
 * Actions that take no resource ARN (IAM requires `Resource: "*"` for them), as used by tracing
 * workloads. Nothing else that writes may use "*".
 */
export const STAR_ONLY_ACTIONS = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
  'cloudwatch:PutMetricData',
  'ecr:GetAuthorizationToken',
  'sts:GetCallerIdentity',
  'ssm:DescribeParameters',
].map((a) => a.toLowerCase());

const LAMBDA_VPC_ACCESS = LAMBDA_VPC_ACCESS_ACTIONS.map((a) => a.toLowerCase());

/** A statement that grants Lambda's VPC access actions (`core/lambda-vpc-access.ts`) on "*", as documented, and nothing else (no pattern, no NotAction or NotResource). */
export function isLambdaVpcAccess(st: PolicyStatement): boolean {
  return (
    st.notActions.length === 0 &&
    (st.notResources ?? []).length === 0 &&
    st.actions.length > 0 &&
    st.actions.every((a) => LAMBDA_VPC_ACCESS.includes(a.toLowerCase()))
  );
}

/**
 * Reads that return data, not metadata: on "*" they expose every secret, object, key or message of
 * the account. Matched case-insensitively, with the statement's own wildcards (`s3:Get*` matches).
 */
export const SENSITIVE_READS = [
  'secretsmanager:GetSecretValue',
  'secretsmanager:BatchGetSecretValue',
  's3:GetObject',
  's3:GetObjectVersion',
  'kms:Decrypt',
  'kms:GenerateDataKey',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'ssm:GetParameterHistory',
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'sqs:ReceiveMessage',
  'logs:GetLogEvents',
  'logs:FilterLogEvents',
  'lambda:GetFunction',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'kinesis:GetRecords',
  'sts:AssumeRole',
];

/** Read-only verbs: Describe*, Get*, List*, BatchGet*, Head* (for a pattern: its literal start). */
export function isReadAction(action: string): boolean {
  return /^[a-z0-9-]+:(Describe|Get|List|BatchGet|Head)/i.test(action);
}

/** The sensitive reads an action (or action pattern) grants. */
export function sensitiveReadsOf(action: string): string[] {
  return SENSITIVE_READS.filter((a) => globMatch(action, a));
}

/** True for an action that changes something (not a read, not one that only exists on "*"). */
export function isWriteAction(action: string): boolean {
  if (STAR_ONLY_ACTIONS.includes(action.toLowerCase())) return false;
  return !isReadAction(action) || /^[^:]*\*/.test(action);
}

/**
 * Whether a resource ARN pattern means "every resource": `*`, an ARN whose resource part is only a
 * wildcard (`arn:aws:s3:::*`), or any account or region wildcard (`arn:aws:sqs:*:*:*`).
 * References (`${aws_sqs_queue.q.arn}`) are specific; a variable is unknown (throws NotChecked).
 */
export function isBroadResource(resource: string, field: string): boolean {
  const known = broad.get(resource);
  if (known !== undefined) return known;
  const result = broadResource(literalize(resource, field));
  if (broad.size > 5_000) broad.clear();
  broad.set(resource, result);
  return result;
}

const broad = new Map<string, boolean>();

function broadResource(text: string): boolean {
  if (text === '*' || /^arn:[*?]/.test(text)) return true;
  const parts = text.split(':');
  if (parts[0] !== 'arn' || parts.length < 6) return hasWildcard(text) && /^[*?/]*$/.test(text);
  const [, , service, , account] = parts;
  const rest = parts.slice(5).join(':');
  // `arn:aws:s3:::*/*` (every object of every bucket) is as broad as `*`
  if (/^[*?]+$/.test(service) || /^[*?][*?/:]*$/.test(rest)) return true;
  return hasWildcard(account) && account !== '';
}

/**
 * Services whose resources hold data, and whose ARN `<type>/*` or `<type>:*` (every secret, parameter,
 * key, table, stream, function or repository of the account) is as broad as "*" for a read of that data
 * (S3 ARNs name no type: every object of every bucket is broad anyway, see broadResource).
 * Log groups are not among them: `log-group:*` is what API Gateway's account logging role is given.
 */
const DATA_SERVICES = new Set(['secretsmanager', 'ssm', 'kms', 'dynamodb', 'kinesis', 'lambda', 'ecr']);

/** Broad (`isBroadResource`), or every resource of a data-holding type in the account (`secret:*`, `table/*`). */
export function isBroadForReads(resource: string, field: string): boolean {
  if (isBroadResource(resource, field)) return true;
  const parts = literalize(resource, field).split(':');
  if (parts[0] !== 'arn' || parts.length < 6 || !DATA_SERVICES.has(parts[2])) return false;
  return /^[\w-]+[/:]?[*?]+$/.test(parts.slice(5).join(':'));
}

/** Whether a resource pattern means every IAM role of an account (`role/*`), or everything. */
export function isAnyRole(resource: string, field: string): boolean {
  if (isBroadResource(resource, field)) return true;
  return /:role\/(.*\/)?\*$/.test(literalize(resource, field));
}

/**
 * A resource string with its `${...}` references replaced by a placeholder (they name one resource);
 * any other expression in it makes it NotChecked.
 */
function literalize(resource: string, field: string): string {
  return resource.replace(/\$\{([^}]*)\}/g, (whole) => {
    if (isReference(whole)) return 'ref';
    throw new NotChecked(field, whyUnknown(resource));
  });
}

/** Condition keys that tie a statement to known principals or sources, when given a specific value. */
export const RESTRICTING_KEYS = [
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:userid',
  'aws:sourceip',
];

/** Keys whose value names an account or an organization: any wildcard in it lets in strangers. */
const ACCOUNT_KEYS = new Set(['aws:sourceaccount', 'aws:sourceowner', 'aws:principalaccount', 'aws:principalorgid']);

/**
 * Whether one condition restricts the request to known principals or sources through one of `keys`
 * (lower case; a key starting with ":" matches by suffix, as `...githubusercontent.com:sub`). It does not
 * when its operator is negated (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`: they only exclude),
 * `...IfExists` or `Null` (a request without the key passes), `ForAllValues:` (true when the key is
 * absent), or when any of its values is weak: only wildcards, an ARN of any account, an account or
 * organization with a wildcard, a GitHub `repo:*` subject, or source addresses covering the internet.
 * `'unknown'` when it would restrict unless a value that is not known here is weak.
 */
function conditionRestricts(c: PolicyStatement['conditions'][number], keys: readonly string[]): boolean | 'unknown' {
  const key = c.variable.toLowerCase();
  if (!keys.some((k) => (k.startsWith(':') ? key.endsWith(k) : key === k))) return false;
  if (/IfExists$/i.test(c.test) || /^Null$/i.test(c.test) || /^ForAllValues:/i.test(c.test)) return false;
  const operator = c.test.replace(/^ForAnyValue:/i, '');
  if (/^(StringNot|ArnNot|NotIpAddress)/i.test(operator)) return false;
  if (/^Bool$/i.test(operator) && c.values.some((v) => v.toLowerCase() !== 'true')) return false;
  if (c.values.length === 0) return false;
  const known = c.values.filter(onlyReferences);
  if (known.some((v) => weakConditionValue(key, v))) return false;
  if (key === 'aws:sourceip') {
    for (const family of [4, 6] as const) if (publicAddresses(known, family) >= INTERNET_WIDE[family]) return false;
  }
  return known.length < c.values.length ? 'unknown' : true;
}

function weakConditionValue(key: string, value: string): boolean {
  if (/^[*?]+$/.test(value)) return true;
  if (ACCOUNT_KEYS.has(key) && hasWildcard(value)) return true;
  if (key.endsWith(':sub') && /^repo:[*?]/.test(value)) return true;
  if (!value.startsWith('arn:')) return false;
  const literal = value.replace(/\$\{[^}]*\}/g, 'ref');
  const account = literal.split(':')[4] ?? '';
  // an ARN in one named account is tied to it, even when it names all of its resources
  return (account === '' || hasWildcard(account)) && broadResource(literal);
}

/** A literal, or a string whose every `${...}` is a reference (to a resource, or the caller identity): known enough. */
export function onlyReferences(value: string): boolean {
  return !isExpression(value.replace(/\$\{[^}]*\}/g, (e) => (isReference(e) ? '' : e)));
}

/**
 * True when the statement has a condition that restricts who or where from (see `conditionRestricts`);
 * NotChecked (at `<at>.Condition`) when the only conditions that might restrict have values not known here.
 */
export function hasRestrictingCondition(
  st: PolicyStatement,
  at = 'policy.Statement',
  keys: readonly string[] = RESTRICTING_KEYS,
): boolean {
  let unknown: string | undefined;
  for (const c of st.conditions) {
    const restricts = conditionRestricts(c, keys);
    if (restricts === true) return true;
    if (restricts === 'unknown') unknown ??= c.values.find((v) => !onlyReferences(v));
  }
  if (unknown !== undefined) throw new NotChecked(`${at}.Condition`, whyUnknown(unknown));
  return false;
}

/** The first principal of a statement that is an expression not known here (a variable without a default). */
export function unknownPrincipal(st: PolicyStatement): string | undefined {
  for (const p of st.principals) {
    const id = p.identifiers.find((x) => !onlyReferences(x));
    if (id !== undefined) return id;
  }
  return undefined;
}

/** True when the statement's principal is everyone (`"*"`, `{"AWS": "*"}`, type "*"). */
export function isEveryone(st: PolicyStatement): boolean {
  // Allow with NotPrincipal allows everyone but the principals it names
  if (st.effect === 'Allow' && (st.notPrincipals ?? []).length > 0) return true;
  return st.principals.some((p) => (p.type === '*' || p.type === 'AWS') && p.identifiers.includes('*'));
}
