import type { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { AwsContext } from '../core/aws-context';
import { Role } from '../core/iam';

export interface FlowLogsOptions {
  /** The name prefix (`/aws/vpc-flow-logs/<name>`, `<name>-flow-logs`). */
  readonly name: string;
  readonly vpcId: string;
  readonly retentionDays: number;
  readonly kmsKeyArn?: string;
  /** Tags by resource suffix (the Network construct's Name tags). */
  readonly tags?: (suffix: string) => Record<string, string>;
}

/**
 * VPC flow logs (ALL traffic, 60 s aggregation) to a log group with retention, through a role that
 * trusts VPC Flow Logs of this account only and may only write to that group. Shared by the Network
 * construct and its Terraform module.
 */
export function addFlowLogs(scope: Construct, o: FlowLogsOptions): CloudwatchLogGroup {
  const logGroup = new CloudwatchLogGroup(scope, 'flow-logs', {
    name: `/aws/vpc-flow-logs/${o.name}`,
    retentionInDays: o.retentionDays,
    kmsKeyId: o.kmsKeyArn,
    tags: o.tags?.('flow-logs'),
  });
  const aws = AwsContext.of(scope);
  const role = new Role(scope, 'flow-logs-role', {
    name: `${o.name}-flow-logs`,
    description: `Lets VPC Flow Logs write to ${logGroup.name}`,
    assumedBy: 'vpc-flow-logs.amazonaws.com',
    trustConditions: [
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: [aws.accountId] },
      { test: 'ArnLike', variable: 'aws:SourceArn', values: [aws.arn('ec2', 'vpc-flow-log/*')] },
    ],
  });
  role.addToPolicy({
    sid: 'WriteFlowLogs',
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
    resources: [logGroup.arn, `${logGroup.arn}:log-stream:*`],
  });
  role.addToPolicy({
    sid: 'DescribeFlowLogGroup',
    actions: ['logs:DescribeLogGroups'],
    resources: [aws.arn('logs', 'log-group:*')],
  });
  new FlowLog(scope, 'flow-log', {
    vpcId: o.vpcId,
    trafficType: 'ALL',
    logDestinationType: 'cloud-watch-logs',
    logDestination: logGroup.arn,
    iamRoleArn: role.arn,
    maxAggregationInterval: 60,
    tags: o.tags?.('flow-log'),
  });
  return logGroup;
}
