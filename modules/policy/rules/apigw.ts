import { isEncodedJson, readEncodedJson } from '../hcl-value';
import { Verdict, problem, type PolicyRule } from '../types';
import { NotChecked, bool, isExpression, isSet, obj, str, whyUnknown, type Json } from '../values';
import type { ResourceView, StackView } from '../view';

const BODY_METHODS = ['POST', 'PUT', 'PATCH'];
const OPENAPI_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'x-amazon-apigateway-any-method'];
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The API (v2) a route belongs to, when it is in this configuration. */
function apiOf(route: ResourceView, s: StackView): ResourceView | undefined {
  const id = s.value(route, 'api_id');
  return s.ofType('aws_apigatewayv2_api').find((a) => s.refersTo(id, a));
}

/** Operations of an OpenAPI document that nobody has to authenticate for. */
function openOperations(r: ResourceView, s: StackView): ReturnType<PolicyRule['check']> {
  const body = s.value(r, 'body');
  if (!isSet(body)) return undefined;
  if (isExpression(body) && !isEncodedJson(body)) throw new NotChecked('body', whyUnknown(body));
  const doc = readEncodedJson(body);
  if (!isObject(doc)) throw new NotChecked('body', 'is not a JSON OpenAPI document (YAML is not read)');
  const verdict = new Verdict();
  const rootSecurity = doc.security;
  const paths = obj(doc.paths, 'body.paths');
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of OPENAPI_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const field = `body.paths["${path}"].${method}.security`;
      verdict.try(() => {
        const security = op.security ?? rootSecurity;
        if (isExpression(security)) throw new NotChecked(field, whyUnknown(security));
        const requirements = Array.isArray(security) ? security : [];
        const anonymous =
          requirements.length === 0 || requirements.some((req) => isObject(req) && Object.keys(req).length === 0);
        if (anonymous) verdict.add(field, `${method.toUpperCase()} ${path} requires no authorizer or API key`);
      });
    }
  }
  return verdict.result();
}

