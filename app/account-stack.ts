import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ApiGatewayAccountLogRole, ReadableStack } from '../modules';
import { PROJECT, type EnvironmentConfig } from './config';

/**
 * The account-level stack: what an AWS account and region has once, shared by every environment the app
 * deploys there. Today that is API Gateway's CloudWatch role (`aws_api_gateway_account`): the
 * environments' APIs log through it, none of them owns it, so destroying `dev` leaves `prod` logging.
 * `cdktf deploy` applies it before the environments (they depend on it); destroy it after them.
 */
export class AccountStack extends ReadableStack {
  public readonly logRole: ApiGatewayAccountLogRole;

  constructor(scope: Construct, name: string, config: EnvironmentConfig) {
    super(scope, name);
    new AwsProvider(this, 'aws', {
      region: config.region,
      allowedAccountIds: config.allowedAccountIds,
      defaultTags: [{ tags: { ...config.tags, project: PROJECT, environment: 'account', 'managed-by': 'cdktf' } }],
    });
    this.logRole = new ApiGatewayAccountLogRole(this, 'apigateway-logs', {
      // IAM names are account-wide; the setting is per region.
      roleName: `${PROJECT}-apigw-logs-${config.region}`,
    });
    new TerraformOutput(this, 'apigateway_cloudwatch_role_arn', {
      value: this.logRole.roleArn,
      description: "The role API Gateway writes this account and region's REST API logs with",
    });
  }
}

/**
 * The account-level stack an environment shares: one per region (and pinned accounts), named after them
 * (`account-us-west-2`, `account-us-west-2-111122223333`).
 */
export function accountStackName(config: EnvironmentConfig): string {
  return ['account', config.region, ...[...(config.allowedAccountIds ?? [])].sort()].join('-');
}
