import { Token } from 'cdktf';
import type { IConstruct } from 'constructs';

/**
 * Thrown when a construct's props are invalid. Carries every problem found, so a user fixes
 * them in one go. `main.ts` prints `message` without a stack trace.
 */
export class ValidationError extends Error {
  /** Every problem found, each naming the field, the allowed range and the value received. */
  public readonly problems: readonly string[];

  constructor(subject: string, problems: readonly string[]) {
    super(problems.map((p) => `${subject}: ${p}`).join('\n'));
    this.name = 'ValidationError';
    this.problems = problems;
  }
}

/** The prefix every message starts with: the construct kind and its path, e.g. `Network "dev/network"`. */
export function describeConstruct(kind: string, scope: IConstruct | string): string {
  const path = typeof scope === 'string' ? scope : scope.node.path;
  return `${kind} "${path}"`;
}

/** Renders a received value the way messages show it: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** True when a value is only known at deploy time (a Terraform reference): it cannot be checked at synth. */
export function isUnresolved(value: unknown): boolean {
  return value !== undefined && value !== null && Token.isUnresolved(value);
}

/**
 * Collects the problems of one construct's props, then throws them all at once.
 *
 * Every check skips values that are unresolved tokens, so a reference to another resource is
 * never rejected at synth time. Messages read `<field> must be <rule>, got <value>`.
 *
 * ```ts
 * const v = new Validator('Network', this);
 * v.intRange('azCount', props.azCount, 1, 6);
 * v.oneOf('natGateways', props.natGateways, ['none', 'single', 'per-az']);
 * v.throwIfInvalid();
 * ```
 */
export class Validator {
  private readonly problems: string[] = [];

  constructor(
    private readonly kind: string,
    private readonly scope: IConstruct | string,
  ) {}

  /** Records `message` when `ok` is false. */
  public check(ok: boolean, message: string): this {
    if (!ok) this.problems.push(message);
    return this;
  }

  /** Records a problem about `field`: `<field> must be <rule>, got <value>`. */
  public fail(field: string, rule: string, value: unknown): this {
    this.problems.push(`${field} must be ${rule}, got ${show(value)}`);
    return this;
  }

  /** A whole number in `min..max` (inclusive). `undefined` passes: defaults are applied elsewhere. */
  public intRange(field: string, value: number | undefined, min: number, max: number): this {
    if (value === undefined || isUnresolved(value)) return this;
    if (!Number.isInteger(value) || value < min || value > max) {
      this.fail(field, `a whole number in ${min}..${max}`, value);
    }
    return this;
  }

  /** A number (not necessarily whole) in `min..max` (inclusive). */
  public numberRange(field: string, value: number | undefined, min: number, max: number): this {
    if (value === undefined || isUnresolved(value)) return this;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      this.fail(field, `${min}..${max}`, value);
    }
    return this;
  }

  /** One of a fixed set of values. */
  public oneOf<T>(field: string, value: T | undefined, allowed: readonly T[]): this {
    if (value === undefined || isUnresolved(value)) return this;
    if (!allowed.includes(value)) {
      this.fail(field, `one of ${allowed.map((a) => show(a)).join(', ')}`, value);
    }
    return this;
  }

  /** A string matching `pattern`, described for humans by `rule`. */
  public matches(field: string, value: string | undefined, pattern: RegExp, rule: string): this {
    if (value === undefined || isUnresolved(value)) return this;
    if (typeof value !== 'string' || !pattern.test(value)) this.fail(field, rule, value);
    return this;
  }

  /** A string whose length is in `min..max`. */
  public length(field: string, value: string | undefined, min: number, max: number): this {
    if (value === undefined || isUnresolved(value)) return this;
    if (typeof value !== 'string' || value.length < min || value.length > max) {
      const rule = min === max ? `${min} characters long` : `${min}..${max} characters long`;
      this.fail(field, rule, value);
    }
    return this;
  }

  /** A list with at least one item. */
  public nonEmpty(field: string, value: readonly unknown[] | undefined): this {
    if (value === undefined || isUnresolved(value)) {
      if (value === undefined) this.fail(field, 'a non-empty list', value);
      return this;
    }
    if (!Array.isArray(value) || value.length === 0) this.fail(field, 'a non-empty list', value);
    return this;
  }

  /** True when no problem has been recorded. */
  public get ok(): boolean {
    return this.problems.length === 0;
  }

  /** Throws a {@link ValidationError} listing every recorded problem, if any. */
  public throwIfInvalid(): void {
    if (this.problems.length > 0) {
      throw new ValidationError(describeConstruct(this.kind, this.scope), this.problems);
    }
  }
}

