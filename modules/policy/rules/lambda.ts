import { layerMismatches, type Architecture } from '../../traced-function/layers';
import { problem, type PolicyRule } from '../types';
import { isExpression, isSet, list, num, str, strings } from '../values';

const ADOT_LAYER = /:layer:(AWSOpenTelemetryDistroJs|aws-otel-nodejs-)/;

export const lambdaRules: PolicyRule[] = [
  {
    id: 'TS-LAMBDA-1',
    severity: 'error',
    title: 'Lambda functions have active X-Ray tracing',
    fix: 'Set tracing_config { mode = "Active" } (TracedFunction does).',
    appliesTo: ['aws_lambda_function'],
    refs: { checkov: 'CKV_AWS_50', securityHub: 'Lambda.7' },
    blindSpots: 'Tracing turned on outside Terraform (console, another stack).',
    check: (r, s) =>
      str(s.value(r, 'tracing_config.mode'), 'tracing_config.mode') === 'Active'
        ? undefined
        : problem('tracing_config.mode', 'is not "Active"'),
  },
  {
    id: 'TS-LAMBDA-2',
    severity: 'warning',
    title: 'Lambda functions have reserved concurrency',
    fix: 'Set reserved_concurrent_executions, so one function cannot exhaust the account pool (TracedFunction: reservedConcurrency).',
    appliesTo: ['aws_lambda_function'],
    refs: { checkov: 'CKV_AWS_115' },
    blindSpots: 'Whether the reserved value fits the account limit.',
    check: (r, s) => {
      const reserved = num(s.value(r, 'reserved_concurrent_executions'), 'reserved_concurrent_executions');
      return reserved === undefined || reserved < 0
        ? problem('reserved_concurrent_executions', 'is not set')
        : undefined;
    },
  },
  {
    id: 'TS-LAMBDA-3',
    severity: 'error',
    title: 'Lambda functions log to a log group with retention',
    fix: 'Create /aws/lambda/<function_name> (or the logging_config log group) in Terraform with retention_in_days.',
    appliesTo: ['aws_lambda_function'],
    refs: { checkov: 'CKV_AWS_66 (on the group)', securityHub: 'CloudWatch.16 (on the group)' },
    blindSpots: 'A log group created outside this configuration (it is reported as missing).',
    check: (r, s) => {
      const configured = s.value(r, 'logging_config.log_group');
      const field = configured === undefined ? 'function_name' : 'logging_config.log_group';
      const groups = s.ofType('aws_cloudwatch_log_group');
      let group = configured === undefined ? undefined : groups.find((g) => s.refersTo(configured, g));
      if (!group) {
        const name =
          configured === undefined
            ? `/aws/lambda/${str(s.value(r, 'function_name'), 'function_name')}`
            : str(configured, 'logging_config.log_group');
        group = groups.find((g) => s.value(g, 'name') === name || s.refersTo(name, g));
        if (!group) {
          return problem(
            field,
            `no aws_cloudwatch_log_group named ${name} in this configuration: Lambda would create one that keeps logs forever`,
          );
        }
      }
      const retention = num(s.value(group, 'retention_in_days'), `${group.address}.retention_in_days`);
      return retention !== undefined && retention > 0 ? undefined : problem(field, `${group.address} has no retention`);
    },
  },
  {
    id: 'TS-LAMBDA-4',
    severity: 'error',
    title: 'The ADOT layer, exec wrapper, region and architecture match',
    fix: "Use AWSOpenTelemetryDistroJs with /opt/otel-instrument, or aws-otel-nodejs-<arch> with /opt/otel-handler, from the function's region (TracedFunction picks them).",
    appliesTo: ['aws_lambda_function'],
    refs: {},
    blindSpots: 'Layers given as a variable without a default, or by an expression; other languages than Node.js.',
    check: (r, s) => {
      const wrapper = str(
        s.value(r, 'environment.variables.AWS_LAMBDA_EXEC_WRAPPER'),
        'environment.variables.AWS_LAMBDA_EXEC_WRAPPER',
      );
      const all = list(s.value(r, 'layers'), 'layers');
      const adot = all.filter((l) => typeof l === 'string' && ADOT_LAYER.test(l)) as string[];
      if (adot.length === 0) {
        if (all.some(isExpression)) strings(all, 'layers'); // an unknown layer may be the ADOT one: not checked
        return wrapper?.startsWith('/opt/otel')
          ? problem('layers', `AWS_LAMBDA_EXEC_WRAPPER=${wrapper} but no ADOT layer`)
          : undefined;
      }
      if (adot.length > 1) return problem('layers', `more than one ADOT layer: ${adot.join(', ')}`);
      // The usual `arn:${partition}:lambda:${region}:...` form reads as the provider's partition and region.
      const layer = adot[0]
        .replace(/\$\{data\.aws_partition\.[\w-]+\.partition\}/g, 'aws')
        .replace(/\$\{data\.aws_region\.[\w-]+\.(name|region|id)\}/g, s.region ?? '$&');
      str(layer, 'layers');
      const architecture = (strings(s.value(r, 'architectures'), 'architectures')[0] ?? 'x86_64') as Architecture;
      const region = s.region ?? /:lambda:([^:]+):/.exec(layer)?.[1] ?? '';
      const problems = layerMismatches(layer, wrapper, region, architecture);
      return problems.map((p) => problem('layers', p));
    },
  },
  {
    id: 'TS-LAMBDA-5',
    severity: 'error',
    title: 'Lambda permissions for AWS services name a source ARN',
    fix: 'Set source_arn (e.g. the API stage/method ARN), so no other resource of that service can invoke the function.',
    appliesTo: ['aws_lambda_permission'],
    refs: { securityHub: 'Lambda.1 (related)' },
    blindSpots: 'Whether the source ARN is narrow enough (a wildcard stage or method is accepted).',
    check: (r, s) => {
      const principal = str(s.value(r, 'principal'), 'principal') ?? '';
      if (!principal.endsWith('.amazonaws.com')) return undefined;
      return isSet(s.value(r, 'source_arn'))
        ? undefined
        : problem('source_arn', `principal ${principal} may invoke from any source: source_arn is not set`);
    },
  },
  {
    id: 'TS-LAMBDA-6',
    severity: 'error',
    title: 'Lambda permissions do not let everyone invoke',
    fix: 'Name the principal (a service with source_arn, or an account); for a public HTTPS endpoint put API Gateway with auth in front.',
    appliesTo: ['aws_lambda_permission'],
    refs: { checkov: 'CKV_AWS_301', securityHub: 'Lambda.1' },
    blindSpots: 'Function policies attached outside Terraform.',
    check: (r, s) => {
      const principal = str(s.value(r, 'principal'), 'principal');
      if (principal !== '*') return undefined;
      if (isSet(s.value(r, 'principal_org_id')) || isSet(s.value(r, 'source_account'))) return undefined;
      const url = str(s.value(r, 'function_url_auth_type'), 'function_url_auth_type');
      return problem(
        'principal',
        url === 'NONE'
          ? 'is "*" with function_url_auth_type NONE: anyone on the internet can invoke'
          : 'is "*": anyone can invoke',
      );
    },
  },
  {
    id: 'TS-LAMBDA-7',
    severity: 'error',
    title: 'Function URLs require IAM authentication',
    fix: 'Set authorization_type = "AWS_IAM", or serve the function through API Gateway with an authorizer.',
    appliesTo: ['aws_lambda_function_url'],
    refs: { checkov: 'CKV_AWS_258', securityHub: 'Lambda.1 (related)' },
    blindSpots: 'Authentication done inside the function code.',
    check: (r, s) =>
      str(s.value(r, 'authorization_type'), 'authorization_type') === 'AWS_IAM'
        ? undefined
        : problem('authorization_type', 'is NONE: the URL is public'),
  },
  {
    id: 'TS-LOGS-1',
    severity: 'error',
    title: 'Log groups have a retention period',
    fix: 'Set retention_in_days to a CloudWatch value.',
    appliesTo: ['aws_cloudwatch_log_group'],
    refs: { checkov: 'CKV_AWS_66', securityHub: 'CloudWatch.16' },
    blindSpots: 'Log groups created by services at run time (see TS-LAMBDA-3, TS-ECS-7).',
    check: (r, s) => {
      const retention = num(s.value(r, 'retention_in_days'), 'retention_in_days');
      return retention !== undefined && retention > 0
        ? undefined
        : problem('retention_in_days', 'is not set: logs are kept forever');
    },
  },
];
