import { layerMismatches, type Architecture } from '../../traced-function/layers';
import type { PolicyRule } from '../types';
import { referenceAddress } from '../view';

type Json = Record<string, unknown>;
const env = (attrs: Json): Json => ((attrs.environment as Json | undefined)?.variables as Json | undefined) ?? {};

export const lambdaRules: PolicyRule[] = [
  {
    id: 'TS-LAMBDA-1',
    severity: 'error',
    title: 'Lambda functions have active X-Ray tracing',
    fix: 'Set tracing_config { mode = "Active" } (TracedFunction does).',
    appliesTo: ['aws_lambda_function'],
    refs: { checkov: 'CKV_AWS_50', securityHub: 'Lambda.7' },
    check: (r) =>
      (r.attrs.tracing_config as Json | undefined)?.mode === 'Active'
        ? undefined
        : 'tracing_config.mode is not "Active"',
  },
  {
    id: 'TS-LAMBDA-2',
    severity: 'warning',
    title: 'Lambda functions have reserved concurrency',
    fix: 'Set reserved_concurrent_executions, so one function cannot exhaust the account pool (TracedFunction: reservedConcurrency).',
    appliesTo: ['aws_lambda_function'],
    refs: { checkov: 'CKV_AWS_115' },
    check: (r) =>
      typeof r.attrs.reserved_concurrent_executions === 'number'
        ? undefined
        : 'reserved_concurrent_executions is not set',
  },
  {
    id: 'TS-LAMBDA-3',
    severity: 'error',
    title: 'Lambda functions log to a log group with retention',
    fix: 'Create /aws/lambda/<function_name> (or the logging_config log group) in Terraform with retention_in_days.',
    appliesTo: ['aws_lambda_function'],
    refs: { checkov: 'CKV_AWS_66 (on the group)', securityHub: 'CloudWatch.16 (on the group)' },
    check: (r, s) => {
      const configured = (r.attrs.logging_config as Json | undefined)?.log_group;
      const name = configured ?? `/aws/lambda/${r.attrs.function_name}`;
      const group = s
        .ofType('aws_cloudwatch_log_group')
        .find(
          (g) =>
            g.attrs.name === name || referenceAddress(configured) === g.address || referenceAddress(name) === g.address,
        );
      if (!group)
        return `no aws_cloudwatch_log_group named ${name} in the stack: Lambda would create one that keeps logs forever`;
      return typeof group.attrs.retention_in_days === 'number' && group.attrs.retention_in_days > 0
        ? undefined
        : `${group.address} has no retention`;
    },
  },
  {
    id: 'TS-LAMBDA-4',
    severity: 'error',
    title: 'The ADOT layer, exec wrapper, region and architecture match',
    fix: "Use AWSOpenTelemetryDistroJs with /opt/otel-instrument, or aws-otel-nodejs-<arch> with /opt/otel-handler, from the function's region (TracedFunction picks them).",
    appliesTo: ['aws_lambda_function'],
    refs: {},
    check: (r, s) => {
      const wrapper = env(r.attrs).AWS_LAMBDA_EXEC_WRAPPER as string | undefined;
      const layers = ((r.attrs.layers as string[] | undefined) ?? []).filter((l) =>
        /:layer:(AWSOpenTelemetryDistroJs|aws-otel-nodejs-)/.test(l),
      );
      if (layers.length === 0)
        return wrapper?.startsWith('/opt/otel') ? `AWS_LAMBDA_EXEC_WRAPPER=${wrapper} but no ADOT layer` : undefined;
      if (layers.length > 1) return `more than one ADOT layer: ${layers.join(', ')}`;
      const architecture = (((r.attrs.architectures as string[] | undefined) ?? ['x86_64'])[0] ??
        'x86_64') as Architecture;
      const region = s.region ?? /:lambda:([^:]+):/.exec(layers[0])?.[1] ?? '';
      const problems = layerMismatches(layers[0], wrapper, region, architecture);
      return problems.length > 0 ? problems.join('; ') : undefined;
    },
  },
  {
    id: 'TS-LAMBDA-5',
    severity: 'error',
    title: 'Lambda permissions for AWS services name a source ARN',
    fix: 'Set source_arn (e.g. the API stage/method ARN), so no other resource of that service can invoke the function.',
    appliesTo: ['aws_lambda_permission'],
    refs: { securityHub: 'Lambda.1 (related)' },
    check: (r) => {
      const principal = String(r.attrs.principal ?? '');
      if (!principal.endsWith('.amazonaws.com')) return undefined;
      return r.attrs.source_arn
        ? undefined
        : `principal ${principal} may invoke from any source: source_arn is not set`;
    },
  },
  {
    id: 'TS-LOGS-1',
    severity: 'error',
    title: 'Log groups have a retention period',
    fix: 'Set retention_in_days to a CloudWatch value.',
    appliesTo: ['aws_cloudwatch_log_group'],
    refs: { checkov: 'CKV_AWS_66', securityHub: 'CloudWatch.16' },
    check: (r) =>
      typeof r.attrs.retention_in_days === 'number' && r.attrs.retention_in_days > 0
        ? undefined
        : 'retention_in_days is not set: logs are kept forever',
  },
];
