import * as path from 'node:path';
import { Testing, type App } from 'cdktf';
import { TracedFunction, TracedRestApi, type RouteProps, type TracedRestApiProps } from '../modules';
import { modelName, pathSegments, sourceArnSuffix } from '../modules/traced-rest-api/routes';
import { errorOf, resources, synth, testStack } from './helpers';
import { testApp } from './support/scratch';
import { ApiGatewayAccountLogRole, ReadableStack } from '../modules';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { synthModule } from '../terraform-modules';
import { tracedRestApiModule } from '../terraform-modules/traced-rest-api';

const entry = path.join(__dirname, '..', 'handlers', 'chatbot.ts');
const schema = { type: 'object', required: ['question'], properties: { question: { type: 'string' } } };
const fn = (stack: ReadableStack) =>
  new TracedFunction(stack, 'chat', { functionName: 'chat', entry, region: 'us-west-2' });
const routes = (stack: ReadableStack): RouteProps[] => [
  { path: '/chat', method: 'POST', function: fn(stack), bodySchema: schema },
  { path: '/health', method: 'GET', mock: { body: { status: 'ok' } } },
];

describe('route helpers', () => {
  it('parses paths', () => {
    expect(pathSegments('/')).toEqual([]);
    expect(pathSegments('/v1/orders/{orderId}')).toEqual(['v1', 'orders', '{orderId}']);
  });

  it('scopes source ARNs to one method and path', () => {
    expect(sourceArnSuffix('POST', '/chat')).toBe('/*/POST/chat');
    expect(sourceArnSuffix('ANY', '/orders/{id}')).toBe('/*/*/orders/*');
  });

  it('names models alphanumerically', () => {
    expect(modelName('POST', '/chat')).toBe('PostChatBody');
    expect(modelName('PUT', '/v1/order-items/{id}')).toBe('PutV1OrderItemsIdBody');
  });
});

