/**
 * Using the constructs in your own cdktf app: a traced REST API with one Lambda route, in a VPC,
 * with X-Ray sampling and the policy checks. `npx tsx examples/traced-api/main.ts` synthesizes it.
 */
import * as path from 'node:path';
import { Aspects, TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  Network,
  PolicyChecks,
  ReadableStack,
  TracedFunction,
  TracedRestApi,
  XraySamplingRules,
  criticalPathRules,
  apiStageScope,
  healthCheckRule,
} from '../../modules';

export class OrdersStack extends ReadableStack {
  constructor(scope: Construct, id: string, region = 'eu-west-1') {
    super(scope, id);
    new AwsProvider(this, 'aws', { region, defaultTags: [{ tags: { project: 'orders', 'managed-by': 'cdktf' } }] });

    const network = new Network(this, 'network', { natGateways: 'single' });
    const orders = new TracedFunction(this, 'orders', {
      functionName: `${id}-orders`,
      entry: path.join(__dirname, 'handler.ts'),
      region,
      architecture: 'arm64',
      vpc: { vpcId: network.vpcId, subnetIds: network.privateSubnetIds },
    });
    const api = new TracedRestApi(this, 'api', {
      apiName: `${id}-orders`,
      routes: [
        { path: '/orders/{orderId}', method: 'GET', function: orders },
        { path: '/health', method: 'GET', mock: { body: { status: 'ok' } } },
      ],
      // This account already has the API Gateway logging role, set by another stack.
      manageAccountLogRole: false,
    });
    new XraySamplingRules(this, 'sampling', {
      rules: [
        healthCheckRule({ namePrefix: id, priority: 100, scope: apiStageScope(`${id}-orders`, api.stageName) }),
        ...criticalPathRules({
          namePrefix: id,
          priority: 200,
          paths: ['/orders/*'],
          scope: apiStageScope(`${id}-orders`, api.stageName),
        }),
      ],
    });

    new TerraformOutput(this, 'invoke_url', { value: api.invokeUrl });
    new TerraformOutput(this, 'api_key', { value: api.apiKeyValue, sensitive: true });
    Aspects.of(this).add(new PolicyChecks());
  }
}