/** Throws a {@link ValidationError} with one problem, for checks that can only run mid-construction. */
export function invalid(kind: string, scope: IConstruct | string, problem: string): never {
  throw new ValidationError(describeConstruct(kind, scope), [problem]);
}

/** An AWS region name: `us-west-2`, `us-gov-west-1`, `cn-north-1`. */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

/** Retention periods (days) that CloudWatch Logs accepts. 0 (never expire) is deliberately absent. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

/** Adds a retention check to `v`: only the values CloudWatch Logs accepts. */
export function checkLogRetention(v: Validator, field: string, value: number | undefined): Validator {
  if (value === undefined || isUnresolved(value)) return v;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(value)) {
    v.fail(field, `a retention CloudWatch Logs accepts (${LOG_RETENTION_DAYS.join(', ')})`, value);
  }
  return v;
}

/**
 * ARNs, checked before Terraform sends one to AWS: a KMS key, an alarm action. One place for every
 * construct, so "not an ARN" reads the same everywhere. The patterns keep to RE2 (Terraform's
 * `regex()` runs the same check on a module variable).
 *
 * `arn:<partition>:<service>:<region>:<account>:<resource>`; the partitions are `aws`, `aws-cn`,
 * `aws-us-gov`, `aws-iso*`, `aws-eusc`.
 */
export const ARN_PARTITION = 'aws(-cn|-us-gov|-iso(-[a-z])?|-eusc)?';
const REGION = '[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+';
const ACCOUNT = '[0-9]{12}';

export interface ArnKind {
  /** What the ARN names, for messages: `a KMS key ARN`. */
  readonly what: string;
  /** The shape in words: `arn:<partition>:kms:<region>:<account>:key/<key-id>`. */
  readonly shape: string;
  /** The whole-string pattern (RE2 syntax). */
  readonly pattern: RegExp;
}

/** Any ARN: a partition, a service, a region (or none), an account (or none) and a resource. */
export const ANY_ARN: ArnKind = {
  what: 'an ARN',
  shape: 'arn:<partition>:<service>:<region>:<account>:<resource>',
  pattern: new RegExp(`^arn:${ARN_PARTITION}:[a-z0-9-]+:(${REGION})?:(${ACCOUNT}|aws)?:[^\\s]+$`),
};

/** A KMS key by ARN (not an alias, not a bare key id): what log groups, launch templates and Lambda take. */
export const KMS_KEY_ARN: ArnKind = {
  what: 'a KMS key ARN',
  shape: 'arn:<partition>:kms:<region>:<account>:key/<key-id>',
  pattern: new RegExp(`^arn:${ARN_PARTITION}:kms:${REGION}:${ACCOUNT}:key/[A-Za-z0-9-]{1,128}$`),
};

/** An SNS topic by ARN. */
export const SNS_TOPIC_ARN: ArnKind = {
  what: 'an SNS topic ARN',
  shape: 'arn:<partition>:sns:<region>:<account>:<topic-name>',
  pattern: new RegExp(`^arn:${ARN_PARTITION}:sns:${REGION}:${ACCOUNT}:[A-Za-z0-9_-]{1,256}$`),
};

/**
 * What a CloudWatch metric alarm can notify (PutMetricAlarm `AlarmActions`): an SNS topic, a Lambda
 * function (latest, a version or an alias), a Systems Manager OpsItem, an Incident Manager response
 * plan. EC2 and Auto Scaling actions need EC2 metrics, which no construct here alarms on.
 */
export const ALARM_ACTION_ARN: ArnKind = {
  what: 'an alarm action ARN',
  shape:
    'an SNS topic (arn:<partition>:sns:<region>:<account>:<topic>), a Lambda function (...:lambda:<region>:<account>:function:<name>[:<qualifier>]), an OpsItem (...:ssm:<region>:<account>:opsitem:<severity>) or a response plan (...:ssm-incidents::<account>:response-plan/<name>)',
  pattern: new RegExp(
    `^arn:${ARN_PARTITION}:(sns:${REGION}:${ACCOUNT}:[A-Za-z0-9_-]{1,256}|lambda:${REGION}:${ACCOUNT}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?|ssm:${REGION}:${ACCOUNT}:opsitem:[1-4](#CATEGORY=[A-Za-z]+)?|ssm-incidents::${ACCOUNT}:response-plan/[A-Za-z0-9_-]{1,200})$`,
  ),
};

/** What is wrong with `value` as an ARN of `kind`, in the words of a message rule, or undefined when it is one. */
export function arnProblem(value: unknown, kind: ArnKind = ANY_ARN): string | undefined {
  if (typeof value === 'string' && kind.pattern.test(value)) return undefined;
  return `${kind.what} (${kind.shape})`;
}