describe('TracedRestApi', () => {
  const s = synth(
    (stack) =>
      new TracedRestApi(stack, 'api', { apiName: 'chatbot', routes: routes(stack), manageAccountLogRole: true }),
  );

  it('is a REGIONAL REST API with an API key source', () => {
    expect(resources(s, 'aws_api_gateway_rest_api').api_api).toMatchObject({
      name: 'chatbot',
      endpoint_configuration: { types: ['REGIONAL'] },
      api_key_source: 'HEADER',
    });
  });

  it('routes POST /chat to the function through a proxy integration, with a scoped permission', () => {
    expect(resources(s, 'aws_api_gateway_method')['api_method-POST-chat']).toMatchObject({
      http_method: 'POST',
      authorization: 'NONE',
      api_key_required: true,
      request_validator_id: '${aws_api_gateway_request_validator.api_body-validator.id}',
      // Every Content-Type is validated: a text/plain body must not slip past the schema.
      request_models: { $default: '${aws_api_gateway_model.api_model-POST-chat.name}' },
    });
    expect(resources(s, 'aws_api_gateway_integration')['api_integration-POST-chat']).toMatchObject({
      type: 'AWS_PROXY',
      integration_http_method: 'POST',
      uri: '${aws_lambda_function.chat_function.invoke_arn}',
    });
    expect(resources(s, 'aws_lambda_permission')['api_permission-POST-chat']).toMatchObject({
      action: 'lambda:InvokeFunction',
      principal: 'apigateway.amazonaws.com',
      function_name: '${aws_lambda_function.chat_function.function_name}',
      source_arn: '${aws_api_gateway_rest_api.api_api.execution_arn}/*/POST/chat',
    });
  });

  it('validates POST bodies at the edge against the schema', () => {
    const model = resources(s, 'aws_api_gateway_model')['api_model-POST-chat'];
    expect(model).toMatchObject({ name: 'PostChatBody', content_type: 'application/json' });
    expect(JSON.parse(model.schema as string)).toEqual({
      $schema: 'http://json-schema.org/draft-04/schema#',
      ...schema,
    });
    expect(resources(s, 'aws_api_gateway_request_validator')['api_body-validator']).toMatchObject({
      validate_request_body: true,
    });
  });

  it('answers GET /health from a mock integration', () => {
    expect(resources(s, 'aws_api_gateway_integration')['api_integration-GET-health']).toMatchObject({
      type: 'MOCK',
      request_templates: { 'application/json': '{"statusCode":200}' },
    });
    expect(resources(s, 'aws_api_gateway_integration_response')['api_integration-response-GET-health']).toMatchObject({
      status_code: '${aws_api_gateway_method_response.api_method-response-GET-health.status_code}',
      response_templates: { 'application/json': '{"status":"ok"}' },
    });
    expect(resources(s, 'aws_lambda_permission')['api_permission-GET-health']).toBeUndefined();
  });

  it('redeploys when any argument of a route resource changes, creating the new deployment first', () => {
    const deployment = resources(s, 'aws_api_gateway_deployment').api_deployment;
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    const trigger = (deployment.triggers as { redeployment: string }).redeployment;
    const captured = [
      'aws_api_gateway_resource',
      'aws_api_gateway_request_validator',
      'aws_api_gateway_model',
      'aws_api_gateway_method',
      'aws_api_gateway_integration',
      'aws_api_gateway_method_response',
      'aws_api_gateway_integration_response',
      'aws_api_gateway_gateway_response',
    ].flatMap((type) => Object.keys(resources(s, type)).map((id) => `${type}.${id}`));
    expect(captured).toHaveLength(13);
    // Whole objects (not ids): a new schema, mock body or key requirement changes the hash too.
    expect(trigger.slice('${sha1(jsonencode(['.length, -']))}'.length).split(', ').sort()).toEqual(captured.sort());
    expect(deployment.description).toBe('Routes: POST /chat, GET /health');
  });

  it('traces the stage and logs access as JSON to a group with retention', () => {
    const stage = resources(s, 'aws_api_gateway_stage').api_stage;
    expect(stage).toMatchObject({
      stage_name: 'prod',
      xray_tracing_enabled: true,
      deployment_id: '${aws_api_gateway_deployment.api_deployment.id}',
    });
    const format = JSON.parse((stage.access_log_settings as { format: string }).format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      xrayTraceId: '$context.xrayTraceId',
      status: '$context.status',
    });
    expect(resources(s, 'aws_cloudwatch_log_group')['api_access-logs']).toMatchObject({
      name: '/aws/apigateway/chatbot/prod/access',
      retention_in_days: 30,
    });
    expect(resources(s, 'aws_cloudwatch_log_group')['api_execution-logs']).toMatchObject({
      name: 'API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.api_api.id}/prod',
      retention_in_days: 30,
    });
    expect(stage.depends_on).toEqual([
      'aws_cloudwatch_log_group.api_access-logs',
      'aws_cloudwatch_log_group.api_execution-logs',
      'aws_api_gateway_account.api_account_setting',
    ]);
  });

  it('turns metrics on, keeps bodies out of the logs, and throttles', () => {
    expect(resources(s, 'aws_api_gateway_method_settings')['api_method-settings']).toMatchObject({
      method_path: '*/*',
      settings: {
        metrics_enabled: true,
        logging_level: 'ERROR',
        data_trace_enabled: false,
        throttling_rate_limit: 10,
        throttling_burst_limit: 20,
      },
    });
    expect(resources(s, 'aws_api_gateway_usage_plan')['api_usage-plan']).toMatchObject({
      throttle_settings: { rate_limit: 10, burst_limit: 20 },
      api_stages: [
        { api_id: '${aws_api_gateway_rest_api.api_api.id}', stage: '${aws_api_gateway_stage.api_stage.stage_name}' },
      ],
    });
    expect(resources(s, 'aws_api_gateway_usage_plan_key')['api_usage-plan-key']).toMatchObject({ key_type: 'API_KEY' });
  });

  it("manages the account's CloudWatch role by default, named after the API and held to this account and region", () => {
    const role = resources(s, 'aws_iam_role').api_account_role;
    expect(role.name).toBe('chatbot-apigw-logs');
    expect(resources(s, 'aws_api_gateway_account').api_account_setting.cloudwatch_role_arn).toBe(
      '${aws_iam_role.api_account_role.arn}',
    );
    const doc = s.data.aws_iam_policy_document['api_account_role_permissions'] as unknown as {
      statement: { resources: string[] }[];
    };
    expect(doc.statement[0].resources).toEqual([
      'arn:${data.aws_partition.aws-context_partition.partition}:logs:${data.aws_region.aws-context_region.region}:${data.aws_caller_identity.aws-context_account.account_id}:log-group:*',
    ]);
  });

  it('leaves the account setting to its owner when told the account has the role, and still logs', () => {
    const { stack } = testStack();
    new TracedRestApi(stack, 'api', {
      apiName: 'chatbot',
      routes: [{ path: '/', method: 'GET', mock: { body: {} } }],
      manageAccountLogRole: false,
    });
    const synthesized = JSON.parse(Testing.synth(stack));
    expect(synthesized.resource.aws_api_gateway_account).toBeUndefined();
    expect(synthesized.resource.aws_iam_role).toBeUndefined();
    expect(synthesized.resource.aws_api_gateway_stage.api_stage.access_log_settings).toBeDefined();
  });
});

