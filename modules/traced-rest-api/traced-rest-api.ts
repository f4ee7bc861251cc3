import * as crypto from 'node:crypto';
import { Annotations, Fn, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
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
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { AwsContext } from '../core/aws-context';
import { Role, type Statement } from '../core/iam';
import { Validator, checkLogRetention, isUnresolved } from '../core/validation';
import { API_DEFAULTS, HTTP_METHODS, type RouteProps, type TracedRestApiProps } from './props';
import { ACCESS_LOG_FORMAT, modelName, pathId, pathSegments, resourcePaths, sourceArnSuffix } from './routes';

const BODY_METHODS = ['POST', 'PUT', 'PATCH'];

/**
 * A REGIONAL REST API (HTTP APIs cannot be traced) with X-Ray tracing on its stage: Lambda proxy
 * routes with scoped invoke permissions, request bodies validated at the edge, mock routes, an API
 * key and usage plan with throttling, JSON access logs and execution logs with retention, and a
 * deployment that follows every route change.
 */
export class TracedRestApi extends Construct {
  public readonly restApiId: string;
  public readonly stageName: string;
  /** `https://<id>.execute-api.<region>.amazonaws.com/<stage>` */
  public readonly invokeUrl: string;
  public readonly executionArn: string;
  /** The API key's value: a secret, output it as sensitive only. */
  public readonly apiKeyValue: string;
  public readonly apiKeyId: string;
  public readonly accessLogGroupName: string;
  /** Escape hatches. */
  public readonly restApi: ApiGatewayRestApi;
  public readonly stage: ApiGatewayStage;

  constructor(scope: Construct, id: string, props: TracedRestApiProps) {
    super(scope, id);
    const stageName = props.stageName ?? API_DEFAULTS.stageName;
    const throttle = props.throttle ?? API_DEFAULTS.throttle;
    const retention = props.logRetentionDays ?? API_DEFAULTS.logRetentionDays;
    const manageAccount = props.manageAccountLogRole ?? API_DEFAULTS.manageAccountLogRole;
    validate(this, props, stageName, throttle, retention);

    this.stageName = stageName;
    this.restApi = new ApiGatewayRestApi(this, 'api', {
      name: props.apiName,
      description: props.description,
      endpointConfiguration: { types: ['REGIONAL'] },
      apiKeySource: 'HEADER',
    });
    const api = this.restApi;
    this.restApiId = api.id;
    this.executionArn = api.executionArn;

    // One resource per distinct path prefix.
    const resources = new Map<string, ApiGatewayResource>();
    const resourceId = (path: string) =>
      path === '/' ? api.rootResourceId : (resources.get(path) as ApiGatewayResource).id;
    for (const route of props.routes) {
      for (const path of resourcePaths(pathSegments(route.path) as string[])) {
        if (resources.has(path)) continue;
        const parent = path.slice(0, path.lastIndexOf('/')) || '/';
        resources.set(
          path,
          new ApiGatewayResource(this, `resource-${pathId(path)}`, {
            restApiId: api.id,
            parentId: resourceId(parent),
            pathPart: path.slice(path.lastIndexOf('/') + 1),
          }),
        );
      }
    }

    const validator = props.routes.some((r) => r.bodySchema)
      ? new ApiGatewayRequestValidator(this, 'body-validator', {
          restApiId: api.id,
          name: 'validate-body',
          validateRequestBody: true,
          validateRequestParameters: false,
        })
      : undefined;

    // Everything a deployment must capture: it is redeployed when any of these change.
    const deployed: (ITerraformDependable & { id: string })[] = [...resources.values()];
    if (validator) deployed.push(validator);
    for (const route of props.routes) deployed.push(...this.addRoute(route, resourceId(route.path), validator));

    const deployment = new ApiGatewayDeployment(this, 'deployment', {
      restApiId: api.id,
      description: `Routes: ${props.routes.map((r) => `${r.method} ${r.path}`).join(', ')}`,
      triggers: {
        redeployment: Fn.sha1(Fn.jsonencode([routesDigest(props.routes), ...deployed.map((d) => d.id)])),
      },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: deployed,
    });

    const accessLogs = new CloudwatchLogGroup(this, 'access-logs', {
      name: `/aws/apigateway/${props.apiName}/${stageName}/access`,
      retentionInDays: retention,
    });
    this.accessLogGroupName = accessLogs.name;
    // API Gateway would create this group itself, with no retention: create it first, with one.
    const executionLogs = new CloudwatchLogGroup(this, 'execution-logs', {
      name: `API-Gateway-Execution-Logs_${api.id}/${stageName}`,
      retentionInDays: retention,
    });

    const stageDependencies: ITerraformDependable[] = [accessLogs, executionLogs];
    if (manageAccount) {
      stageDependencies.push(this.accountLogRole());
    } else {
      Annotations.of(this).addWarning(
        'Access logging needs the account-wide API Gateway CloudWatch role (aws_api_gateway_account). ' +
          'Set manageAccountLogRole in one stack, or make sure the account already has it, or the stage fails at apply.',
      );
    }

    this.stage = new ApiGatewayStage(this, 'stage', {
      restApiId: api.id,
      deploymentId: deployment.id,
      stageName,
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
      dependsOn: stageDependencies,
    });
    this.invokeUrl = this.stage.invokeUrl;

    new ApiGatewayMethodSettings(this, 'method-settings', {
      restApiId: api.id,
      stageName: this.stage.stageName,
      methodPath: '*/*',
      settings: {
        metricsEnabled: true,
        // Errors only, and never request or response bodies (they hold users' questions).
        loggingLevel: 'ERROR',
        dataTraceEnabled: false,
        throttlingRateLimit: throttle.rateLimit,
        throttlingBurstLimit: throttle.burstLimit,
      },
    });

    const key = new ApiGatewayApiKey(this, 'api-key', { name: `${props.apiName}-key`, enabled: true });
    this.apiKeyValue = key.value;
    this.apiKeyId = key.id;
    const plan = new ApiGatewayUsagePlan(this, 'usage-plan', {
      name: `${props.apiName}-plan`,
      apiStages: [{ apiId: api.id, stage: this.stage.stageName }],
      throttleSettings: { rateLimit: throttle.rateLimit, burstLimit: throttle.burstLimit },
    });
    new ApiGatewayUsagePlanKey(this, 'usage-plan-key', { keyId: key.id, keyType: 'API_KEY', usagePlanId: plan.id });
  }

  /** A route's method, integration and permission; returns what the deployment must capture. */
  private addRoute(route: RouteProps, resourceId: string, validator?: ApiGatewayRequestValidator) {
    const api = this.restApi;
    const name = `${route.method}-${pathId(route.path)}`;
    const out: (ITerraformDependable & { id: string })[] = [];
    let requestModels: Record<string, string> | undefined;
    if (route.bodySchema) {
      const model = new ApiGatewayModel(this, `model-${name}`, {
        restApiId: api.id,
        name: modelName(route.method, route.path),
        contentType: 'application/json',
        schema: JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', ...route.bodySchema }),
      });
      out.push(model);
      requestModels = { 'application/json': model.name };
    }
    const method = new ApiGatewayMethod(this, `method-${name}`, {
      restApiId: api.id,
      resourceId,
      httpMethod: route.method,
      authorization: 'NONE',
      apiKeyRequired: route.apiKeyRequired ?? true,
      requestValidatorId: route.bodySchema ? validator?.id : undefined,
      requestModels,
    });
    out.push(method);

    if (route.function) {
      out.push(
        new ApiGatewayIntegration(this, `integration-${name}`, {
          restApiId: api.id,
          resourceId,
          httpMethod: method.httpMethod,
          type: 'AWS_PROXY',
          integrationHttpMethod: 'POST',
          uri: route.function.invokeArn,
        }),
      );
      new LambdaPermission(this, `permission-${name}`, {
        functionName: route.function.resource.functionName,
        action: 'lambda:InvokeFunction',
        principal: 'apigateway.amazonaws.com',
        sourceArn: `${api.executionArn}${sourceArnSuffix(route.method, route.path)}`,
      });
    } else if (route.mock) {
      const statusCode = String(route.mock.statusCode ?? 200);
      const integration = new ApiGatewayIntegration(this, `integration-${name}`, {
        restApiId: api.id,
        resourceId,
        httpMethod: method.httpMethod,
        type: 'MOCK',
        requestTemplates: { 'application/json': JSON.stringify({ statusCode: Number(statusCode) }) },
      });
      const response = new ApiGatewayMethodResponse(this, `method-response-${name}`, {
        restApiId: api.id,
        resourceId,
        httpMethod: method.httpMethod,
        statusCode,
        responseModels: { 'application/json': 'Empty' },
      });
      const integrationResponse = new ApiGatewayIntegrationResponse(this, `integration-response-${name}`, {
        restApiId: api.id,
        resourceId,
        httpMethod: method.httpMethod,
        statusCode: response.statusCode,
        responseTemplates: { 'application/json': JSON.stringify(route.mock.body) },
        dependsOn: [integration],
      });
      out.push(integration, response, integrationResponse);
    }
    return out;
  }

  /** The account-wide role API Gateway writes logs with, set on the account. */
  private accountLogRole(): ApiGatewayAccount {
    const aws = AwsContext.of(this);
    const role = new Role(this, 'cloudwatch-role', {
      // One per account and region: a fixed name makes a second owner fail loudly at apply.
      name: `apigateway-cloudwatch-${aws.region}`,
      description: 'API Gateway (account-wide) writes access and execution logs to CloudWatch Logs',
      assumedBy: 'apigateway.amazonaws.com',
      trustConditions: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [aws.accountId] }],
    });
    role.addToPolicy(apiGatewayLogsStatement(aws));
    return new ApiGatewayAccount(this, 'account', { cloudwatchRoleArn: role.arn, dependsOn: role.dependables });
  }
}