export const apiGatewayRules: PolicyRule[] = [
  {
    id: 'TS-APIGW-1',
    severity: 'error',
    title: 'API Gateway stages have X-Ray tracing',
    fix: 'Set xray_tracing_enabled = true on the stage.',
    appliesTo: ['aws_api_gateway_stage'],
    refs: { checkov: 'CKV_AWS_73', cdkNag: 'AwsSolutions-APIG6 (related)', securityHub: 'APIGateway.3' },
    blindSpots: 'HTTP APIs (API Gateway v2 has no X-Ray tracing).',
    check: (r, s) =>
      bool(s.value(r, 'xray_tracing_enabled'), 'xray_tracing_enabled') === true
        ? undefined
        : problem('xray_tracing_enabled', 'is not true'),
  },
  {
    id: 'TS-APIGW-2',
    severity: 'error',
    title: 'API Gateway stages write access logs',
    fix: 'Set access_log_settings with a destination log group and a format.',
    appliesTo: ['aws_api_gateway_stage', 'aws_apigatewayv2_stage'],
    refs: {
      checkov: 'CKV_AWS_76 / CKV_AWS_95',
      cdkNag: 'AwsSolutions-APIG1',
      securityHub: 'APIGateway.1 (related) / APIGateway.9',
    },
    blindSpots: 'Whether the destination log group has retention (TS-LOGS-1 checks the ones defined here).',
    check: (r, s) => {
      const settings = obj(s.value(r, 'access_log_settings'), 'access_log_settings');
      return isSet(settings.destination_arn) && isSet(settings.format)
        ? undefined
        : problem('access_log_settings', 'is not set');
    },
  },
  {
    id: 'TS-APIGW-3',
    severity: 'warning',
    title: 'API Gateway stages publish CloudWatch metrics',
    fix: 'Add aws_api_gateway_method_settings for "*/*" with metrics_enabled = true.',
    appliesTo: ['aws_api_gateway_stage'],
    refs: { checkov: 'CKV2_AWS_4 (related)', cdkNag: 'AwsSolutions-APIG6 (related)' },
    blindSpots: 'Method settings managed outside this configuration.',
    check: (r, s) => {
      const settings = s.ofType('aws_api_gateway_method_settings').filter((m) => {
        const stage = s.value(m, 'stage_name');
        return (
          s.refersTo(stage, r) ||
          (stage === s.value(r, 'stage_name') && s.value(m, 'rest_api_id') === s.value(r, 'rest_api_id'))
        );
      });
      return settings.some(
        (m) => bool(s.value(m, 'settings.metrics_enabled'), `${m.address}.settings.metrics_enabled`) === true,
      )
        ? undefined
        : problem('stage_name', 'no method settings enable metrics for this stage');
    },
  },
  {
    id: 'TS-APIGW-4',
    severity: 'error',
    title: 'API methods require authorization or an API key',
    fix: 'Set an authorizer, or api_key_required = true with a usage plan (TracedRestApi requires the key by default).',
    appliesTo: ['aws_api_gateway_method'],
    refs: { checkov: 'CKV_AWS_59', cdkNag: 'AwsSolutions-APIG4 / AwsSolutions-COG4', securityHub: '-' },
    blindSpots: 'Resource policies of the API; authorization done inside the integration.',
    check: (r, s) => {
      const method = str(s.value(r, 'http_method'), 'http_method');
      if (method === 'OPTIONS') return undefined;
      const authorization = str(s.value(r, 'authorization'), 'authorization') ?? 'NONE';
      const key = bool(s.value(r, 'api_key_required'), 'api_key_required');
      return authorization === 'NONE' && key !== true
        ? problem('authorization', `${method} is open to anyone: authorization NONE and no API key`)
        : undefined;
    },
  },
  {
    id: 'TS-APIGW-5',
    severity: 'warning',
    title: 'Methods that take a body validate it at the edge',
    fix: 'Set request_validator_id (validate_request_body) and request_models with a JSON-schema model (TracedRestApi: bodySchema).',
    appliesTo: ['aws_api_gateway_method'],
    refs: { cdkNag: 'AwsSolutions-APIG2' },
    blindSpots: 'Whether the validator validates the body (validate_request_body) and the model is strict.',
    check: (r, s) => {
      const method = str(s.value(r, 'http_method'), 'http_method') ?? '';
      return BODY_METHODS.includes(method) && !isSet(s.value(r, 'request_validator_id'))
        ? problem('request_validator_id', `${method} accepts any body: no request validator`)
        : undefined;
    },
  },
  {
    id: 'TS-APIGW-6',
    severity: 'error',
    title: 'HTTP API routes require an authorizer',
    fix: 'Set authorization_type (JWT, AWS_IAM or CUSTOM) with an authorizer_id on every route.',
    appliesTo: ['aws_apigatewayv2_route', 'aws_apigatewayv2_api'],
    refs: { checkov: 'CKV_AWS_309', cdkNag: 'AwsSolutions-APIG4 (related)' },
    blindSpots: 'WebSocket routes other than $connect (they cannot have an authorizer); auth done in the integration.',
    check: (r, s) => {
      if (r.type === 'aws_apigatewayv2_api') {
        // Quick create: `target` makes a $default route with no authorizer.
        return isSet(s.value(r, 'target'))
          ? problem('target', 'quick create makes a $default route that anyone can call')
          : undefined;
      }
      const protocol = apiOf(r, s) ? str(s.value(apiOf(r, s) as ResourceView, 'protocol_type'), 'api_id') : 'HTTP';
      const key = str(s.value(r, 'route_key'), 'route_key') ?? '';
      if (protocol === 'WEBSOCKET' && key !== '$connect') return undefined;
      const authorization = str(s.value(r, 'authorization_type'), 'authorization_type') ?? 'NONE';
      return authorization === 'NONE'
        ? problem('authorization_type', `${key} is open to anyone: authorization NONE`)
        : undefined;
    },
  },
  {
    id: 'TS-APIGW-7',
    severity: 'error',
    title: 'APIs defined by an OpenAPI body require auth on every operation',
    fix: 'Give every operation (or the document) a security requirement: an authorizer or the api_key scheme.',
    appliesTo: ['aws_api_gateway_rest_api', 'aws_apigatewayv2_api'],
    refs: { checkov: 'CKV_AWS_59 (related)', cdkNag: 'AwsSolutions-APIG4 (related)' },
    blindSpots: 'A YAML body, or one read by file()/templatefile() (reported as not checked).',
    check: openOperations,
  },
];