describe('the account CloudWatch role: one owner per account and region', () => {
  const app = (build: (app: App) => void) => {
    const a = testApp();
    build(a);
    return a;
  };
  const stackIn = (a: App, name: string, region = 'us-west-2', accounts?: string[]) => {
    const stack = new ReadableStack(a, name);
    new AwsProvider(stack, 'aws', { region, allowedAccountIds: accounts });
    return stack;
  };
  const api = (stack: ReadableStack, props: Partial<TracedRestApiProps> = {}) =>
    new TracedRestApi(stack, 'api', {
      apiName: `${stack.node.id}-chatbot`,
      routes: [{ path: '/', method: 'GET', mock: { body: {} } }],
      ...props,
    });

  it('refuses a second manager in one account and region, naming both stacks', () => {
    expect(() =>
      app((a) => {
        api(stackIn(a, 'dev'));
        api(stackIn(a, 'prod'));
      }),
    ).toThrow(
      'TracedRestApi "prod/api": manageAccountLogRole must leave the account\'s API Gateway CloudWatch role (aws_api_gateway_account) to the one construct of the app that manages it in an account and region (TracedRestApi "dev/api" manages it, from manageAccountLogRole; let one account-level stack manage it (ApiGatewayAccountLogRole) and the environments use it, so that destroying one leaves the others logging, or pin distinct accounts or regions on the providers), got true',
    );
  });

  it('refuses an API that manages it beside an account-level owner', () => {
    expect(() =>
      app((a) => {
        new ApiGatewayAccountLogRole(stackIn(a, 'account'), 'apigateway-logs', { roleName: 'apigw-logs-us-west-2' });
        api(stackIn(a, 'dev'));
      }),
    ).toThrow(
      'TracedRestApi "dev/api": manageAccountLogRole must leave the account\'s API Gateway CloudWatch role (aws_api_gateway_account) to the one construct of the app that manages it in an account and region (ApiGatewayAccountLogRole "account/apigateway-logs" manages it;',
    );
  });

  it('takes one manager per region, or per pinned account, and any number of users', () => {
    expect(() =>
      app((a) => {
        api(stackIn(a, 'dev-west', 'us-west-2'));
        api(stackIn(a, 'dev-east', 'us-east-1'));
        api(stackIn(a, 'prod-a', 'eu-west-1', ['111122223333']));
        api(stackIn(a, 'prod-b', 'eu-west-1', ['444455556666']));
        api(stackIn(a, 'staging', 'us-west-2'), { manageAccountLogRole: false });
      }),
    ).not.toThrow();
  });

  it('refuses a second API of one name and stage in an account and region (its log group and alarm)', () => {
    expect(() =>
      app((a) => {
        api(stackIn(a, 'one', 'us-west-2'), { apiName: 'shop', manageAccountLogRole: false });
        api(stackIn(a, 'two', 'us-west-2'), { apiName: 'shop', manageAccountLogRole: false });
      }),
    ).toThrow(
      'TracedRestApi "two/api": apiName must name a log group no other construct of the app creates in the same account and region (TracedRestApi "one/api" creates it too, from apiName;',
    );
  });

  it('refuses a role name another construct of the app creates (IAM names are account-wide)', () => {
    expect(() =>
      app((a) => {
        new ApiGatewayAccountLogRole(stackIn(a, 'west', 'us-west-2'), 'logs', { roleName: 'apigw-logs' });
        new ApiGatewayAccountLogRole(stackIn(a, 'east', 'us-east-1'), 'logs', { roleName: 'apigw-logs' });
      }),
    ).toThrow(
      'ApiGatewayAccountLogRole "east/logs": roleName must name an IAM role no other construct of the app creates in the same account',
    );
  });

  it("names the role after the API, within IAM's 64 characters", () => {
    expect(errorOf((stack) => api(stack, { apiName: 'a'.repeat(54) }))).toBe(
      `TracedRestApi "test/api": apiName must be at most 53 characters while manageAccountLogRole is true (the role is "<apiName>-apigw-logs", and IAM role names are at most 64), got "${'a'.repeat(54)}"`,
    );
    expect(() => api(testStack().stack, { apiName: 'a'.repeat(54), manageAccountLogRole: false })).not.toThrow();
  });
});

