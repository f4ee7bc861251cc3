import type { PolicyRule } from '../types';

type Json = Record<string, unknown>;
const BODY_METHODS = ['POST', 'PUT', 'PATCH'];

export const apiGatewayRules: PolicyRule[] = [
  {
    id: 'TS-APIGW-1',
    severity: 'error',
    title: 'API Gateway stages have X-Ray tracing',
    fix: 'Set xray_tracing_enabled = true on the stage.',
    appliesTo: ['aws_api_gateway_stage'],
    refs: { checkov: 'CKV_AWS_73', securityHub: 'APIGateway.3' },
    check: (r) => (r.attrs.xray_tracing_enabled === true ? undefined : 'xray_tracing_enabled is not true'),
  },
  {
    id: 'TS-APIGW-2',
    severity: 'error',
    title: 'API Gateway stages write access logs',
    fix: 'Set access_log_settings with a destination log group and a format.',
    appliesTo: ['aws_api_gateway_stage'],
    refs: { checkov: 'CKV_AWS_76', cdkNag: 'AwsSolutions-APIG1', securityHub: 'APIGateway.1 (related)' },
    check: (r) => {
      const settings = r.attrs.access_log_settings as Json | undefined;
      return settings?.destination_arn && settings?.format ? undefined : 'access_log_settings is not set';
    },
  },
  {
    id: 'TS-APIGW-3',
    severity: 'warning',
    title: 'API Gateway stages publish CloudWatch metrics',
    fix: 'Add aws_api_gateway_method_settings for "*/*" with metrics_enabled = true.',
    appliesTo: ['aws_api_gateway_stage'],
    refs: { checkov: 'CKV2_AWS_4 (related)', cdkNag: 'AwsSolutions-APIG6 (related)' },
    check: (r, s) => {
      const settings = s.ofType('aws_api_gateway_method_settings').filter((m) => {
        const stage = s.referenced(m.attrs.stage_name);
        return stage
          ? stage.address === r.address
          : m.attrs.stage_name === r.attrs.stage_name && m.attrs.rest_api_id === r.attrs.rest_api_id;
      });
      return settings.some((m) => (m.attrs.settings as Json | undefined)?.metrics_enabled === true)
        ? undefined
        : 'no method settings enable metrics for this stage';
    },
  },
  {
    id: 'TS-APIGW-4',
    severity: 'error',
    title: 'API methods require authorization or an API key',
    fix: 'Set an authorizer, or api_key_required = true with a usage plan (TracedRestApi requires the key by default).',
    appliesTo: ['aws_api_gateway_method'],
    refs: { checkov: 'CKV_AWS_59', cdkNag: 'AwsSolutions-APIG4' },
    check: (r) => {
      if (r.attrs.http_method === 'OPTIONS') return undefined;
      const open = (r.attrs.authorization ?? 'NONE') === 'NONE' && r.attrs.api_key_required !== true;
      return open ? `${r.attrs.http_method} is open to anyone: authorization NONE and no API key` : undefined;
    },
  },
  {
    id: 'TS-APIGW-5',
    severity: 'warning',
    title: 'Methods that take a body validate it at the edge',
    fix: 'Set request_validator_id (validate_request_body) and request_models with a JSON-schema model (TracedRestApi: bodySchema).',
    appliesTo: ['aws_api_gateway_method'],
    refs: { cdkNag: 'AwsSolutions-APIG2' },
    check: (r) =>
      BODY_METHODS.includes(String(r.attrs.http_method)) && !r.attrs.request_validator_id
        ? `${r.attrs.http_method} accepts any body: no request validator`
        : undefined,
  },
];
