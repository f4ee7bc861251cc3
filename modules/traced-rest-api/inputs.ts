/** TracedRestApi's inputs, described once: `props.ts`, the checks, the module variables and the README come from here. */
import {
  camel,
  choice,
  decimal,
  flag,
  inputs,
  items,
  jsonObject,
  jsonValue,
  none,
  object,
  ref,
  retentionDays,
  shape,
  text,
  whole,
} from '../core/inputs';
import {
  eq,
  implies,
  isSet,
  known,
  le,
  lengthOf,
  matches,
  ne,
  not,
  oneOf,
  presenceOf,
  presentWhen,
} from '../core/expr';
import { mapItems } from '../core/each';
import { alarmActions } from '../core/alarms';
import type { ITracedFunction } from '../traced-function';
import type { MockResponse, QuotaProps, RouteProps, ThrottleProps, TracedRestApiProps } from './props';
import { oneVariablePerParentHcl, pathConflict, type PathConflict } from './routes';
import { schemaProblem, type SchemaProblem } from './schema';
import { show } from '../core/validation';

/** The HTTP methods a route may take (`ANY` matches every method). */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;

/** Methods that carry a body a schema can validate. */
export const BODY_METHODS = ['POST', 'PUT', 'PATCH'] as const;

/**
 * The most path segments a route may have. API Gateway has no such limit; the published module has
 * one resource block per depth (Terraform cannot nest a resource under an instance of itself), so the
 * construct and the module both accept paths of up to this many segments.
 */
export const MAX_PATH_SEGMENTS = 10;

const SEGMENT = '([A-Za-z0-9._-]+|[{][A-Za-z0-9_]+[+]?[}])';
/** A route path: `/`, or 1..MAX_PATH_SEGMENTS segments. RE2 syntax (it is also the module's regex). */
export const PATH_PATTERN = new RegExp(`^(/|(/${SEGMENT}){1,${MAX_PATH_SEGMENTS}})$`);

const problems = new WeakMap<object, SchemaProblem | undefined>();
/** What is wrong with a body schema (each schema checked once), when it is a known object. */
function problemOf(schema: unknown): SchemaProblem | undefined {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema) || !known(schema)) return undefined;
  if (!problems.has(schema)) problems.set(schema, schemaProblem(schema as Record<string, unknown>));
  return problems.get(schema);
}

/** The account log role is named after the API: `<apiName>-apigw-logs`. */
export const ROLE_SUFFIX = '-apigw-logs';
const MAX_NAME_WITH_ROLE = 64 - ROLE_SUFFIX.length;

const GREEDY_NOT_LAST = /[+][}]\//;

/** The first route path that conflicts with an earlier one, when every path is known and valid on its own. */
function conflictOf(routes: readonly RouteProps[]): PathConflict | undefined {
  if (!known(routes) || !Array.isArray(routes)) return undefined;
  const paths = routes.map((r) => r?.path);
  const valid = (p: unknown) => typeof p === 'string' && known(p) && PATH_PATTERN.test(p) && !GREEDY_NOT_LAST.test(p);
  return paths.every(valid) ? pathConflict(paths) : undefined;
}

const MOCK_RESPONSE = shape<MockResponse>()({
  typeName: 'MockResponse',
  doc: 'A fixed response API Gateway returns itself, with no Lambda behind it (a health check).',
  fields: {
    statusCode: whole({ doc: 'The HTTP status code, 100..599.', min: 100, max: 599, default: 200 }),
    body: jsonValue({ doc: 'The JSON body (in a module: JSON text, `jsonencode(...)`).' }),
  },
});

