import { Annotations, Fn, Token, type ITerraformDependable } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import type { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { countOf } from '../core/each';
import { known, presenceOf } from '../core/expr';
import { inlinePolicy, type IGrantable, type Statement } from '../core/iam';
import { defaultName } from '../core/names';

/**
 * A Lambda function the constructs can wire to (a queue's consumer, a route's backend, a grant's
 * grantee): a {@link TracedFunction}, or a function of your own imported with
 * `TracedFunction.fromFunctionAttributes`.
 */
export interface ITracedFunction extends IGrantable, IConstruct {
  /** The function's name. */
  readonly functionName: string;
  /** The function's ARN. */
  readonly functionArn: string;
  /** The ARN API Gateway integrations call. */
  readonly invokeArn: string;
  /** The timeout in seconds: a queue derives its visibility timeout from it. */
  readonly timeoutSeconds: number;
  /** The reserved concurrency, or undefined when unreserved: a queue never polls faster than this. */
  readonly reservedConcurrency?: number;
  /**
   * What a resource that relies on the function's permissions depends on (its role and policies), so
   * the permissions exist before the first call and outlive the last.
   */
  readonly permissionsDependables: ITerraformDependable[];
}

/** A function defined elsewhere, as `TracedFunction.fromFunctionAttributes` takes it. */
export interface TracedFunctionAttributes {
  /** The function's ARN. */
  readonly functionArn: string;
  /** The name of its execution role: grants add an inline policy to it. */
  readonly roleName: string;
  /** Its timeout in seconds, 1..900. @default 3 (Lambda's default) */
  readonly timeoutSeconds?: number;
  /** Its reserved concurrency. @default - unreserved */
  readonly reservedConcurrency?: number;
  /** The name of the inline policy grants add to the role. @default - the stack name and construct path */
  readonly policyName?: string;
}

/** Field `i` of an ARN (`arn:partition:service:region:account:resource...`), a Terraform expression when the ARN is one. */
function arnField(arn: string, i: number): string {
  return known(arn) ? (arn.split(':')[i] ?? '') : Token.asString(Fn.element(Fn.split(':', arn), i));
}

/** A function defined elsewhere: grants add an inline policy to its role; its environment cannot change. */
export class ImportedFunction extends Construct implements ITracedFunction {
  public readonly functionName: string;
  public readonly functionArn: string;
  public readonly invokeArn: string;
  public readonly timeoutSeconds: number;
  public readonly reservedConcurrency?: number;
  private readonly statements: Statement[] = [];
  private policy?: IamRolePolicy;

  constructor(
    scope: Construct,
    id: string,
    private readonly attributes: TracedFunctionAttributes,
  ) {
    super(scope, id);
    this.functionArn = attributes.functionArn;
    this.functionName = arnField(attributes.functionArn, 6);
    this.invokeArn = `arn:${arnField(attributes.functionArn, 1)}:apigateway:${arnField(attributes.functionArn, 3)}:lambda:path/2015-03-31/functions/${attributes.functionArn}/invocations`;
    this.timeoutSeconds = attributes.timeoutSeconds ?? 3;
    this.reservedConcurrency = attributes.reservedConcurrency;
  }

  public get permissionsDependables(): ITerraformDependable[] {
    return this.policy ? [this.policy] : [];
  }

  /** Adds a statement to an inline policy of the imported role (one policy for every grant). */
  public addToRolePolicy(statement: Statement): void {
    if (!this.policy) {
      // In a module, an optional function given by nullable variables exists only when they are set.
      const presence = presenceOf(this);
      const meta = presence === undefined || presence === true ? {} : { count: countOf(presence) };
      this.policy = inlinePolicy(
        this,
        this.attributes.roleName,
        this.attributes.policyName ?? defaultName(this),
        this.statements,
        meta,
      );
    }
    this.statements.push(statement);
  }

  /** An imported function's environment is not ours to change: a warning says what to set where. */
  public addEnvironment(key: string, value: string): void {
    Annotations.of(this).addWarning(
      `${key} cannot be set on an imported function: set it where the function is defined (value: ${value})`,
    );
  }
}