/**
 * What the account-wide API Gateway logging role may do. It serves every API of the account and
 * region, so it cannot name their log groups; it is held to this account and region instead of the
 * managed policy's `*`.
 */
export function apiGatewayLogsStatement(aws: AwsContext): Statement {
  return {
    sid: 'WriteApiGatewayLogs',
    actions: [
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:DescribeLogGroups',
      'logs:DescribeLogStreams',
      'logs:PutLogEvents',
      'logs:GetLogEvents',
      'logs:FilterLogEvents',
    ],
    resources: [aws.arn('logs', 'log-group:*')],
  };
}

/** A digest of the route definitions as written (schemas and mock bodies included). */
function routesDigest(routes: RouteProps[]): string {
  const plain = routes.map((r) => ({
    path: r.path,
    method: r.method,
    bodySchema: r.bodySchema ?? null,
    mock: r.mock ?? null,
    apiKeyRequired: r.apiKeyRequired ?? true,
    function: r.function ? r.function.node.path : null,
  }));
  return crypto.createHash('sha256').update(JSON.stringify(plain)).digest('hex');
}

function validate(
  scope: Construct,
  props: TracedRestApiProps,
  stageName: string,
  throttle: { rateLimit: number; burstLimit: number },
  retention: number,
) {
  const v = new Validator('TracedRestApi', scope);
  v.matches('apiName', props.apiName, /^[A-Za-z0-9_-]{1,100}$/, '1..100 letters, digits, hyphens and underscores');
  v.matches('stageName', stageName, /^[A-Za-z0-9_]{1,64}$/, '1..64 letters, digits and underscores');
  v.numberRange('throttle.rateLimit', throttle.rateLimit, 0.001, 10000);
  v.intRange('throttle.burstLimit', throttle.burstLimit, 1, 5000);
  checkLogRetention(v, 'logRetentionDays', retention);
  v.nonEmpty('routes', props.routes);
  const seen = new Set<string>();
  (props.routes ?? []).forEach((r, i) => {
    const at = `routes[${i}]`;
    const segments = pathSegments(r.path);
    if (typeof segments === 'string') v.fail(`${at}.path`, segments, r.path);
    v.oneOf(`${at}.method`, r.method, HTTP_METHODS);
    if (!!r.function === !!r.mock)
      v.fail(
        at,
        'given exactly one of function and mock',
        Object.keys(r).filter((k) => k === 'function' || k === 'mock'),
      );
    if (r.bodySchema !== undefined) {
      if (!BODY_METHODS.includes(r.method))
        v.fail(`${at}.bodySchema`, `used with ${BODY_METHODS.join(', ')} only`, r.method);
      if (typeof r.bodySchema !== 'object' || r.bodySchema === null || Array.isArray(r.bodySchema))
        v.fail(`${at}.bodySchema`, 'a JSON schema object', r.bodySchema);
    }
    if (r.mock && !isUnresolved(r.mock.statusCode)) v.intRange(`${at}.mock.statusCode`, r.mock.statusCode, 100, 599);
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) v.fail(`${at}`, 'a path and method not already routed', key);
    seen.add(key);
  });
  v.throwIfInvalid();
}