describe('TracedRestApi validation', () => {
  const fails = (props: Partial<TracedRestApiProps>) =>
    errorOf(
      (stack) =>
        new TracedRestApi(stack, 'api', {
          apiName: 'chatbot',
          routes: [{ path: '/health', method: 'GET', mock: { body: {} } }],
          ...props,
        }),
    );

  it.each<[Partial<TracedRestApiProps>, string]>([
    [{ apiName: 'has space' }, 'apiName must be 1..100 letters, digits, hyphens and underscores, got "has space"'],
    [{ stageName: 'pr-od' }, 'stageName must be 1..64 letters, digits and underscores, got "pr-od"'],
    [{ routes: [] }, 'routes must be a non-empty list, got []'],
    [
      { routes: [{ path: 'chat', method: 'GET', mock: { body: {} } }] },
      'routes[0].path must be "/" or 1..10 segments of letters, digits, ".", "_", "-" or {param}, with no empty segment or trailing "/", got "chat"',
    ],
    [
      { routes: [{ path: '/chat/', method: 'GET', mock: { body: {} } }] },
      'routes[0].path must be "/" or 1..10 segments of letters, digits, ".", "_", "-" or {param}, with no empty segment or trailing "/", got "/chat/"',
    ],
    [
      { routes: [{ path: '/chat', method: 'FETCH' as never, mock: { body: {} } }] },
      'routes[0].method must be one of "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY", got "FETCH"',
    ],
    [
      { routes: [{ path: '/chat', method: 'GET' }] },
      'routes[0] must be given exactly one of function and mock, got []',
    ],
    [
      { routes: [{ path: '/chat', method: 'GET', mock: { body: {} }, bodySchema: {} }] },
      'routes[0].bodySchema must be used with POST, PUT, PATCH only, got "GET"',
    ],
    [
      { routes: [{ path: '/x', method: 'GET', mock: { body: {}, statusCode: 99 } }] },
      'routes[0].mock.statusCode must be a whole number in 100..599, got 99',
    ],
    [
      {
        routes: [
          { path: '/x', method: 'GET', mock: { body: {} } },
          { path: '/x', method: 'GET', mock: { body: 1 } },
        ],
      },
      'routes[1] must be a path and method not already routed (routes[0] has it too), got "GET /x"',
    ],
    [
      { routes: [{ path: '/files/{path+}/meta', method: 'GET', mock: { body: {} } }] },
      'routes[0].path must be a path whose greedy {param+} is its last segment, got "/files/{path+}/meta"',
    ],
    [
      { routes: [{ path: '/chat?x=1', method: 'GET', mock: { body: {} } }] },
      expect.stringContaining('routes[0].path must be "/" or 1..10 segments') as never,
    ],
    [
      { routes: [{ path: '/a/b{c}', method: 'GET', mock: { body: {} } }] },
      expect.stringContaining('routes[0].path must be "/" or 1..10 segments') as never,
    ],
    [
      {
        routes: [
          { path: '/users/{id}', method: 'GET', mock: { body: {} } },
          { path: '/users/{name}/posts', method: 'GET', mock: { body: {} } },
        ],
      },
      'routes[1].path must be a path with at most one path variable under "/users" (API Gateway allows one; routes[0] puts "{id}" there), got "/users/{name}/posts"',
    ],
    [
      {
        routes: [
          { path: '/files/{name}', method: 'GET', mock: { body: {} } },
          { path: '/files/{rest+}', method: 'ANY', mock: { body: {} } },
        ],
      },
      'routes[1].path must be a path with at most one path variable under "/files" (API Gateway allows one; routes[0] puts "{name}" there), got "/files/{rest+}"',
    ],
    [
      {
        routes: [
          { path: '/a-b', method: 'GET', mock: { body: {} } },
          { path: '/a/b', method: 'GET', mock: { body: {} } },
        ],
      },
      'routes[1].path must be a path whose Terraform name differs from every other path\'s ("/a/b" and "/a-b" of routes[0] are both named "a-b"), got "/a/b"',
    ],
    [
      {
        routes: [
          { path: '/', method: 'GET', mock: { body: {} } },
          { path: '/root', method: 'POST', mock: { body: {} } },
        ],
      },
      'routes[1].path must be a path whose Terraform name differs from every other path\'s ("/root" and "/" of routes[0] are both named "root"), got "/root"',
    ],
    [
      {
        routes: [
          { path: '/v1.2/x', method: 'GET', mock: { body: {} } },
          { path: '/v1_2/y', method: 'GET', mock: { body: {} } },
        ],
      },
      'routes[1].path must be a path whose Terraform name differs from every other path\'s ("/v1_2" and "/v1.2" of routes[0] are both named "v1_2"), got "/v1_2/y"',
    ],
    [
      {
        routes: [
          { path: '/q', method: 'POST', mock: { body: {} }, bodySchema: { properties: { q: { type: 'strin' } } } },
        ],
      },
      'routes[0].bodySchema must be a JSON Schema draft 4 (at /properties/q/type: must be equal to one of the allowed values), got "strin"',
    ],
    [
      { routes: [{ path: '/q', method: 'POST', mock: { body: {} }, bodySchema: { type: 'object', required: [] } }] },
      'routes[0].bodySchema must be a JSON Schema draft 4 (at /required: must NOT have fewer than 1 items), got []',
    ],
    [
      {
        routes: [
          {
            path: '/q',
            method: 'POST',
            mock: { body: {} },
            bodySchema: { $schema: 'https://json-schema.org/draft/2020-12/schema' },
          },
        ],
      },
      'routes[0].bodySchema must be a JSON Schema draft 4 ($schema "http://json-schema.org/draft-04/schema#", or none), got "https://json-schema.org/draft/2020-12/schema"',
    ],
    [
      {
        routes: [
          {
            path: '/q',
            method: 'POST',
            mock: { body: {} },
            bodySchema: {
              $ref: '#/definitions/a',
              definitions: { a: { $ref: '#/definitions/b' }, b: { $ref: '#/definitions/a' } },
            },
          },
        ],
      },
      'routes[0].bodySchema must be a schema with no $ref loop (API Gateway models cannot be recursive), got "#/definitions/a -> #/definitions/b -> #/definitions/a"',
    ],
    [
      {
        routes: [
          {
            path: '/q',
            method: 'POST',
            mock: { body: {} },
            bodySchema: {
              type: 'object',
              properties: { children: { type: 'array', items: { $ref: '#' } } },
            },
          },
        ],
      },
      'routes[0].bodySchema must be a schema with no $ref loop (API Gateway models cannot be recursive), got "# -> #"',
    ],
    [
      {
        routes: [
          {
            path: '/q',
            method: 'POST',
            mock: { body: {} },
            bodySchema: { properties: { a: { $ref: '#/definitions/missing' } } },
          },
        ],
      },
      'routes[0].bodySchema must be a schema whose $refs each point at a schema inside it, got "#/definitions/missing"',
    ],
    [
      {
        routes: [
          { path: '/q', method: 'POST', mock: { body: {} }, bodySchema: { $ref: 'https://example.com/s.json' } },
        ],
      },
      'routes[0].bodySchema must be a schema whose $refs point inside it (#/definitions/...): API Gateway resolves no other, got "https://example.com/s.json"',
    ],
    [{ alarmActions: ['arn:aws:s3:::bucket'] }, expect.stringContaining('alarmActions[0] must be') as never],
    [{ quota: { limit: 0, period: 'DAY' } }, 'quota.limit must be a whole number in 1..2147483647, got 0'],
    [
      { quota: { limit: 5, period: 'YEAR' as never } },
      'quota.period must be one of "DAY", "WEEK", "MONTH", got "YEAR"',
    ],
    [
      { routes: [{ path: '/q', method: 'GET', mock: { body: {} }, expectedLatencySeconds: 30 }] },
      'routes[0].expectedLatencySeconds must be 0.001..29, got 30',
    ],
    [{ throttle: { rateLimit: 0, burstLimit: 5 } }, 'throttle.rateLimit must be 0.001..10000, got 0'],
    [{ throttle: { rateLimit: 5, burstLimit: 0.5 } }, 'throttle.burstLimit must be a whole number in 1..5000, got 0.5'],
    [
      { logRetentionDays: 2 },
      expect.stringContaining('logRetentionDays must be a retention CloudWatch Logs accepts') as never,
    ],
  ])('%j', (props, message) => {
    expect(fails(props)).toEqual(typeof message === 'string' ? `TracedRestApi "test/api": ${message}` : message);
  });
});

