import { AwsContext } from '../modules/core/aws-context';
import { TRACED_FUNCTION_INPUTS, TracedFunction } from '../modules/traced-function';
import { constructModule } from './framework';

/**
 * TracedFunction as a module: the construct, given the built zip by path (a module should not carry an
 * application's code, and the path lets a pipeline pass the zip it built and tested), the region from
 * the provider, and the ADOT layer looked up by Terraform in the construct's own table (a region without
 * a layer fails the plan's precondition instead of getting a made-up ARN).
 */
export const tracedFunctionModule = constructModule({
  name: 'traced-function',
  title: 'Traced Node.js Lambda function',
  description:
    'A Node.js Lambda function with active X-Ray tracing, the ADOT layer and exec wrapper for its region and architecture, its own log group with retention, and a role that may only write traces and its own logs (plus VPC network interfaces when in a VPC).',
  inputs: TRACED_FUNCTION_INPUTS,
  supply: (scope) => ({ region: AwsContext.of(scope).region }),
  construct: (scope, props) => new TracedFunction(scope, 'function', props),
  outputs: (fn) => ({
    function_name: { value: fn.functionName, description: 'The function name' },
    function_arn: { value: fn.functionArn, description: 'The function ARN' },
    invoke_arn: { value: fn.invokeArn, description: 'The ARN API Gateway integrations call' },
    role_arn: { value: fn.role.arn, description: 'The execution role ARN' },
    role_name: {
      value: fn.role.name,
      description: 'The execution role name (grant more to it, e.g. with the traced-queue module)',
    },
    log_group_name: { value: fn.logGroupName, description: "The function's log group" },
    layer_arn: { value: fn.adotLayerArn, description: 'The ADOT layer in use, or null' },
  }),
  example: {
    function_name: '"dev-enquiry-consumer"',
    zip_path: 'var.zip_path',
    timeout_seconds: '10',
    environment: '{ LOG_LEVEL = "info" }',
  },
  exampleVariables: { zip_path: 'Path of the deployment zip (npm run synth builds one per function)' },
});
