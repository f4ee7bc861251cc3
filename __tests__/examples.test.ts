import { Testing } from 'cdktf';
import { OrdersStack } from '../examples/traced-api/stack';
import { testApp } from './support/scratch';

describe('examples/traced-api', () => {
  it('synthesizes with the policy checks passing', () => {
    const app = testApp();
    const stack = new OrdersStack(app, 'orders');
    app.synth();
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.aws_lambda_function.orders_function).toMatchObject({
      architectures: ['arm64'],
      layers: ['arn:aws:lambda:eu-west-1:615299751070:layer:AWSOpenTelemetryDistroJs:15'],
      tracing_config: { mode: 'Active' },
    });
    expect(json.resource.aws_lambda_permission['api_permission-GET-orders-orderId'].source_arn).toBe(
      '${aws_api_gateway_rest_api.api_api.execution_arn}/*/GET/orders/*',
    );
    expect(json.resource.aws_xray_sampling_rule['sampling_rule-orders-critical-orders'].url_path).toBe('/orders/*');
    expect(json.resource.aws_api_gateway_account).toBeUndefined();
  });
});
