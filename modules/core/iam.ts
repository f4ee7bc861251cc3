import { Lazy, type ITerraformDependable, type TerraformCount } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { sibling } from './each';

/** One IAM condition, e.g. `{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] }`. */
export interface Condition {
  /** The condition operator, e.g. `StringEquals`, `ArnLike`. */
  readonly test: string;
  /** The context key, e.g. `aws:SourceArn`. */
  readonly variable: string;
  /** The values the key is compared with (any one matches). */
  readonly values: string[];
}

/** One IAM policy statement, rendered through an `aws_iam_policy_document` data source. */
export interface Statement {
  /** A statement id: reviewers read it in the plan. */
  readonly sid?: string;
  /** Whether the statement allows or denies. @default 'Allow' */
  readonly effect?: 'Allow' | 'Deny';
  /** The actions, e.g. `sqs:SendMessage`; least privilege: name them one by one. */
  readonly actions: string[];
  /** Omitted in trust policies. */
  readonly resources?: string[];
  /** Conditions that must all hold. @default - none */
  readonly conditions?: Condition[];
  /** Principals, for resource policies (`{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }`). */
  readonly principals?: { type: string; identifiers: string[] }[];
}

function toDocumentStatement(s: Statement) {
  return {
    sid: s.sid,
    effect: s.effect ?? 'Allow',
    actions: s.actions,
    resources: s.resources,
    condition: s.conditions?.map((c) => ({ test: c.test, variable: c.variable, values: c.values })),
    principals: s.principals,
  };
}

/**
 * An inline policy of a role (by name or id), created on the first statement and rendered from
 * `statements` as it grows: `<scope>/permissions` (the document) and `<scope>/policy`.
 */
export function inlinePolicy(
  scope: Construct,
  role: string,
  name: string,
  statements: Statement[],
  meta: { count?: TerraformCount } = {},
): IamRolePolicy {
  const document = new DataAwsIamPolicyDocument(scope, 'permissions', {
    ...meta,
    statement: Lazy.anyValue({ produce: () => statements.map(toDocumentStatement) }) as never,
  });
  // A counted document is read by index, like the policy that uses it.
  const policy = meta.count === undefined ? document.json : sibling(document, 'json');
  return new IamRolePolicy(scope, 'policy', { ...meta, name: name.slice(0, 128), role, policy });
}

/** An `aws_iam_policy_document` data source for `statements`. */
export function policyDocument(
  scope: Construct,
  id: string,
  statements: Statement[],
  meta: { count?: TerraformCount } = {},
): DataAwsIamPolicyDocument {
  return new DataAwsIamPolicyDocument(scope, id, { ...meta, statement: statements.map(toDocumentStatement) });
}

/**
 * X-Ray actions a traced workload needs (a function, the ADOT collector). None of them takes a resource
 * ARN, hence `Resource: "*"`.
 */
export const XRAY_WRITE_ACTIONS = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
];

/** What a grant added, so a caller can read or test it: the policy statements and the environment variables. */
export interface Grant {
  /** The statements added to the grantee's policy. */
  readonly statements: readonly Statement[];
  /** The environment variables set on the grantee (empty when none). */
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * Something that can be granted permissions and given configuration: a {@link TracedFunction}, or a
 * function imported with `TracedFunction.fromFunctionAttributes`. Every grant goes through these two.
 */
export interface IGrantable {
  /** Adds a statement to the identity's policy. */
  addToRolePolicy(statement: Statement): void;
  /** Adds an environment variable; refuses to overwrite a different value, and refuses on an imported function. */
  addEnvironment(key: string, value: string): void;
}

/** Adds `statements` and `environment` to `grantee`; returns both. The one path every grant takes. */
export function grant(grantee: IGrantable, statements: Statement[], environment: Record<string, string> = {}): Grant {
  for (const s of statements) grantee.addToRolePolicy(s);
  for (const [key, value] of Object.entries(environment)) grantee.addEnvironment(key, value);
  return { statements, environment };
}

/** A statement-id-safe form of a construct id: `dev-enquiries` -> `DevEnquiries`. */
export function sidPart(id: string): string {
  return id
    .replace(/(^|[^A-Za-z0-9])([A-Za-z0-9])/g, (_, __, c: string) => c.toUpperCase())
    .replace(/[^A-Za-z0-9]/g, '');
}

/** The partition-aware ARN of an AWS-managed policy, e.g. `managedPolicyArn('service-role/AmazonECSTaskExecutionRolePolicy')`. */
export function managedPolicyArn(name: string, partition = 'aws'): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}

