import { TerraformCount, TerraformIterator, TerraformLocal, Token } from 'cdktf';
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { ApiGatewayApiKey } from '@cdktf/provider-aws/lib/api-gateway-api-key';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayModel } from '@cdktf/provider-aws/lib/api-gateway-model';
import { ApiGatewayRequestValidator } from '@cdktf/provider-aws/lib/api-gateway-request-validator';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { ApiGatewayUsagePlan } from '@cdktf/provider-aws/lib/api-gateway-usage-plan';
import { ApiGatewayUsagePlanKey } from '@cdktf/provider-aws/lib/api-gateway-usage-plan-key';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { AwsContext } from '../modules/core/aws-context';
import { policyDocument } from '../modules/core/iam';
import { LOG_RETENTION_DAYS } from '../modules/core/validation';
import { ACCESS_LOG_FORMAT, API_DEFAULTS, HTTP_METHODS, apiGatewayLogsStatement } from '../modules/traced-rest-api';
import { oneOf, wholeIn, type ModuleSpec } from './framework';

/**
 * Route keys (`POST /chat`) to routes, filtered: a for_each source. Filters test fields known at plan
 * (a function's name, not its ARN, which a new function only has after apply).
 */
const routesWhere = (condition: string) => Token.asAnyMap(`\${{ for k, r in local.routes : k => r if ${condition} }}`);
/** Resource paths of one depth: `/a`, `/a/b`, `/a/b/c`. */
const pathsOfDepth = (n: number) =>
  `\${toset(distinct(flatten([for p, s in local.segments : length(s) >= ${n} ? ["/\${join("/", slice(s, 0, ${n}))}"] : []])))}`;

/**
 * TracedRestApi as a module. The construct builds its resource tree from the route list at synth; here
 * the same API is built with `for_each` over `var.routes`, one resource level per path depth (up to 3
 * segments). Every check of the construct is a validation of `routes`.
 */
