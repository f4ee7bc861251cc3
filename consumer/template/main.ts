import { App, Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  PolicyChecks,
  TracedFunction,
  TracedQueue,
  TracedRestApi,
  XraySamplingRules,
  apiStageScope,
  criticalPathRules,
  healthCheckRule,
} from 'cdktf-traced-serverless';

class OrdersStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const region = 'eu-west-1';
    new AwsProvider(this, 'aws', { region, defaultTags: [{ tags: { project: 'orders', 'managed-by': 'cdktf' } }] });

    // Relative to the project root (the folder with cdktf.json); an absolute path works too.
    const entry = 'src/orders.ts';
    const getOrder = new TracedFunction(this, 'get-order', {
      functionName: `${id}-get-order`,
      entry,
      handlerExport: 'getOrder',
      region,
    });
    const processOrders = new TracedFunction(this, 'process-orders', {
      functionName: `${id}-process-orders`,
      entry,
      handlerExport: 'processOrders',
      region,
      architecture: 'arm64',
    });
    const queue = new TracedQueue(this, 'orders', { queueName: `${id}-orders`, consumer: processOrders });
    queue.grantSend(getOrder);

    const api = new TracedRestApi(this, 'api', {
      apiName: `${id}-orders`,
      routes: [
        { path: '/orders/{orderId}', method: 'GET', function: getOrder },
        { path: '/health', method: 'GET', mock: { body: { status: 'ok' } } },
      ],
    });
    // Sampling rules are per account and region: these apply to this API stage only.
    const stage = apiStageScope(`${id}-orders`, api.stageName);
    new XraySamplingRules(this, 'sampling', {
      rules: [
        healthCheckRule({ namePrefix: id, priority: 100, scope: stage }),
        ...criticalPathRules({ namePrefix: id, priority: 200, paths: ['/orders/*'], scope: stage }),
      ],
    });

    new TerraformOutput(this, 'invoke_url', { value: api.invokeUrl });
    new TerraformOutput(this, 'queue_url', { value: queue.queueUrl });
    Aspects.of(this).add(new PolicyChecks());
  }
}

const app = new App();
new OrdersStack(app, 'orders');
app.synth();