export const ROUTE = shape<RouteProps>()({
  typeName: 'RouteProps',
  doc: 'One route: a path and method, served by a Lambda function or a mock response.',
  fields: {
    path: text({
      doc: `\`/\`, \`/chat\`, \`/v1/orders/{orderId}\`: up to ${MAX_PATH_SEGMENTS} segments of letters, digits,
\`.\`, \`_\`, \`-\`, or \`{param}\` (\`{param+}\`, greedy), with no empty segment or trailing \`/\`.`,
      pattern: PATH_PATTERN,
      rule: `"/" or 1..${MAX_PATH_SEGMENTS} segments of letters, digits, ".", "_", "-" or {param}, with no empty segment or trailing "/"`,
      rules: [
        {
          // API Gateway: a greedy variable matches the rest of the path, so nothing can hang below it.
          rule: 'a path whose greedy {param+} is its last segment',
          test: (v) => not(matches(v, GREEDY_NOT_LAST)),
        },
      ],
    }),
    method: choice(HTTP_METHODS, {
      doc: 'The HTTP method; `ANY` matches every method.',
      typeName: 'HttpMethod',
      typeDoc: 'An HTTP method of a route (`ANY` matches every method).',
    }),
    function: ref<ITracedFunction>({
      doc: `The Lambda function behind the route (a proxy integration, and an invoke permission for this
method and path only). Exactly one of \`function\` and \`mock\`.`,
      type: 'ITracedFunction',
      from: '../traced-function',
      default: none('a mock route'),
      module: {
        parts: [
          {
            suffix: 'name',
            type: 'string',
            description: "The function's name (known at plan: it selects the Lambda routes).",
            default: null,
          },
          {
            suffix: 'invoke_arn',
            type: 'string',
            description: "The function's invoke ARN (`aws_lambda_function.invoke_arn`).",
            default: null,
          },
        ],
        // A route's function at plan: what the route needs of it, present when its name is set.
        read: (get) =>
          presentWhen(
            { functionName: get.string('name'), invokeArn: get.string('invoke_arn') } as unknown as ITracedFunction,
            isSet(get.expression('name')),
          ),
      },
    }),
    mock: object<MockResponse>({
      doc: 'A fixed response instead of a function.',
      shape: MOCK_RESPONSE,
      default: none('a function route'),
    }),
    bodySchema: jsonObject({
      doc: `A JSON schema (draft 4) the request body must match; API Gateway rejects other bodies with 400
before any Lambda runs. \`$ref\`s point inside the schema (\`#/definitions/...\`) and never loop. Only for
POST, PUT and PATCH. In a module: JSON text (\`jsonencode(...)\`).`,
      see: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html',
      default: none('the body is not validated at the edge'),
      rules: [
        {
          rule: (_, schema) =>
            problemOf(schema)?.rule ?? 'a JSON Schema draft 4 whose $refs point inside it, with no $ref loop',
          // At plan a module's schema is JSON text: API Gateway itself checks it at apply.
          test: (schema) => !known(schema) || problemOf(schema) === undefined,
          got: (schema) => show(problemOf(schema)?.got),
        },
      ],
    }),
    apiKeyRequired: flag({ doc: 'Require the API key (`x-api-key`).', default: true }),
    expectedLatencySeconds: decimal({
      doc: `How long the function usually takes to answer, in seconds, 0.001..29 (a Bedrock agent: several
seconds). With the throttle it sizes the concurrency the function needs: a synth warning when the
function reserves less than \`rateLimit x expectedLatencySeconds\` or \`burstLimit\`, or times out first.`,
      min: 0.001,
      max: 29,
      default: none('the capacity is not checked'),
    }),
  },
  checks: [
    {
      field: '',
      rule: (n) =>
        n === camel
          ? 'given exactly one of function and mock'
          : 'given exactly one of function_name (with function_invoke_arn) and mock_body',
      test: (r) => ne(isSet(r.function), isSet(r.mock)),
      got: (r) => Object.keys(r).filter((k) => (k === 'function' || k === 'mock') && r[k] !== undefined),
    },
    {
      field: 'function',
      rule: (n) =>
        n === camel
          ? 'given with both its name and its invoke ARN'
          : 'given as both function_name and function_invoke_arn',
      // Only a module can give half a function (a name without an invoke ARN).
      test: (r) =>
        presenceOf(r.function) === undefined ? true : eq(isSet(r.function?.functionName), isSet(r.function?.invokeArn)),
      got: (r) => r.function?.functionName,
    },
    {
      field: 'bodySchema',
      rule: `used with ${BODY_METHODS.join(', ')} only`,
      test: (r) => implies(isSet(r.bodySchema), oneOf(r.method, BODY_METHODS)),
      got: (r) => r.method,
    },
  ],
});

/** The periods a usage plan quota counts over. */
export const QUOTA_PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;