export const tracedRestApiModule: ModuleSpec = {
  name: 'traced-rest-api',
  title: 'Traced REST API',
  description:
    'A REGIONAL API Gateway REST API with X-Ray tracing on its stage: Lambda proxy routes with invoke permissions scoped to one method and path, JSON-schema validation of request bodies, mock routes, an API key and usage plan with throttling, JSON access logs and execution logs with retention, and a deployment that follows every route change.',
  variables: [
    {
      name: 'api_name',
      type: 'string',
      description: 'The API name: 1..100 letters, digits, hyphens and underscores.',
      validation: [
        {
          condition: 'can(regex("^[A-Za-z0-9_-]{1,100}$", var.api_name))',
          errorMessage: 'api_name must be 1..100 letters, digits, hyphens and underscores.',
        },
      ],
    },
    {
      name: 'stage_name',
      type: 'string',
      description: 'The stage: 1..64 letters, digits and underscores.',
      default: API_DEFAULTS.stageName,
      validation: [
        {
          condition: 'can(regex("^[A-Za-z0-9_]{1,64}$", var.stage_name))',
          errorMessage: 'stage_name must be 1..64 letters, digits and underscores.',
        },
      ],
    },
    {
      name: 'routes',
      type: `list(object({
    path                = string
    method              = string
    function_name       = optional(string)
    function_invoke_arn = optional(string)
    body_schema         = optional(string)
    mock_body           = optional(string)
    mock_status_code    = optional(number, 200)
    api_key_required    = optional(bool, true)
  }))`,
      description:
        'The routes: path ("/", "/chat", "/orders/{id}", up to 3 segments), method, and either a Lambda function (function_name, known at plan, and function_invoke_arn) or a mock_body (JSON text). body_schema: a JSON schema (text) the body of a POST, PUT or PATCH must match.',
      validation: [
        { condition: 'length(var.routes) > 0', errorMessage: 'routes must be a non-empty list.' },
        {
          condition:
            'alltrue([for r in var.routes : r.path == "/" || can(regex("^(/([A-Za-z0-9._-]+|[{][A-Za-z0-9_]+[+]?[}])){1,3}$", r.path))])',
          errorMessage:
            'routes[*].path must be "/" or 1..3 segments of letters, digits, ".", "_", "-" or {param}, with no trailing "/".',
        },
        {
          condition: `alltrue([for r in var.routes : contains(${JSON.stringify(HTTP_METHODS)}, r.method)])`,
          errorMessage: `routes[*].method must be one of ${HTTP_METHODS.join(', ')}.`,
        },
        {
          condition: 'alltrue([for r in var.routes : (r.function_invoke_arn != null) != (r.mock_body != null)])',
          errorMessage: 'routes[*] must give exactly one of function_invoke_arn and mock_body.',
        },
        {
          condition: 'alltrue([for r in var.routes : (r.function_invoke_arn == null) == (r.function_name == null)])',
          errorMessage: 'routes[*].function_name must be set together with function_invoke_arn.',
        },
        {
          condition:
            'alltrue([for r in var.routes : r.body_schema == null || (contains(["POST", "PUT", "PATCH"], r.method) && can(jsondecode(r.body_schema)))])',
          errorMessage: 'routes[*].body_schema must be JSON, on POST, PUT or PATCH routes only.',
        },
        {
          condition: 'alltrue([for r in var.routes : r.mock_body == null || can(jsondecode(r.mock_body))])',
          errorMessage: 'routes[*].mock_body must be JSON.',
        },
        {
          condition: 'alltrue([for r in var.routes : r.mock_status_code >= 100 && r.mock_status_code <= 599])',
          errorMessage: 'routes[*].mock_status_code must be 100..599.',
        },
        {
          condition: 'length(distinct([for r in var.routes : "${r.method} ${r.path}"])) == length(var.routes)',
          errorMessage: 'routes must not repeat a method and path.',
        },
      ],
    },
    {
      name: 'throttle_rate_limit',
      type: 'number',
      description: 'Steady-state requests per second, > 0.',
      default: API_DEFAULTS.throttle.rateLimit,
      validation: [
        {
          condition: 'var.throttle_rate_limit > 0 && var.throttle_rate_limit <= 10000',
          errorMessage: 'throttle_rate_limit must be 0.001..10000.',
        },
      ],
    },
    {
      name: 'throttle_burst_limit',
      type: 'number',
      description: 'Burst size, a whole number >= 1.',
      default: API_DEFAULTS.throttle.burstLimit,
      validation: [wholeIn('throttle_burst_limit', 1, 5000)],
    },
    {
      name: 'manage_account_log_role',
      type: 'bool',
      description:
        'Create the account-wide API Gateway CloudWatch role and set it on the account (one module per account and region may do it; access logging fails without it).',
      default: API_DEFAULTS.manageAccountLogRole,
    },
    {
      name: 'log_retention_days',
      type: 'number',
      description: 'Days to keep access and execution logs: a value CloudWatch Logs accepts.',
      default: API_DEFAULTS.logRetentionDays,
      validation: [oneOf('log_retention_days', LOG_RETENTION_DAYS)],
    },
  ],
  build(scope, v) {
    const aws = AwsContext.of(scope);
    new TerraformLocal(scope, 'routes', '${{ for r in var.routes : "${r.method} ${r.path}" => r }}');
    new TerraformLocal(
      scope,
      'segments',
      '${{ for p in distinct([for r in var.routes : r.path]) : p => (p == "/" ? [] : split("/", trimprefix(p, "/"))) }}',
    );

    const api = new ApiGatewayRestApi(scope, 'api', {
      name: v.api_name.stringValue,
      endpointConfiguration: { types: ['REGIONAL'] },
      apiKeySource: 'HEADER',
    });
    const level = (n: number, parent: string) =>
      new ApiGatewayResource(scope, `level${n}`, {
        forEach: TerraformIterator.fromMap(Token.asAnyMap(pathsOfDepth(n))),
        restApiId: api.id,
        parentId: parent,
        pathPart: '${reverse(split("/", each.key))[0]}',
      });
    // The parent of a resource path: "/a/b" -> "/a".
    const parentKey = 'join("/", slice(split("/", each.key), 0, length(split("/", each.key)) - 1))';
    level(1, api.rootResourceId);
    level(2, `\${aws_api_gateway_resource.level1[${parentKey}].id}`);
    level(3, `\${aws_api_gateway_resource.level2[${parentKey}].id}`);
    new TerraformLocal(
      scope,
      'resource_ids',
      `\${merge({ "/" = aws_api_gateway_rest_api.api.root_resource_id }, { for k, r in aws_api_gateway_resource.level1 : k => r.id }, { for k, r in aws_api_gateway_resource.level2 : k => r.id }, { for k, r in aws_api_gateway_resource.level3 : k => r.id })}`,
    );

    const validator = new ApiGatewayRequestValidator(scope, 'body-validator', {
      count: TerraformCount.of(
        Token.asNumber('${length([for r in var.routes : r if r.body_schema != null]) > 0 ? 1 : 0}'),
      ),
      restApiId: api.id,
      name: 'validate-body',
      validateRequestBody: true,
      validateRequestParameters: false,
    });
    const model = new ApiGatewayModel(scope, 'model', {
      forEach: TerraformIterator.fromMap(routesWhere('r.body_schema != null')),
      restApiId: api.id,
      name: '${title(lower(each.value.method))}${join("", [for w in regexall("[A-Za-z0-9]+", each.value.path) : title(w)])}Body',
      contentType: 'application/json',
      schema: '${each.value.body_schema}',
    });
    /** What every per-route resource after the method shares: the routes it is for, and where it hangs. */
    const onRoutes = (where: string) => ({
      forEach: TerraformIterator.fromMap(routesWhere(where)),
      restApiId: api.id,
      resourceId: '${local.resource_ids[each.value.path]}',
      httpMethod: '${aws_api_gateway_method.method[each.key].http_method}',
    });
    const method = new ApiGatewayMethod(scope, 'method', {
      forEach: TerraformIterator.fromMap(Token.asAnyMap('${local.routes}')),
      restApiId: api.id,
      resourceId: '${local.resource_ids[each.value.path]}',
      httpMethod: '${each.value.method}',
      authorization: 'NONE',
      apiKeyRequired: Token.asAny('${each.value.api_key_required}') as unknown as boolean,
      requestValidatorId:
        '${each.value.body_schema == null ? null : one(aws_api_gateway_request_validator.body-validator[*].id)}',
      requestModels: Token.asStringMap(
        '${lookup({ for k, m in aws_api_gateway_model.model : k => { "application/json" = m.name } }, each.key, null)}',
      ),
    });
    const lambda = new ApiGatewayIntegration(scope, 'lambda-integration', {
      ...onRoutes('r.function_name != null'),
      type: 'AWS_PROXY',
      integrationHttpMethod: 'POST',
      uri: '${each.value.function_invoke_arn}',
    });
    new LambdaPermission(scope, 'permission', {
      forEach: TerraformIterator.fromMap(routesWhere('r.function_name != null')),
      functionName: '${each.value.function_name}',
      action: 'lambda:InvokeFunction',
      principal: 'apigateway.amazonaws.com',
      sourceArn:
        '${aws_api_gateway_rest_api.api.execution_arn}/*/${each.value.method == "ANY" ? "*" : each.value.method}${replace(each.value.path, "/[{][^}]+[}]/", "*")}',
    });
    const mock = new ApiGatewayIntegration(scope, 'mock-integration', {
      ...onRoutes('r.mock_body != null'),
      type: 'MOCK',
      requestTemplates: { 'application/json': '${jsonencode({ statusCode = each.value.mock_status_code })}' },
    });
    const mockResponse = new ApiGatewayMethodResponse(scope, 'mock-method-response', {
      ...onRoutes('r.mock_body != null'),
      statusCode: '${tostring(each.value.mock_status_code)}',
      responseModels: { 'application/json': 'Empty' },
    });
    const mockIntegrationResponse = new ApiGatewayIntegrationResponse(scope, 'mock-integration-response', {
      ...onRoutes('r.mock_body != null'),
      statusCode: '${aws_api_gateway_method_response.mock-method-response[each.key].status_code}',
      responseTemplates: { 'application/json': '${each.value.mock_body}' },
      dependsOn: [mock],
    });
    const deployment = new ApiGatewayDeployment(scope, 'deployment', {
      restApiId: api.id,
      triggers: {
        redeployment:
          '${sha1(jsonencode([var.routes, values(local.resource_ids), [for m in aws_api_gateway_method.method : m.id], [for i in aws_api_gateway_integration.lambda-integration : i.id], [for i in aws_api_gateway_integration.mock-integration : i.id], [for m in aws_api_gateway_model.model : m.id], [for r in aws_api_gateway_integration_response.mock-integration-response : r.id]]))}',
      },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: [method, lambda, mock, mockResponse, mockIntegrationResponse, model, validator],
    });

    const accessLogs = new CloudwatchLogGroup(scope, 'access-logs', {
      name: `/aws/apigateway/${v.api_name.stringValue}/${v.stage_name.stringValue}/access`,
      retentionInDays: v.log_retention_days.numberValue,
    });
    const executionLogs = new CloudwatchLogGroup(scope, 'execution-logs', {
      name: `API-Gateway-Execution-Logs_${api.id}/${v.stage_name.stringValue}`,
      retentionInDays: v.log_retention_days.numberValue,
    });
    const manage = () => TerraformCount.of(Token.asNumber('${var.manage_account_log_role ? 1 : 0}'));
    const trust = policyDocument(scope, 'cloudwatch-trust', [
      {
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['apigateway.amazonaws.com'] }],
        conditions: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [aws.accountId] }],
      },
    ]);
    const logsDoc = policyDocument(scope, 'cloudwatch-permissions', [apiGatewayLogsStatement(aws)]);
    const role = new IamRole(scope, 'cloudwatch-role', {
      count: manage(),
      name: `apigateway-cloudwatch-${aws.region}`,
      assumeRolePolicy: trust.json,
    });
    const rolePolicy = new IamRolePolicy(scope, 'cloudwatch-role-policy', {
      count: manage(),
      role: '${aws_iam_role.cloudwatch-role[0].id}',
      policy: logsDoc.json,
    });
    const account = new ApiGatewayAccount(scope, 'account', {
      count: manage(),
      cloudwatchRoleArn: '${aws_iam_role.cloudwatch-role[0].arn}',
      dependsOn: [role, rolePolicy],
    });

    const stage = new ApiGatewayStage(scope, 'stage', {
      restApiId: api.id,
      deploymentId: deployment.id,
      stageName: v.stage_name.stringValue,
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
      dependsOn: [accessLogs, executionLogs, account],
    });
    new ApiGatewayMethodSettings(scope, 'method-settings', {
      restApiId: api.id,
      stageName: stage.stageName,
      methodPath: '*/*',
      settings: {
        metricsEnabled: true,
        loggingLevel: 'ERROR',
        dataTraceEnabled: false,
        throttlingRateLimit: v.throttle_rate_limit.numberValue,
        throttlingBurstLimit: v.throttle_burst_limit.numberValue,
      },
    });
    const key = new ApiGatewayApiKey(scope, 'api-key', { name: `${v.api_name.stringValue}-key`, enabled: true });
    const plan = new ApiGatewayUsagePlan(scope, 'usage-plan', {
      name: `${v.api_name.stringValue}-plan`,
      apiStages: [{ apiId: api.id, stage: stage.stageName }],
      throttleSettings: {
        rateLimit: v.throttle_rate_limit.numberValue,
        burstLimit: v.throttle_burst_limit.numberValue,
      },
    });
    new ApiGatewayUsagePlanKey(scope, 'usage-plan-key', { keyId: key.id, keyType: 'API_KEY', usagePlanId: plan.id });
    return {
      rest_api_id: { value: api.id, description: 'The REST API id' },
      execution_arn: { value: api.executionArn, description: 'The execution ARN (for more Lambda permissions)' },
      invoke_url: { value: stage.invokeUrl, description: 'Base URL of the stage' },
      stage_name: { value: stage.stageName, description: 'The stage name' },
      api_key_id: { value: key.id, description: 'The API key id' },
      api_key_value: { value: key.value, description: 'The API key (x-api-key header)', sensitive: true },
      access_log_group_name: { value: accessLogs.name, description: 'The access log group' },
    };
  },
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
};
