import { Annotations, Token, TerraformResource, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ApiGatewayApiKey } from '@cdktf/provider-aws/lib/api-gateway-api-key';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';
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
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { notify } from '../core/alarms';
import { claimName } from '../core/names';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { forEachItem, forEachKey, mapItems, onlyIf, optionalAttr, sibling, someItem, wholeObjects } from '../core/each';
import { eq, hcl, isSet, known, when } from '../core/expr';
import type { ITracedFunction } from '../traced-function';
import { MAX_PATH_SEGMENTS, ROLE_SUFFIX, ROUTE, TRACED_REST_API_INPUTS } from './inputs';
import type { RouteProps, TracedRestApiProps } from './props';
import { DRAFT_4 } from './schema';
import { ApiGatewayAccountLogRole } from './account-log-role';

/**
 * The gateway responses answered as JSON, and their status (undefined: the status of the error itself,
 * 400/403/404/413/415... and 500/502/504).
 */
const GATEWAY_RESPONSES: Record<string, string | undefined> = {
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  THROTTLED: '429',
};

/** The body of API Gateway's own errors: its message, and the ids to find the request by in logs and X-Ray. */
export const GATEWAY_ERROR_TEMPLATE =
  '{"message":$context.error.messageString,"requestId":"$context.requestId","traceId":"$context.xrayTraceId"}';

/** The request-model key API Gateway applies to a body of any Content-Type. */
const ANY_CONTENT_TYPE = '$default';
import {
  ACCESS_LOG_FORMAT,
  lastSegment,
  modelName,
  parentPath,
  pathDepth,
  pathId,
  pathsAtDepth,
  sourceArnSuffix,
} from './routes';

/**
 * A REGIONAL REST API (HTTP APIs cannot be traced) with X-Ray tracing on its stage: Lambda proxy
 * routes with scoped invoke permissions, request bodies validated at the edge, mock routes, an API
 * key and usage plan with throttling, JSON access logs and execution logs with retention, and a
 * deployment that follows every route change.
 */
