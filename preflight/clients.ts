/** The AWS clients preflight uses, made once per run for the stack's region (default credential chain). */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { XRayClient } from '@aws-sdk/client-xray';

export interface Clients {
  readonly apiGateway: APIGatewayClient;
  readonly autoScaling: AutoScalingClient;
  readonly bedrock: BedrockClient;
  readonly ec2: EC2Client;
  readonly ecs: ECSClient;
  readonly iam: IAMClient;
  readonly lambda: LambdaClient;
  readonly logs: CloudWatchLogsClient;
  readonly sqs: SQSClient;
  readonly ssm: SSMClient;
  readonly sts: STSClient;
  readonly xray: XRayClient;
}

export function clientsFor(region: string): Clients {
  const config = { region, maxAttempts: 5 };
  return {
    apiGateway: new APIGatewayClient(config),
    autoScaling: new AutoScalingClient(config),
    bedrock: new BedrockClient(config),
    ec2: new EC2Client(config),
    ecs: new ECSClient(config),
    iam: new IAMClient(config),
    lambda: new LambdaClient(config),
    logs: new CloudWatchLogsClient(config),
    sqs: new SQSClient(config),
    ssm: new SSMClient(config),
    sts: new STSClient(config),
    xray: new XRayClient(config),
  };
}