describe('TracedRestApi errors, quota and capacity', () => {
  const s = synth((stack) => new TracedRestApi(stack, 'api', { apiName: 'chatbot', routes: routes(stack) }));

  it("answers API Gateway's own errors as JSON with the request and trace ids, a throttle as 429", () => {
    const responses = resources(s, 'aws_api_gateway_gateway_response');
    expect(Object.values(responses).map((r) => [r.response_type, r.status_code])).toEqual([
      ['DEFAULT_4XX', undefined],
      ['DEFAULT_5XX', undefined],
      ['THROTTLED', '429'],
    ]);
    for (const r of Object.values(responses)) {
      const template = (r.response_templates as Record<string, string>)['application/json'];
      // What API Gateway renders: $context.error.messageString is already a quoted JSON string.
      const rendered = template
        .replace('$context.error.messageString', JSON.stringify('Too Many Requests'))
        .replace('$context.requestId', 'c0ffee')
        .replace('$context.xrayTraceId', 'Root=1-5f84c7a9-0123456789abcdef01234567');
      expect(JSON.parse(rendered)).toEqual({
        message: 'Too Many Requests',
        requestId: 'c0ffee',
        traceId: 'Root=1-5f84c7a9-0123456789abcdef01234567',
      });
    }
    // A deployment captures them: a change redeploys.
    const deployment = resources(s, 'aws_api_gateway_deployment').api_deployment;
    expect(deployment.depends_on).toEqual(
      expect.arrayContaining(Object.keys(responses).map((id) => `aws_api_gateway_gateway_response.${id}`)),
    );
  });

  it('alarms on the 5XX rate of the stage, telling the alarm actions when it fires and when it clears', () => {
    const topic = 'arn:aws:sns:us-west-2:111122223333:on-call';
    const withActions = synth(
      (stack) => new TracedRestApi(stack, 'api', { apiName: 'chatbot', routes: routes(stack), alarmActions: [topic] }),
    );
    expect(resources(withActions, 'aws_cloudwatch_metric_alarm')['api_server-errors']).toMatchObject({
      alarm_name: 'chatbot-prod-5xx',
      namespace: 'AWS/ApiGateway',
      metric_name: '5XXError',
      dimensions: { ApiName: 'chatbot', Stage: '${aws_api_gateway_stage.api_stage.stage_name}' },
      statistic: 'Average',
      threshold: 0.05,
      comparison_operator: 'GreaterThanThreshold',
      evaluation_periods: 5,
      datapoints_to_alarm: 3,
      treat_missing_data: 'notBreaching',
      alarm_actions: [topic],
      ok_actions: [topic],
    });
    // Without actions it still exists (the console shows it), notifying no one.
    const alarm = resources(s, 'aws_cloudwatch_metric_alarm')['api_server-errors'];
    expect(alarm.alarm_actions).toBeUndefined();
  });

  it('gives every key a quota as well as a throttle', () => {
    expect(resources(s, 'aws_api_gateway_usage_plan')['api_usage-plan']).toMatchObject({
      throttle_settings: { rate_limit: 10, burst_limit: 20 },
      quota_settings: { limit: 10000, period: 'DAY' },
    });
  });

  const warnings = (route: Partial<RouteProps>, reservedConcurrency: number | 'unreserved', timeoutSeconds = 25) => {
    const { stack } = testStack();
    const chat = new TracedFunction(stack, 'chat', {
      functionName: 'chat',
      entry,
      region: 'us-west-2',
      reservedConcurrency,
      timeoutSeconds,
    });
    const api = new TracedRestApi(stack, 'api', {
      apiName: 'chatbot',
      throttle: { rateLimit: 10, burstLimit: 20 },
      routes: [{ path: '/chat', method: 'POST', function: chat, ...route }],
    });
    return api.node.metadata
      .filter((m) => m.type === '@cdktf/warn' && String(m.data).startsWith('routes['))
      .map((m) => m.data as string);
  };

  it('warns when the reserved concurrency does not cover rate x latency, or the burst', () => {
    expect(warnings({ expectedLatencySeconds: 8 }, 30)).toEqual([
      'routes[0] (POST /chat): throttle.rateLimit 10/s x expectedLatencySeconds 8 = 80 invocations in flight, but the function reserves 30: beyond that Lambda refuses and API Gateway answers 500, not 429 (lower rateLimit to 3.75 or reserve 80)',
    ]);
    expect(warnings({ expectedLatencySeconds: 1 }, 15)).toEqual([
      'routes[0] (POST /chat): throttle.burstLimit 20 admits more requests at once than the function reserves (15): a burst gets 500s, not 429s (lower burstLimit to 15 or reserve 20)',
    ]);
    expect(warnings({ expectedLatencySeconds: 6 }, 25, 5)).toEqual([
      "routes[0] (POST /chat): expectedLatencySeconds 6 is not below the function's timeout (5 s): most requests would time out",
      expect.stringContaining('= 60 invocations in flight, but the function reserves 25'),
    ]);
  });

  it('is quiet when the capacity adds up, or is not stated', () => {
    expect(warnings({ expectedLatencySeconds: 8 }, 80)).toEqual([]);
    expect(warnings({}, 5)).toEqual([]);
    expect(warnings({ expectedLatencySeconds: 8 }, 'unreserved')).toEqual([]);
  });
});

