import { Construct } from 'constructs';
import type { TerraformCount } from 'cdktf';
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { AwsContext } from '../core/aws-context';
import { Role, type Statement } from '../core/iam';
import { claimName, claimSetting } from '../core/names';
import { Validator } from '../core/validation';

/** IAM role names: 1..64 of letters, digits and `+=,.@_-`. */
const ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;

/** Props of {@link ApiGatewayAccountLogRole}. */
export interface ApiGatewayAccountLogRoleProps {
  /**
   * The IAM role's name: 1..64 letters, digits and `+=,.@_-`. IAM names are account-wide: give each
   * account-and-region owner its own (`<project>-apigw-logs-<region>`).
   */
  readonly roleName: string;
  /**
   * `count` when the setting exists only if a condition known at plan holds (a module's variable).
   * @default - always
   */
  readonly meta?: { readonly count?: TerraformCount };
  /**
   * The construct and field that asked for it, as a clash names them (`TracedRestApi` and its
   * `manageAccountLogRole`). @default - this construct, `ApiGatewayAccountLogRole`
   */
  readonly owner?: { readonly kind: string; readonly field: string; readonly roleNameField: string };
}

/**
 * The account-wide setting API Gateway writes REST API access and execution logs with: an IAM role
 * API Gateway assumes, set on the account and region (`aws_api_gateway_account`). An account and region
 * has one such setting: one stack owns it (a separate account-level stack, so that destroying an
 * environment never takes another environment's logging with it), and the others use it. Two owners in
 * one app, in an account and region the providers do not pin apart, are a synth error naming both.
 *
 * Destroying the owner leaves the account setting in place (the provider does not reset it) but deletes
 * the role: destroy it last.
 */
export class ApiGatewayAccountLogRole extends Construct {
  /** The role's ARN. */
  public readonly roleArn: string;
  /** Escape hatch: the `aws_api_gateway_account`. Depend on it from a stage that writes logs. */
  public readonly account: ApiGatewayAccount;
  /** Escape hatch: the role. */
  public readonly role: Role;

  constructor(scope: Construct, id: string, props: ApiGatewayAccountLogRoleProps) {
    super(scope, id);
    const owner = props.owner ?? { kind: 'ApiGatewayAccountLogRole', field: '', roleNameField: 'roleName' };
    new Validator(owner.kind, props.owner ? scope : this)
      .matches(owner.roleNameField, props.roleName, ROLE_NAME, '1..64 letters, digits and +=,.@_-')
      .throwIfInvalid();
    claimSetting(props.owner ? scope : this, {
      kind: owner.kind,
      field: owner.field,
      setting: "the account's API Gateway CloudWatch role (aws_api_gateway_account)",
      fix: 'let one account-level stack manage it (ApiGatewayAccountLogRole) and the environments use it, so that destroying one leaves the others logging',
      got: props.owner ? true : props.roleName,
    });
    claimName(props.owner ? scope : this, {
      kind: owner.kind,
      field: owner.roleNameField,
      resource: 'an IAM role',
      name: props.roleName,
      within: 'account',
    });
    const aws = AwsContext.of(this);
    this.role = new Role(this, 'role', {
      name: props.roleName,
      description: 'API Gateway (account-wide) writes access and execution logs to CloudWatch Logs',
      assumedBy: 'apigateway.amazonaws.com',
      trustConditions: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [aws.accountId] }],
      meta: props.meta,
    });
    this.role.addToPolicy(apiGatewayLogsStatement(aws));
    this.roleArn = this.role.arn;
    this.account = new ApiGatewayAccount(this, 'setting', {
      ...props.meta,
      cloudwatchRoleArn: this.role.arn,
      dependsOn: this.role.dependables,
    });
  }
}

/**
 * What the account-wide API Gateway logging role may do. It serves every API of the account and
 * region, so it cannot name their log groups; it is held to this account and region instead of the
 * managed policy's `*`.
 */
export function apiGatewayLogsStatement(aws: AwsContext): Statement {
  return {
    sid: 'WriteApiGatewayLogs',
    actions: [
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:DescribeLogGroups',
      'logs:DescribeLogStreams',
      'logs:PutLogEvents',
      'logs:GetLogEvents',
      'logs:FilterLogEvents',
    ],
    resources: [aws.arn('logs', 'log-group:*')],
  };
}