const QUOTA = shape<QuotaProps>()({
  typeName: 'QuotaProps',
  doc: 'How many requests one API key may make per day, week or month (the usage plan quota).',
  fields: {
    limit: whole({ doc: 'Requests per period, 1..2147483647.', min: 1, max: 2147483647 }),
    period: choice(QUOTA_PERIODS, {
      doc: 'The period the limit counts over: `DAY`, `WEEK` or `MONTH`.',
      typeName: 'QuotaPeriod',
      typeDoc: 'A usage plan quota period.',
    }),
  },
});

const THROTTLE = shape<ThrottleProps>()({
  typeName: 'ThrottleProps',
  doc: 'Request throttling: the usage plan (per API key) and the stage (per method).',
  fields: {
    rateLimit: decimal({ doc: 'Steady-state requests per second, 0.001..10000.', min: 0.001, max: 10000 }),
    burstLimit: whole({ doc: 'Burst size: requests admitted at once, 1..5000.', min: 1, max: 5000 }),
  },
});

export const TRACED_REST_API_INPUTS = inputs<TracedRestApiProps>()(
  {
    apiName: text({
      doc: 'The API name: 1..100 letters, digits, hyphens and underscores. Names its key, plan and log groups.',
      pattern: /^[A-Za-z0-9_-]{1,100}$/,
      rule: '1..100 letters, digits, hyphens and underscores',
    }),
    stageName: text({
      doc: 'The stage: 1..64 letters, digits and underscores.',
      pattern: /^[A-Za-z0-9_]{1,64}$/,
      rule: '1..64 letters, digits and underscores',
      default: 'prod',
    }),
    routes: items({
      doc: 'The routes, at least one; a path and method pair at most once.',
      shape: ROUTE,
      nonEmpty: true,
      unique: [{ key: (r) => `${r.method} ${r.path}`, what: 'a path and method not already routed' }],
    }),
    throttle: object<ThrottleProps>({
      doc: 'Usage plan and stage throttling.',
      shape: THROTTLE,
      default: { rateLimit: 10, burstLimit: 20 },
    }),
    quota: object<QuotaProps>({
      doc: 'The usage plan quota: requests one API key may make per period, beside the throttle.',
      shape: QUOTA,
      default: { limit: 10000, period: 'DAY' },
    }),
    manageAccountLogRole: flag({
      doc: `Create the role API Gateway writes CloudWatch logs with (\`<apiName>-apigw-logs\`) and set it on the
account and region (\`aws_api_gateway_account\`): access and execution logs need it, and with it the
defaults apply in a fresh account. An account and region has one such setting: where one stack owns it
(an account-level \`ApiGatewayAccountLogRole\`, so that destroying an environment leaves the others
logging) or an administrator set it, give \`false\`. Two constructs of one app that would both manage
it are a synth error.`,
      see: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
      default: true,
    }),
    alarmActions: alarmActions({ alarms: "the API's 5XX alarm (more than 5% of requests answered 5XX)" }),
    logRetentionDays: retentionDays({ doc: 'Days to keep access and execution logs.', default: 30 }),
    description: text({ doc: 'A description of the API.', default: none('none') }),
  },
  {
    kind: 'TracedRestApi',
    typeName: 'TracedRestApiProps',
    doc: 'Props of {@link TracedRestApi}.',
    checks: [
      {
        field: 'apiName',
        rule: `at most ${MAX_NAME_WITH_ROLE} characters while manageAccountLogRole is true (the role is "<apiName>${ROLE_SUFFIX}", and IAM role names are at most 64)`,
        test: (p) => implies(p.manageAccountLogRole, le(lengthOf(p.apiName), MAX_NAME_WITH_ROLE)),
      },
      {
        field: 'routes',
        rule: (_, values) =>
          (values && conflictOf(values.routes)?.rule) ??
          'paths with at most one path variable ({param} or {param+}) under one parent',
        test: (p) =>
          known(p.routes)
            ? conflictOf(p.routes) === undefined
            : oneVariablePerParentHcl(mapItems(p.routes, ROUTE, (r) => r.path)),
        where: (p) => `routes[${conflictOf(p.routes)?.route}].path`,
        got: (p) => p.routes[conflictOf(p.routes)?.route ?? 0]?.path,
      },
    ],
  },
);
