import * as path from 'node:path';
import { Testing } from 'cdktf';
import { TracedFunction, type TracedFunctionProps } from '../modules';
import { RESERVED_ENVIRONMENT_KEYS } from '../modules/traced-function/inputs';
import { MODULES, synthModule } from '../terraform-modules';
import { errorOf, resources, synth, testStack, type Synthesized } from './helpers';
import { hasTerraform, validationFailures } from './support/parity';

const entry = path.join(__dirname, '..', 'handlers', 'sqs-consumer.ts');
const VPC_ID = 'vpc-0123456789abcdef0';
const SUBNET_A = 'subnet-0123456789abcdef0';
const SUBNET_B = 'subnet-0fedcba9876543210';
const base: TracedFunctionProps = { functionName: 'orders', entry, region: 'us-west-2' };
const build = (props: Partial<TracedFunctionProps> = {}, after?: (fn: TracedFunction) => void) =>
  synth((stack) => {
    const fn = new TracedFunction(stack, 'fn', { ...base, ...props });
    after?.(fn);
  });
type Doc = { statement: { sid: string; actions: string[]; resources: string[] }[] };
const policy = (s: Synthesized) => s.data.aws_iam_policy_document['fn_role_permissions'] as unknown as Doc;

describe('TracedFunction defaults', () => {
  const s = build();
  const fn = resources(s, 'aws_lambda_function').fn_function;

  it('is traced, capped and runs the bundle', () => {
    expect(fn).toMatchObject({
      function_name: 'orders',
      runtime: 'nodejs22.x',
      architectures: ['x86_64'],
      memory_size: 256,
      timeout: 10,
      reserved_concurrent_executions: 10,
      handler: 'index.handler',
      tracing_config: { mode: 'Active' },
      layers: ['arn:aws:lambda:us-west-2:615299751070:layer:AWSOpenTelemetryDistroJs:15'],
      environment: {
        variables: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument', NODE_OPTIONS: '--enable-source-maps' },
      },
    });
    expect(fn.filename).toMatch(/^assets\/fn_code\/[0-9a-f]{32}\/function\.zip$/);
    expect(fn.source_code_hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(fn.depends_on).toEqual([
      'aws_cloudwatch_log_group.fn_logs',
      'aws_iam_role.fn_role',
      'aws_iam_role_policy.fn_role_policy',
      'aws_iam_role_policy_attachment.fn_role_policy-CloudWatchLambdaApplicationSignalsExecutionRolePolicy',
    ]);
  });

  it('has its log group with retention', () => {
    expect(resources(s, 'aws_cloudwatch_log_group').fn_logs).toMatchObject({
      name: '/aws/lambda/orders',
      retention_in_days: 30,
    });
  });

  it('may only write traces and its own logs', () => {
    expect(policy(s).statement).toEqual([
      expect.objectContaining({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: ['${aws_cloudwatch_log_group.fn_logs.arn}:log-stream:*'],
      }),
      expect.objectContaining({
        sid: 'WriteTraces',
        actions: [
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
          'xray:GetSamplingStatisticSummaries',
        ],
        resources: ['*'],
      }),
    ]);
    expect(Object.values(resources(s, 'aws_iam_role_policy_attachment')).map((a) => a.policy_arn)).toEqual([
      'arn:aws:iam::aws:policy/CloudWatchLambdaApplicationSignalsExecutionRolePolicy',
    ]);
    expect(resources(s, 'aws_iam_role').fn_role.name).toBe('orders-role');
  });
});

describe('TracedFunction options', () => {
  it('legacy-collector on arm64 gets its own layer and wrapper, and no Application Signals policy', () => {
    const s = build({
      adot: 'legacy-collector',
      architecture: 'arm64',
      runtime: 'nodejs24.x',
      reservedConcurrency: 'unreserved',
    });
    const fn = resources(s, 'aws_lambda_function').fn_function;
    expect(fn).toMatchObject({
      runtime: 'nodejs24.x',
      architectures: ['arm64'],
      layers: ['arn:aws:lambda:us-west-2:901920570463:layer:aws-otel-nodejs-arm64-ver-1-30-2:1'],
      environment: { variables: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-handler' } },
    });
    expect(fn.reserved_concurrent_executions).toBe(-1);
    expect(resources(s, 'aws_iam_role_policy_attachment')).toEqual({});
  });

  it("adot: 'none' has no layer and no wrapper, but stays traced", () => {
    const fn = resources(build({ adot: 'none' }), 'aws_lambda_function').fn_function;
    expect(fn.layers).toBeUndefined();
    expect((fn.environment as { variables: object }).variables).toEqual({ NODE_OPTIONS: '--enable-source-maps' });
    expect(fn.tracing_config).toEqual({ mode: 'Active' });
  });

  it('in a VPC: a security group with HTTPS out only, and the ENI permissions the Lambda guide documents', () => {
    const s = build({ vpc: { vpcId: VPC_ID, subnetIds: [SUBNET_A, SUBNET_B] } });
    expect(resources(s, 'aws_lambda_function').fn_function.vpc_config).toEqual({
      subnet_ids: [SUBNET_A, SUBNET_B],
      security_group_ids: ['${aws_security_group.fn_security-group.id}'],
    });
    expect(resources(s, 'aws_security_group')['fn_security-group'].ingress).toBeUndefined();
    expect(resources(s, 'aws_vpc_security_group_egress_rule')['fn_https-out']).toMatchObject({
      from_port: 443,
      to_port: 443,
      ip_protocol: 'tcp',
    });
    // The form the Lambda guide documents (AWSLambdaVPCAccessExecutionRole's actions on "*"), in its own
    // policy that exists only in a VPC; the role's main policy stays as it was.
    const vpcAccess = s.data.aws_iam_policy_document['fn_vpc-access_permissions'] as unknown as Doc;
    expect(vpcAccess.statement).toEqual([
      expect.objectContaining({
        sid: 'ManageVpcNetworkInterfaces',
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }),
    ]);
    expect(policy(s).statement.map((st) => st.sid)).toEqual(['WriteOwnLogs', 'WriteTraces']);
    expect(resources(s, 'aws_lambda_function').fn_function.depends_on).toContain(
      'aws_iam_role_policy.fn_vpc-access_policy',
    );
  });

  it('takes a zip built elsewhere instead of an entry, hashed by Terraform', () => {
    const fn = resources(
      build({ entry: undefined, zipPath: '/builds/orders.zip', handlerExport: 'main' }),
      'aws_lambda_function',
    ).fn_function;
    expect(fn).toMatchObject({
      filename: '/builds/orders.zip',
      source_code_hash: '${filebase64sha256("/builds/orders.zip")}',
      handler: 'index.main',
    });
  });

  it('alarms on errors and throttles, and on log lines, telling the alarm actions', () => {
    const ops = 'arn:aws:sns:us-west-2:111122223333:ops';
    const s = build({
      alarmActions: [ops],
      logAlarms: [
        {
          name: 'enquiry-not-queued',
          pattern: '{ $.message = "enquiry not queued; replay it from this log line" }',
          description: 'An enquiry was answered but not queued: replay it from the log line.',
        },
      ],
    });
    const alarms = resources(s, 'aws_cloudwatch_metric_alarm');
    expect(alarms['fn_errors-alarm']).toMatchObject({
      alarm_name: 'orders-errors',
      namespace: 'AWS/Lambda',
      metric_name: 'Errors',
      dimensions: { FunctionName: '${aws_lambda_function.fn_function.function_name}' },
      alarm_actions: [ops],
      ok_actions: [ops],
    });
    expect(alarms['fn_throttles-alarm']).toMatchObject({ alarm_name: 'orders-throttles', metric_name: 'Throttles' });
    expect(resources(s, 'aws_cloudwatch_log_metric_filter')['fn_log-filter-enquiry-not-queued']).toMatchObject({
      name: 'orders-enquiry-not-queued',
      log_group_name: '${aws_cloudwatch_log_group.fn_logs.name}',
      pattern: '{ $.message = "enquiry not queued; replay it from this log line" }',
      metric_transformation: { namespace: 'TracedFunction/Logs', name: 'orders-enquiry-not-queued', value: '1' },
    });
    expect(alarms['fn_log-alarm-enquiry-not-queued']).toMatchObject({
      alarm_name: 'orders-enquiry-not-queued',
      namespace: 'TracedFunction/Logs',
      metric_name: 'orders-enquiry-not-queued',
      statistic: 'Sum',
      alarm_actions: [ops],
    });
  });

  it('refuses to overwrite an environment variable with another value', () => {
    expect(
      errorOf((stack) => {
        const fn = new TracedFunction(stack, 'fn', { ...base, environment: { MODE: 'a' } });
        fn.addEnvironment('MODE', 'b');
      }),
    ).toBe('TracedFunction "test/fn": environment key MODE is already set to a different value');
  });
});

describe('TracedFunction validation', () => {
  const fails = (props: Partial<TracedFunctionProps>) =>
    errorOf((stack) => new TracedFunction(stack, 'fn', { ...base, ...props }));

  it.each<[Partial<TracedFunctionProps>, string]>([
    [
      { functionName: 'has space' },
      'functionName must be 1..64 letters, digits, hyphens and underscores, got "has space"',
    ],
    [
      { functionName: 'x'.repeat(60) },
      `functionName must be at most 59 characters (the role is named <functionName>-role, 64 at most), got "${'x'.repeat(60)}"`,
    ],
    [{ runtime: 'nodejs20.x' as never }, 'runtime must be one of "nodejs22.x", "nodejs24.x", got "nodejs20.x"'],
    [{ architecture: 'amd64' as never }, 'architecture must be one of "x86_64", "arm64", got "amd64"'],
    [{ memorySize: 64 }, 'memorySize must be a whole number in 128..10240, got 64'],
    [{ timeoutSeconds: 901 }, 'timeoutSeconds must be a whole number in 1..900, got 901'],
    [
      { reservedConcurrency: 0 },
      "reservedConcurrency must be a whole number in 1..100000, or 'unreserved' (-1 in a module), got 0",
    ],
    [
      { logRetentionDays: 10 },
      expect.stringContaining('logRetentionDays must be a retention CloudWatch Logs accepts') as never,
    ],
    [{ adot: 'yes' as never }, 'adot must be one of "application-signals", "legacy-collector", "none", got "yes"'],
    [
      { environment: { '1BAD': 'x' } },
      'environment key must be letters, digits and underscores, starting with a letter, got "1BAD"',
    ],
    [{ vpc: { vpcId: VPC_ID, subnetIds: [] } }, 'vpc.subnetIds must be a non-empty list, got []'],
    [
      { vpc: { vpcId: '', subnetIds: [SUBNET_A] } },
      'vpc.vpcId must be a VPC id (vpc- and 8 or 17 hexadecimal digits), got ""',
    ],
    [
      { vpc: { vpcId: VPC_ID, subnetIds: [SUBNET_A, 'subnet-a'] } },
      'vpc.subnetIds[1] must be a subnet id (subnet- and 8 or 17 hexadecimal digits), got "subnet-a"',
    ],
    [
      { environment: { AWS_REGION: 'eu-west-1' } },
      `environment key must be none of the keys Lambda reserves (${RESERVED_ENVIRONMENT_KEYS.join(', ')}), got "AWS_REGION"`,
    ],
    [
      { environment: { BIG: 'x'.repeat(4019) } },
      "environment must be at most 4021 bytes of keys and values (Lambda's 4 KB, less the 75 the construct sets), got 4022 bytes",
    ],
    [{ description: 'd'.repeat(257) }, `description must be 0..256 characters long, got "${'d'.repeat(257)}"`],
    [{ handlerExport: 'not-an-identifier' }, 'handlerExport must be a JavaScript identifier, got "not-an-identifier"'],
  ])('%j', (props, message) => {
    expect(fails(props)).toEqual(typeof message === 'string' ? `TracedFunction "test/fn": ${message}` : message);
  });

  it('takes exactly one of entry and zipPath', () => {
    const rule = 'zipPath must be given when entry is not, and not with entry (exactly one of entry and zipPath)';
    expect(fails({ zipPath: '/builds/orders.zip' })).toBe(
      `TracedFunction "test/fn": ${rule}, got "/builds/orders.zip"`,
    );
    expect(fails({ entry: undefined })).toBe(`TracedFunction "test/fn": ${rule}, got undefined`);
  });

  it('refuses a reserved key or an environment over 4 KB from a grant too', () => {
    const added = (add: (fn: TracedFunction) => void) =>
      errorOf((stack) => add(new TracedFunction(stack, 'fn', { ...base, environment: { A: 'x'.repeat(3900) } })));
    expect(added((fn) => fn.addEnvironment('AWS_LAMBDA_FUNCTION_NAME', 'x'))).toBe(
      `TracedFunction "test/fn": environment key must be none of the keys Lambda reserves (${RESERVED_ENVIRONMENT_KEYS.join(', ')}), got "AWS_LAMBDA_FUNCTION_NAME"`,
    );
    expect(added((fn) => fn.addEnvironment('QUEUE_URL', 'q'.repeat(200)))).toBe(
      'TracedFunction "test/fn": environment must be at most 4096 bytes of keys and values in all (Lambda\'s 4 KB, with what the construct and grants set), got 4185 bytes',
    );
  });

  it('refuses a handlerExport the entry does not export, at synth, naming the function', () => {
    const { stack } = testStack();
    new TracedFunction(stack, 'fn', { ...base, handlerExport: 'main' });
    expect(() => Testing.synth(stack)).toThrow(
      'TracedFunction "test/fn": handlerExport must be one of the exports of handlers/sqs-consumer.ts (METRIC_NAMESPACE, handler, processRecord, producerLinks), got "main"',
    );
  });

  it('refuses a name another function of the app creates, naming both', () => {
    expect(
      errorOf((stack) => {
        new TracedFunction(stack, 'a', base);
        new TracedFunction(stack, 'b', base);
      }),
    ).toBe(
      'TracedFunction "test/b": functionName must name a Lambda function no other construct of the app creates in the same account and region (TracedFunction "test/a" creates it too, from functionName; give each environment its own names, or pin distinct accounts or regions on the providers), got "orders"',
    );
  });

  it('names a missing entry and where it looked', () => {
    const root = path.resolve(__dirname, '..');
    expect(fails({ entry: 'handlers/nope.ts' })).toBe(
      `TracedFunction "test/fn": entry must be an existing file, got "handlers/nope.ts" (resolved against the project root ${root} to ${path.join(root, 'handlers', 'nope.ts')})`,
    );
    expect(fails({ entry: '/nowhere/handler.ts' })).toBe(
      'TracedFunction "test/fn": entry must be an existing file, got "/nowhere/handler.ts"',
    );
  });

  it('resolves a relative entry against the project root, from any subfolder', () => {
    const cwd = process.cwd();
    process.chdir(path.join(__dirname, 'fixtures'));
    try {
      const fn = synth((stack) => new TracedFunction(stack, 'fn', { ...base, entry: 'handlers/sqs-consumer.ts' }));
      expect(Object.keys(resources(fn, 'aws_lambda_function'))).toEqual(['fn_function']);
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses a region with no ADOT layer instead of inventing an ARN', () => {
    expect(fails({ region: 'us-gov-west-1' })).toMatch(
      /^TracedFunction "test\/fn": region must be a region with an ADOT layer: no AWSOpenTelemetryDistroJs layer is published in us-gov-west-1 .*, got "us-gov-west-1"$/,
    );
    expect(fails({ region: 'af-south-1', adot: 'legacy-collector' })).toMatch(
      /no aws-otel-nodejs layer is published in af-south-1/,
    );
  });
});

describe('the traced-function module', () => {
  (hasTerraform() ? it : it.skip)('checks in Terraform that a VPC is given whole, or not at all', () => {
    const variables = synthModule(MODULES.find((m) => m.name === 'traced-function')!).json.variable as Record<
      string,
      unknown
    >;
    const base = { function_name: 'orders', zip_path: 'orders.zip' };
    expect(validationFailures(variables, base)).toEqual([]);
    expect(validationFailures(variables, { ...base, vpc_id: VPC_ID })).toEqual([
      'vpc_id must be set together with subnet_ids.',
    ]);
    expect(validationFailures(variables, { ...base, vpc_id: VPC_ID, subnet_ids: [] })).toEqual([
      'subnet_ids must be a non-empty list.',
    ]);
    expect(validationFailures(variables, { ...base, reserved_concurrency: 0 })).toEqual([
      "reserved_concurrency must be a whole number in 1..100000, or 'unreserved' (-1 in a module).",
    ]);
  });
});