export class TracedRestApi extends Construct {
  /** The REST API's id. */
  public readonly restApiId: string;
  /** The stage's name. */
  public readonly stageName: string;
  /** The stage's base URL: `https://<id>.execute-api.<region>.amazonaws.com/<stage>`. */
  public readonly invokeUrl: string;
  /** The API's execution ARN, for more Lambda permissions: `arn:aws:execute-api:<region>:<account>:<id>`. */
  public readonly executionArn: string;
  /** The API key's value: a secret, output it as sensitive only. */
  public readonly apiKeyValue: string;
  /** The API key's id (what access logs record as `apiKeyId`). */
  public readonly apiKeyId: string;
  /** The access log group's name: `/aws/apigateway/<apiName>/<stage>/access`. */
  public readonly accessLogGroupName: string;
  /** Escape hatch: the `aws_api_gateway_rest_api`. */
  public readonly restApi: ApiGatewayRestApi;
  /** Escape hatch: the `aws_api_gateway_stage`. */
  public readonly stage: ApiGatewayStage;
  /** The alarm on the stage's 5XX rate (more than 5% of requests in 3 of 5 minutes). */
  public readonly serverErrorAlarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: TracedRestApiProps) {
    super(scope, id);
    const p = TRACED_REST_API_INPUTS.resolve(this, props);

    this.stageName = p.stageName;
    this.restApi = new ApiGatewayRestApi(this, 'api', {
      name: p.apiName,
      description: p.description,
      endpointConfiguration: { types: ['REGIONAL'] },
      apiKeySource: 'HEADER',
    });
    const api = this.restApi;
    this.restApiId = api.id;
    this.executionArn = api.executionArn;

    const resourceIdOf = this.resourceTree(mapItems(p.routes, ROUTE, (r) => r.path));

    const validator = onlyIf(someItem(p.routes, ROUTE, (r) => isSet(r.bodySchema)));
    const bodyValidator = validator
      ? new ApiGatewayRequestValidator(this, 'body-validator', {
          ...validator,
          restApiId: api.id,
          name: 'validate-body',
          validateRequestBody: true,
          validateRequestParameters: false,
        })
      : undefined;

    // Everything a deployment must capture: it is redeployed when any argument of these changes.
    const deployed: TerraformResource[] = [
      ...this.node.findAll().filter((c): c is ApiGatewayResource => c instanceof ApiGatewayResource),
    ];
    if (bodyValidator) deployed.push(bodyValidator);

    forEachItem(
      p.routes,
      { shape: ROUTE, key: (r) => `${r.method} ${r.path}`, id: (r) => `${r.method}-${pathId(r.path)}` },
      (route) => {
        const r = route.item;
        let model: ApiGatewayModel | undefined;
        route.when(
          (x) => isSet(x.bodySchema),
          (m) => {
            model = new ApiGatewayModel(this, m.id('model'), {
              ...m.meta,
              restApiId: api.id,
              name: modelName(m.item.method, m.item.path),
              contentType: 'application/json',
              schema: draft4(m.item.bodySchema as Record<string, unknown>),
            });
            deployed.push(model);
          },
        );
        const method = new ApiGatewayMethod(this, route.id('method'), {
          ...route.meta,
          restApiId: api.id,
          resourceId: resourceIdOf(r.path),
          httpMethod: r.method,
          authorization: 'NONE',
          apiKeyRequired: r.apiKeyRequired,
          requestValidatorId: bodyValidator
            ? when(isSet(r.bodySchema), optionalAttr(bodyValidator, 'id'), undefined as unknown as string)
            : undefined,
          // `$default`: the model applies whatever the Content-Type. Keyed by `application/json` only, a
          // `text/plain` body would match no model and reach the function unvalidated.
          requestModels: model
            ? (when(isSet(r.bodySchema), { [ANY_CONTENT_TYPE]: sibling(model, 'name') }, undefined) as Record<
                string,
                string
              >)
            : undefined,
        });
        deployed.push(method);
        const onMethod = {
          restApiId: api.id,
          resourceId: sibling(method, 'resource_id'),
          httpMethod: sibling(method, 'http_method'),
        };

        route.when(
          (x) => isSet(x.function),
          (l) => {
            const fn = l.item.function as ITracedFunction;
            deployed.push(
              new ApiGatewayIntegration(this, l.id('integration', undefined, 'lambda-integration'), {
                ...l.meta,
                ...onMethod,
                type: 'AWS_PROXY',
                integrationHttpMethod: 'POST',
                uri: fn.invokeArn,
              }),
            );
            new LambdaPermission(this, l.id('permission'), {
              ...l.meta,
              // The function's own attribute where it has a resource: Terraform then creates the function first.
              functionName: functionNameOf(fn),
              action: 'lambda:InvokeFunction',
              principal: 'apigateway.amazonaws.com',
              sourceArn: `${api.executionArn}${sourceArnSuffix(l.item.method, l.item.path)}`,
            });
          },
        );
        route.when(
          (x) => isSet(x.mock),
          (m) => {
            const mock = m.item.mock as { statusCode: number; body: unknown };
            const code = mock.statusCode;
            const integration = new ApiGatewayIntegration(this, m.id('integration', undefined, 'mock-integration'), {
              ...m.meta,
              ...onMethod,
              type: 'MOCK',
              requestTemplates: {
                'application/json': known(code)
                  ? JSON.stringify({ statusCode: code })
                  : Token.asString(hcl`jsonencode({ statusCode = ${code} })`),
              },
            });
            const response = new ApiGatewayMethodResponse(
              this,
              m.id('method-response', undefined, 'mock-method-response'),
              {
                ...m.meta,
                ...onMethod,
                statusCode: known(code) ? String(code) : Token.asString(hcl`tostring(${code})`),
                responseModels: { 'application/json': 'Empty' },
              },
            );
            const integrationResponse = new ApiGatewayIntegrationResponse(
              this,
              m.id('integration-response', undefined, 'mock-integration-response'),
              {
                ...m.meta,
                ...onMethod,
                statusCode: sibling(response, 'status_code'),
                responseTemplates: {
                  'application/json': known(mock.body) ? JSON.stringify(mock.body) : (mock.body as string),
                },
                dependsOn: [integration],
              },
            );
            deployed.push(integration, response, integrationResponse);
          },
        );
      },
    );

    // API Gateway's own answers (a missing key, a bad body, a throttle, an integration failure) as JSON
    // with the request and trace ids, like the functions' errors: a throttle is a JSON 429.
    for (const [type, statusCode] of Object.entries(GATEWAY_RESPONSES)) {
      deployed.push(
        new ApiGatewayGatewayResponse(this, `gateway-response-${type.toLowerCase().replace(/_/g, '-')}`, {
          restApiId: api.id,
          responseType: type,
          statusCode,
          responseTemplates: { 'application/json': GATEWAY_ERROR_TEMPLATE },
        }),
      );
    }

    const deployment = new ApiGatewayDeployment(this, 'deployment', {
      restApiId: api.id,
      description: Token.asString(
        known(p.routes)
          ? `Routes: ${p.routes.map((r) => `${r.method} ${r.path}`).join(', ')}`
          : hcl`"Routes: \${join(", ", ${mapItems(p.routes, ROUTE, (r) => `${r.method} ${r.path}`)})}"`,
      ),
      // Every argument of every route resource: a change to any of them is a new deployment.
      triggers: { redeployment: Token.asString(hcl`sha1(jsonencode(${wholeObjects(deployed)}))`) },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: deployed,
    });

    const accessLogGroupName = `/aws/apigateway/${p.apiName}/${p.stageName}/access`;
    claimName(this, { kind: 'TracedRestApi', field: 'apiName', resource: 'a log group', name: accessLogGroupName });
    const accessLogs = new CloudwatchLogGroup(this, 'access-logs', {
      name: accessLogGroupName,
      retentionInDays: p.logRetentionDays,
    });
    this.accessLogGroupName = accessLogs.name;
    // API Gateway would create this group itself, with no retention: create it first, with one.
    const executionLogs = new CloudwatchLogGroup(this, 'execution-logs', {
      name: `API-Gateway-Execution-Logs_${api.id}/${p.stageName}`,
      retentionInDays: p.logRetentionDays,
    });

    const stageDependencies: ITerraformDependable[] = [accessLogs, executionLogs];
    // Logging needs the account's CloudWatch role: made and set here (the default, so a fresh account
    // applies), or already there (manageAccountLogRole false: an account-level stack or an administrator).
    const manage = onlyIf(p.manageAccountLogRole);
    if (manage) {
      const owner = new ApiGatewayAccountLogRole(this, 'account', {
        roleName: `${p.apiName}${ROLE_SUFFIX}`,
        meta: manage,
        owner: { kind: 'TracedRestApi', field: 'manageAccountLogRole', roleNameField: 'apiName' },
      });
      stageDependencies.push(owner.account);
    }

    this.stage = new ApiGatewayStage(this, 'stage', {
      restApiId: api.id,
      deploymentId: deployment.id,
      stageName: p.stageName,
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
        throttlingRateLimit: p.throttle.rateLimit,
        throttlingBurstLimit: p.throttle.burstLimit,
      },
    });

    // Server errors reach someone: more than 5% of requests answered 5XX in 3 of 5 minutes. The metric is
    // 0 or 1 per request, so its average is the error rate, whatever the traffic.
    const alarmName = `${p.apiName}-${p.stageName}-5xx`;
    claimName(this, { kind: 'TracedRestApi', field: 'apiName', resource: 'a CloudWatch alarm', name: alarmName });
    this.serverErrorAlarm = new CloudwatchMetricAlarm(this, 'server-errors', {
      alarmName,
      alarmDescription: `More than 5% of requests to ${p.apiName} (stage ${p.stageName}) answered 5XX in 3 of the last 5 minutes: read the access logs (${accessLogGroupName}) and the X-Ray traces of the failed requests.`,
      namespace: 'AWS/ApiGateway',
      metricName: '5XXError',
      dimensions: { ApiName: p.apiName, Stage: this.stage.stageName },
      statistic: 'Average',
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      threshold: 0.05,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      ...notify(p.alarmActions),
    });

    const key = new ApiGatewayApiKey(this, 'api-key', { name: `${p.apiName}-key`, enabled: true });
    this.apiKeyValue = key.value;
    this.apiKeyId = key.id;
    const plan = new ApiGatewayUsagePlan(this, 'usage-plan', {
      name: `${p.apiName}-plan`,
      apiStages: [{ apiId: api.id, stage: this.stage.stageName }],
      throttleSettings: { rateLimit: p.throttle.rateLimit, burstLimit: p.throttle.burstLimit },
      quotaSettings: { limit: p.quota.limit, period: p.quota.period },
    });
    this.checkCapacity(p.throttle, p.routes);
    new ApiGatewayUsagePlanKey(this, 'usage-plan-key', { keyId: key.id, keyType: 'API_KEY', usagePlanId: plan.id });
  }

  /**
   * Warns when a function route's capacity does not add up (see the README's Capacity section): at the
   * throttle's steady rate, `rateLimit x expectedLatencySeconds` invocations are in flight (Little's law),
   * and a burst admits `burstLimit` at once; a function that reserves less concurrency makes Lambda
   * refuse the rest, which API Gateway answers 500 instead of the throttle's 429.
   */
  private checkCapacity(throttle: { rateLimit: number; burstLimit: number }, routes: readonly RouteProps[]): void {
    if (!known(routes) || !known(throttle.rateLimit, throttle.burstLimit)) return;
    routes.forEach((r, i) => {
      const fn = r.function;
      const latency = r.expectedLatencySeconds;
      if (!fn || latency === undefined || !known(latency)) return;
      const where = `routes[${i}] (${r.method} ${r.path})`;
      const timeout = fn.timeoutSeconds;
      if (known(timeout) && typeof timeout === 'number' && latency >= timeout)
        Annotations.of(this).addWarning(
          `${where}: expectedLatencySeconds ${latency} is not below the function's timeout (${timeout} s): most requests would time out`,
        );
      const reserved = fn.reservedConcurrency;
      if (reserved === undefined || !known(reserved)) return;
      const inFlight = Math.ceil(throttle.rateLimit * latency);
      if (reserved < inFlight)
        Annotations.of(this).addWarning(
          `${where}: throttle.rateLimit ${throttle.rateLimit}/s x expectedLatencySeconds ${latency} = ${inFlight} invocations in flight, but the function reserves ${reserved}: beyond that Lambda refuses and API Gateway answers 500, not 429 (lower rateLimit to ${Math.floor((reserved / latency) * 1000) / 1000} or reserve ${inFlight})`,
        );
      if (reserved < throttle.burstLimit)
        Annotations.of(this).addWarning(
          `${where}: throttle.burstLimit ${throttle.burstLimit} admits more requests at once than the function reserves (${reserved}): a burst gets 500s, not 429s (lower burstLimit to ${reserved} or reserve ${throttle.burstLimit})`,
        );
    });
  }

  /**
   * One `aws_api_gateway_resource` per distinct path prefix, level by level: each one by one when the
   * routes are known, and one `for_each` resource per depth when they are a module's variable (a
   * resource cannot hang under an instance of itself). Returns the resource id of a route's path.
   */
  private resourceTree(paths: string[]): (path: string) => string {
    const api = this.restApi;
    const byPath = new Map<string, ApiGatewayResource>();
    const byDepth: ApiGatewayResource[] = [];
    const idAt = (depth: number, path: string): string => {
      if (depth === 0) return api.rootResourceId;
      const planned = byDepth[depth];
      if (planned) return Token.asString(hcl`${planned.fqn}[${path}].id`);
      return (byPath.get(path) as ApiGatewayResource).id;
    };
    for (let depth = 1; depth <= MAX_PATH_SEGMENTS; depth++) {
      const level = pathsAtDepth(paths, depth);
      if (known(level) && level.length === 0) break;
      forEachKey(level, pathId, ({ key, meta, id }) => {
        const resource = new ApiGatewayResource(this, id('resource', undefined, `resource-depth-${depth}`), {
          ...meta,
          restApiId: api.id,
          parentId: idAt(depth - 1, depth === 1 ? '/' : parentPath(key)),
          pathPart: lastSegment(key),
        });
        if (meta.forEach) byDepth[depth] = resource;
        else byPath.set(key, resource);
      });
    }
    return (path) => {
      if (known(path)) return idAt(pathDepth(path), path);
      // At plan, the resource of the route's depth: a chain of conditionals on the path's depth.
      const depth = pathDepth(path);
      let id = idAt(MAX_PATH_SEGMENTS, path);
      for (let d = MAX_PATH_SEGMENTS - 1; d >= 0; d--) id = when(eq(depth, d), idAt(d, path), id);
      return id;
    };
  }
}

/** A function's name, read from its `aws_lambda_function` when it has one (a reference orders the two). */
function functionNameOf(fn: ITracedFunction): string {
  const resource = (fn as { resource?: unknown }).resource;
  return resource instanceof LambdaFunction ? resource.functionName : fn.functionName;
}

/** A body schema as API Gateway's model takes it: JSON text, declaring draft 4 unless it says otherwise. */
function draft4(schema: Record<string, unknown>): string {
  if (known(schema)) return JSON.stringify({ $schema: DRAFT_4, ...schema });
  return Token.asString(hcl`jsonencode(merge({ "$schema" = ${DRAFT_4} }, jsondecode(${schema})))`);
}