export interface RoleProps {
  /** The role's name (1..64 characters). */
  readonly name: string;
  /** The service principal that assumes the role, e.g. `lambda.amazonaws.com`. */
  readonly assumedBy: string;
  /** Conditions on the trust policy (confused-deputy protection: `aws:SourceAccount`, `aws:SourceArn`). */
  readonly trustConditions?: Condition[];
  /** The role's description, shown in the console and the plan. @default - no description */
  readonly description?: string;
  /**
   * `count` when the role exists only if a condition known at plan holds (`onlyIf`); its attributes
   * are then read by `count.index`, from resources counted alike. @default - always
   */
  readonly meta?: { readonly count?: TerraformCount };
}

/**
 * An IAM role for one AWS service, with a single inline policy that grows through
 * {@link Role.addToPolicy} (the grant methods of the constructs all end here) and managed policy
 * attachments that must be named one by one.
 */
export class Role extends Construct {
  /** The `aws_iam_role` resource (escape hatch: its `arn`, `name`, `id`). */
  public readonly resource: IamRole;
  private readonly statements: Statement[] = [];
  private readonly managed = new Set<string>();
  private inlinePolicy?: IamRolePolicy;
  private readonly attachments: IamRolePolicyAttachment[] = [];
  private readonly roleName: string;
  private readonly meta: { readonly count?: TerraformCount };

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    this.meta = props.meta ?? {};
    const trust = policyDocument(
      this,
      'trust',
      [
        {
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: [props.assumedBy] }],
          conditions: props.trustConditions,
        },
      ],
      this.meta,
    );
    this.resource = new IamRole(this, 'Resource', {
      ...this.meta,
      name: props.name,
      description: props.description,
      assumeRolePolicy: sibling(trust, 'json'),
    });
    this.roleName = props.name;
  }

  /** The role's ARN (read by `count.index` when the role is counted). */
  public get arn(): string {
    return sibling(this.resource, 'arn');
  }

  /** The role's name (read by `count.index` when the role is counted). */
  public get name(): string {
    return sibling(this.resource, 'name');
  }

  /**
   * What a resource that uses this role should depend on: the role, its inline policy and its managed
   * policy attachments, so the permissions exist before the first call and outlive the last (Terraform
   * cannot see that a function or an instance uses them).
   */
  public get dependables(): ITerraformDependable[] {
    return [this.resource, ...(this.inlinePolicy ? [this.inlinePolicy] : []), ...this.attachments];
  }

  /** Adds a statement to the role's inline policy. */
  public addToPolicy(statement: Statement): void {
    if (!this.inlinePolicy)
      this.inlinePolicy = inlinePolicy(
        this,
        sibling(this.resource, 'id'),
        `${this.roleName}-permissions`,
        this.statements,
        this.meta,
      );
    this.statements.push(statement);
  }

  /**
   * Attaches an AWS-managed or customer-managed policy by ARN (once per ARN); `meta` counts it when a
   * plan decides whether it applies (`onlyIf`).
   */
  public attachManagedPolicy(arn: string, id: string, meta: { readonly count?: TerraformCount } = {}): void {
    if (this.managed.has(arn)) return;
    this.managed.add(arn);
    this.attachments.push(new IamRolePolicyAttachment(this, id, { ...meta, role: this.resource.name, policyArn: arn }));
  }
}
