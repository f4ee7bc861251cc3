import { TerraformCount, TerraformLocal, Token } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { AwsContext } from '../modules/core/aws-context';
import { Role, XRAY_WRITE_ACTIONS, policyDocument } from '../modules/core/iam';
import { LOG_RETENTION_DAYS } from '../modules/core/validation';
import {
  APPLICATION_SIGNALS_LAYERS,
  EXEC_WRAPPERS,
  FUNCTION_DEFAULTS,
  LEGACY_COLLECTOR_REGIONS,
  NODE_RUNTIMES,
} from '../modules/traced-function';
import { oneOf, wholeIn, type ModuleSpec } from './framework';

const hclMap = (entries: [string, string][]) => `{ ${entries.map(([k, v]) => `"${k}" = "${v}"`).join(', ')} }`;

/**
 * TracedFunction as a module. The construct bundles the handler at synth; a module takes the built zip
 * by path instead (a module should not carry an application's code, and the path lets a pipeline pass the
 * zip it built and tested). The ADOT layer comes from the same table, as a Terraform map, so a region
 * without a layer fails the plan with a clear message instead of getting a made-up ARN.
 */
export const tracedFunctionModule: ModuleSpec = {
  name: 'traced-function',
  title: 'Traced Node.js Lambda function',
  description:
    'A Node.js Lambda function with active X-Ray tracing, the ADOT layer and exec wrapper for its region and architecture, its own log group with retention, and a role that may only write traces and its own logs (plus VPC network interfaces when in a VPC).',
  variables: [
    {
      name: 'function_name',
      type: 'string',
      description:
        'The function name: 1..59 letters, digits, hyphens and underscores (the role is <function_name>-role).',
      validation: [
        {
          condition: 'can(regex("^[A-Za-z0-9_-]{1,59}$", var.function_name))',
          errorMessage: 'function_name must be 1..59 letters, digits, hyphens and underscores.',
        },
      ],
    },
    {
      name: 'zip_path',
      type: 'string',
      description:
        'Path of the deployment zip (npm run synth writes one per function under cdktf.out/stacks/<stack>/assets/).',
    },
    { name: 'handler', type: 'string', description: 'The handler, module.export.', default: 'index.handler' },
    {
      name: 'runtime',
      type: 'string',
      description: 'The Lambda runtime.',
      default: FUNCTION_DEFAULTS.runtime,
      validation: [oneOf('runtime', NODE_RUNTIMES)],
    },
    {
      name: 'architecture',
      type: 'string',
      description: 'x86_64 or arm64.',
      default: FUNCTION_DEFAULTS.architecture,
      validation: [
        {
          condition: 'contains(["x86_64", "arm64"], var.architecture)',
          errorMessage: 'architecture must be x86_64 or arm64.',
        },
      ],
    },
    {
      name: 'memory_size',
      type: 'number',
      description: 'Memory in MB, 128..10240.',
      default: FUNCTION_DEFAULTS.memorySize,
      validation: [wholeIn('memory_size', 128, 10240)],
    },
    {
      name: 'timeout_seconds',
      type: 'number',
      description: 'Timeout in seconds, 1..900.',
      default: FUNCTION_DEFAULTS.timeoutSeconds,
      validation: [wholeIn('timeout_seconds', 1, 900)],
    },
    {
      name: 'reserved_concurrency',
      type: 'number',
      description: 'Reserved concurrency, >= 1; null leaves the function on the shared pool.',
      default: FUNCTION_DEFAULTS.reservedConcurrency,
      validation: [
        {
          condition:
            'try(var.reserved_concurrency >= 1 && floor(var.reserved_concurrency) == var.reserved_concurrency, var.reserved_concurrency == null)',
          errorMessage: 'reserved_concurrency must be a whole number >= 1, or null.',
        },
      ],
    },
    {
      name: 'environment',
      type: 'map(string)',
      description: 'Environment variables. Keys: letters, digits and underscores, starting with a letter.',
      default: {},
      validation: [
        {
          condition: 'alltrue([for k in keys(var.environment) : can(regex("^[A-Za-z][A-Za-z0-9_]*$", k))])',
          errorMessage: 'environment keys must be letters, digits and underscores, starting with a letter.',
        },
      ],
    },
    {
      name: 'adot',
      type: 'string',
      description:
        'The ADOT layer: "application-signals" (AWSOpenTelemetryDistroJs, /opt/otel-instrument), "legacy-collector" (aws-otel-nodejs-<arch>, /opt/otel-handler) or "none".',
      default: 'application-signals',
      validation: [
        {
          condition: 'contains(["application-signals", "legacy-collector", "none"], var.adot)',
          errorMessage: 'adot must be application-signals, legacy-collector or none.',
        },
      ],
    },
    {
      name: 'log_retention_days',
      type: 'number',
      description: "Days to keep the function's logs: a value CloudWatch Logs accepts.",
      default: FUNCTION_DEFAULTS.logRetentionDays,
      validation: [oneOf('log_retention_days', LOG_RETENTION_DAYS)],
    },
    {
      name: 'vpc_id',
      type: 'string',
      description: 'Run in this VPC (with subnet_ids); null: not in a VPC.',
      default: null,
    },
    {
      name: 'subnet_ids',
      type: 'list(string)',
      description: 'Private subnets for the function when vpc_id is set.',
      default: [],
      validation: [
        {
          condition: '(var.vpc_id == null) == (length(var.subnet_ids) == 0)',
          errorMessage: 'subnet_ids must be given exactly when vpc_id is.',
        },
      ],
    },
  ],
  build(scope, v) {
    const aws = AwsContext.of(scope);
    const { partition: P, region: R, accountId: A } = aws.expressions;
    // Account and version of the layer for the region and mode, from the construct's own table.
    const layerRef = new TerraformLocal(
      scope,
      'layer_ref',
      `\${var.adot == "application-signals" ? lookup(${hclMap(
        Object.entries(APPLICATION_SIGNALS_LAYERS).map(([region, [account, version]]) => [
          region,
          `${account}:layer:AWSOpenTelemetryDistroJs:${version}`,
        ]),
      )}, ${R}, null) : (var.adot == "legacy-collector" && contains(${JSON.stringify(LEGACY_COLLECTOR_REGIONS)}, ${R}) ? "901920570463:layer:aws-otel-nodejs-\${var.architecture == "arm64" ? "arm64" : "amd64"}-ver-1-30-2:1" : null)}`,
    );
    const layerArn = new TerraformLocal(
      scope,
      'layer_arn',
      `\${${layerRef.fqn} == null ? null : "arn:\${${P}}:lambda:\${${R}}:\${${layerRef.fqn}}"}`,
    );
    new TerraformLocal(
      scope,
      'exec_wrapper',
      `\${var.adot == "application-signals" ? "${EXEC_WRAPPERS['application-signals']}" : (var.adot == "legacy-collector" ? "${EXEC_WRAPPERS['legacy-collector']}" : null)}`,
    );
    // Counted by the subnet list's length, known at plan even when the subnets are new (their ids are not).
    const inVpc = () => TerraformCount.of(Token.asNumber('${length(var.subnet_ids) > 0 ? 1 : 0}'));

    const logs = new CloudwatchLogGroup(scope, 'logs', {
      name: `/aws/lambda/${v.function_name.stringValue}`,
      retentionInDays: v.log_retention_days.numberValue,
    });
    const role = new Role(scope, 'role', {
      name: `${v.function_name.stringValue}-role`,
      description: 'Execution role of a traced Lambda function',
      assumedBy: 'lambda.amazonaws.com',
    });
    role.addToPolicy({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${logs.arn}:log-stream:*`],
    });
    role.addToPolicy({ sid: 'WriteTraces', actions: XRAY_WRITE_ACTIONS, resources: ['*'] });
    const signalsPolicy = new IamRolePolicyAttachment(scope, 'application-signals-policy', {
      count: TerraformCount.of(Token.asNumber('${var.adot == "application-signals" ? 1 : 0}')),
      role: role.name,
      policyArn: `arn:${aws.partition}:iam::aws:policy/CloudWatchLambdaApplicationSignalsExecutionRolePolicy`,
    });

    const sg = new SecurityGroup(scope, 'security-group', {
      count: inVpc(),
      name: `${v.function_name.stringValue}-lambda`,
      description: 'Lambda function: no inbound, HTTPS out',
      vpcId: v.vpc_id.stringValue,
      revokeRulesOnDelete: true,
    });
    new VpcSecurityGroupEgressRule(scope, 'https-out', {
      count: inVpc(),
      securityGroupId: `\${${sg.fqn}[0].id}`,
      description: 'HTTPS to AWS service endpoints (through the NAT gateway or VPC endpoints)',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
    });
    const eniDoc = policyDocument(scope, 'vpc-permissions', [
      {
        sid: 'ManageVpcNetworkInterfaces',
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: Token.asList(
          `\${concat(["arn:\${${P}}:ec2:\${${R}}:\${${A}}:network-interface/*"], [for s in aws_security_group.security-group : "arn:\${${P}}:ec2:\${${R}}:\${${A}}:security-group/\${s.id}"], [for s in var.subnet_ids : "arn:\${${P}}:ec2:\${${R}}:\${${A}}:subnet/\${s}"])}`,
        ),
      },
      {
        sid: 'DescribeVpcNetworkInterfaces',
        actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
        resources: ['*'],
      },
    ]);
    const eniPolicy = new IamRolePolicy(scope, 'vpc-policy', {
      count: inVpc(),
      name: `${v.function_name.stringValue}-vpc`,
      role: role.resource.id,
      policy: eniDoc.json,
    });

    const fn = new LambdaFunction(scope, 'function', {
      functionName: v.function_name.stringValue,
      role: role.arn,
      filename: v.zip_path.stringValue,
      sourceCodeHash: `\${filebase64sha256(var.zip_path)}`,
      handler: v.handler.stringValue,
      runtime: v.runtime.stringValue,
      architectures: [v.architecture.stringValue],
      memorySize: v.memory_size.numberValue,
      timeout: v.timeout_seconds.numberValue,
      reservedConcurrentExecutions: v.reserved_concurrency.numberValue,
      tracingConfig: { mode: 'Active' },
      layers: Token.asList('${local.layer_arn == null ? [] : [local.layer_arn]}'),
      environment: {
        variables: Token.asStringMap(
          '${merge(var.environment, { NODE_OPTIONS = "--enable-source-maps" }, local.exec_wrapper == null ? {} : { AWS_LAMBDA_EXEC_WRAPPER = local.exec_wrapper })}',
        ),
      },
      vpcConfig: {
        subnetIds: v.subnet_ids.listValue,
        securityGroupIds: Token.asList('${aws_security_group.security-group[*].id}'),
      },
      lifecycle: {
        precondition: [
          {
            condition: '${var.adot == "none" || local.layer_arn != null}',
            errorMessage:
              'No ADOT layer of the chosen kind is published in this region: pick another adot mode or region (the module never makes an ARN up).',
          },
        ],
      },
      dependsOn: [logs, ...role.dependables, signalsPolicy, eniPolicy],
    });
    return {
      function_name: { value: fn.functionName, description: 'The function name' },
      function_arn: { value: fn.arn, description: 'The function ARN' },
      invoke_arn: { value: fn.invokeArn, description: 'The ARN API Gateway integrations call' },
      role_arn: { value: role.arn, description: 'The execution role ARN' },
      role_name: {
        value: role.name,
        description: 'The execution role name (grant more to it, e.g. with the traced-queue module)',
      },
      log_group_name: { value: logs.name, description: "The function's log group" },
      layer_arn: { value: layerArn.asString, description: 'The ADOT layer in use, or null' },
    };
  },
  example: {
    function_name: '"dev-enquiry-consumer"',
    zip_path: 'var.zip_path',
    timeout_seconds: '10',
    environment: '{ LOG_LEVEL = "info" }',
  },
  exampleVariables: { zip_path: 'Path of the deployment zip (npm run synth builds one per function)' },
};
