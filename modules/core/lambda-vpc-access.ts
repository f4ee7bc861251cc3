/**
 * What Lambda needs on a function's execution role to attach it to a VPC: the actions of the AWS-managed
 * `AWSLambdaVPCAccessExecutionRole`, on `"*"` as that policy has them. The Lambda guide lists these
 * actions, says `ec2:DescribeNetworkInterfaces` works only on `"*"`, and documents no narrower resource
 * form that CreateFunction's permission check accepts. `TracedFunction` grants exactly this statement, and
 * the policy rule on write actions (TS-IAM-2) accepts exactly this statement on `"*"`.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions
 * (No imports: the plan checks read it without cdktf.)
 */
export const LAMBDA_VPC_ACCESS_ACTIONS: readonly string[] = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];