describe('TracedRestApi body schemas', () => {
  it('takes draft 4 with local $refs used more than once, and unused definitions that refer to the root', () => {
    const bodySchema = {
      type: 'object',
      properties: { from: { $ref: '#/definitions/point' }, to: { $ref: '#/definitions/point' } },
      definitions: {
        point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] },
        unused: { $ref: '#' },
      },
    };
    const s = synth(
      (stack) =>
        new TracedRestApi(stack, 'api', {
          apiName: 'chatbot',
          routes: [{ path: '/line', method: 'POST', mock: { body: {} }, bodySchema }],
        }),
    );
    expect(JSON.parse(resources(s, 'aws_api_gateway_model')['api_model-POST-line'].schema as string)).toMatchObject(
      bodySchema,
    );
  });
});

describe('TracedRestApi paths', () => {
  it('takes one variable under a parent however many routes use it, beside literal siblings', () => {
    const s = synth(
      (stack) =>
        new TracedRestApi(stack, 'api', {
          apiName: 'chatbot',
          routes: [
            { path: '/users/{id}', method: 'GET', mock: { body: {} } },
            { path: '/users/{id}/posts', method: 'GET', mock: { body: {} } },
            { path: '/users/me', method: 'GET', mock: { body: {} } },
            { path: '/files/{path+}', method: 'ANY', mock: { body: {} } },
          ],
        }),
    );
    expect(
      Object.values(resources(s, 'aws_api_gateway_resource'))
        .map((r) => r.path_part)
        .sort(),
    ).toEqual(['files', 'me', 'posts', 'users', '{id}', '{path+}']);
  });

  it('gives the module the one-variable rule as a validation of var.routes', () => {
    const json = synthModule(tracedRestApiModule).json as {
      variable: Record<string, { validation: { error_message: string }[] }>;
    };
    const messages = json.variable.routes.validation.map((v) => v.error_message);
    expect(messages).toContain(
      'routes must be paths with at most one path variable ({param} or {param+}) under one parent.',
    );
    expect(messages).toContain('routes[*].path must be a path whose greedy {param+} is its last segment.');
  });
});
