import { TRACED_REST_API_INPUTS, TracedRestApi } from '../modules/traced-rest-api';
import { constructModule } from './framework';

/**
 * TracedRestApi as a module: the construct, with `for_each` over `var.routes` (one resource level per
 * path depth, the construct's own code path for routes known only at plan).
 */
export const tracedRestApiModule = constructModule({
  name: 'traced-rest-api',
  title: 'Traced REST API',
  description:
    'A REGIONAL API Gateway REST API with X-Ray tracing on its stage: Lambda proxy routes with invoke permissions scoped to one method and path, JSON-schema validation of request bodies, mock routes, an API key and usage plan with throttling, JSON access logs and execution logs with retention, and a deployment that follows every route change.',
  inputs: TRACED_REST_API_INPUTS,
  construct: (scope, props) => new TracedRestApi(scope, 'api', props),
  outputs: (api) => ({
    rest_api_id: { value: api.restApiId, description: 'The REST API id' },
    execution_arn: { value: api.executionArn, description: 'The execution ARN (for more Lambda permissions)' },
    invoke_url: { value: api.invokeUrl, description: 'Base URL of the stage' },
    stage_name: { value: api.stage.stageName, description: 'The stage name' },
    api_key_id: { value: api.apiKeyId, description: 'The API key id' },
    api_key_value: { value: api.apiKeyValue, description: 'The API key (x-api-key header)', sensitive: true },
    access_log_group_name: { value: api.accessLogGroupName, description: 'The access log group' },
  }),
  example: {
    api_name: '"dev-chatbot"',
    routes: `[
  {
    path                = "/chat"
    method              = "POST"
    function_name       = "dev-chatbot"
    function_invoke_arn = "arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:us-west-2:111122223333:function:dev-chatbot/invocations"
    body_schema         = jsonencode({ type = "object", required = ["question"], properties = { question = { type = "string", minLength = 1, maxLength = 4000 } } })
  },
  { path = "/health", method = "GET", mock_body = jsonencode({ status = "ok" }) },
]`,
    manage_account_log_role: 'true',
  },
});
