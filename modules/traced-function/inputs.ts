/** TracedFunction's inputs, described once: `props.ts`, the checks, the module variables and the README come from here. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { alarmActions } from '../core/alarms';
import { hcl, inRange, isSet, known, lengthOf, le, matches, ne, or } from '../core/expr';
import {
  items,
  choice,
  inputs,
  none,
  object,
  retentionDays,
  shape,
  stringMap,
  strings,
  text,
  whole,
  type Field,
} from '../core/inputs';
import { projectRoot } from '../core/project';
import { show } from '../core/validation';
import { adotLayer } from './layers';
import type { FunctionVpcConfig, LogAlarm, TracedFunctionProps } from './props';

/** The Node.js runtimes a function may use (the bundle targets the same Node version). */
export const NODE_RUNTIMES = ['nodejs22.x', 'nodejs24.x'] as const;

/** The ADOT layer kinds: the two layer families, or none. */
export const ADOT_MODES = ['application-signals', 'legacy-collector', 'none'] as const;

/** The most reserved concurrency a function may ask for (a quota can be raised that far). */
const MAX_RESERVED_CONCURRENCY = 100000;

/**
 * Environment keys the Lambda runtime sets and CreateFunction refuses ("Reserved environment variables").
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
export const RESERVED_ENVIRONMENT_KEYS = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
  'TZ',
] as const;

/** Lambda's limit on a function's environment: 4 KB, keys and values together. */
export const ENVIRONMENT_MAX_BYTES = 4096;

/**
 * What the construct sets itself at most (`NODE_OPTIONS=--enable-source-maps` and
 * `AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument`): the given environment must leave room for it.
 */
export const OWN_ENVIRONMENT_BYTES = 'NODE_OPTIONS--enable-source-mapsAWS_LAMBDA_EXEC_WRAPPER/opt/otel-instrument'
  .length;

/** The size Lambda counts: every key and value, in bytes. */
export const environmentBytes = (environment: Readonly<Record<string, string>>): number =>
  Object.entries(environment).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);

/** The rule on an environment key (also what `addEnvironment` checks). */
export const ENVIRONMENT_KEY_RULES = [
  {
    rule: 'letters, digits and underscores, starting with a letter',
    test: (k: string) =>
      known(k) ? /^[A-Za-z][A-Za-z0-9_]*$/.test(k) : hcl`can(regex("^[A-Za-z][A-Za-z0-9_]*$", ${k}))`,
  },
  {
    rule: `none of the keys Lambda reserves (${RESERVED_ENVIRONMENT_KEYS.join(', ')})`,
    test: (k: string) =>
      known(k)
        ? !(RESERVED_ENVIRONMENT_KEYS as readonly string[]).includes(k)
        : hcl`!contains(${RESERVED_ENVIRONMENT_KEYS}, ${k})`,
  },
];

/** Where an entry resolves: absolute as given, else against the project root. */
export const resolveEntry = (entry: string): string => path.resolve(projectRoot(), entry);

/**
 * Reserved concurrency: a whole number, or `'unreserved'`. In a module a number, -1 for unreserved
 * (what the Lambda API and the AWS provider mean by -1).
 */
function reservedConcurrency(o: { doc: string; default: number }): Field<number | 'unreserved', true> {
  const number = whole({ doc: o.doc, min: 1, max: MAX_RESERVED_CONCURRENCY, default: o.default });
  return {
    ...number,
    ts: { text: "number | 'unreserved'" },
    rules: [
      {
        rule: `a whole number in 1..${MAX_RESERVED_CONCURRENCY}, or 'unreserved' (-1 in a module)`,
        test: (v: number | 'unreserved') =>
          known(v)
            ? v === 'unreserved' || (inRange(v as number, 1, MAX_RESERVED_CONCURRENCY, true) as boolean)
            : or(hcl`${v} == -1`, inRange(v as number, 1, MAX_RESERVED_CONCURRENCY, true)),
      },
    ],
  } as unknown as Field<number | 'unreserved', true>;
}

export const LOG_ALARM = shape<LogAlarm>()({
  typeName: 'LogAlarm',
  doc: "An alarm on lines of the function's log that match a filter pattern.",
  fields: {
    name: text({
      doc: 'The alarm: `<functionName>-<name>`, also the metric name. 1..64 letters, digits and hyphens.',
      pattern: /^[A-Za-z0-9-]{1,64}$/,
      rule: '1..64 letters, digits and hyphens',
    }),
    pattern: text({
      doc: 'A CloudWatch Logs filter pattern: `{ $.message = "enquiry not queued; replay it from this log line" }`.',
      length: [1, 1024],
    }),
    description: text({
      doc: 'What a matching line means, and what to do (the alarm description).',
      length: [1, 1024],
    }),
  },
});

const VPC = shape<FunctionVpcConfig>()({
  typeName: 'FunctionVpcConfig',
  doc: 'Where the function runs in a VPC.',
  fields: {
    vpcId: text({
      doc: "The VPC's id (for the function's security group): `vpc-` and 8 or 17 hexadecimal digits.",
      pattern: /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/,
      rule: 'a VPC id (vpc- and 8 or 17 hexadecimal digits)',
    }),
    subnetIds: strings({
      doc: 'Private subnet ids (`subnet-` and 8 or 17 hexadecimal digits), at least one; more than one for availability.',
      nonEmpty: true,
      every: {
        rule: 'a subnet id (subnet- and 8 or 17 hexadecimal digits)',
        test: (v) => matches(v, /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/),
      },
    }),
  },
});

export const TRACED_FUNCTION_INPUTS = inputs<TracedFunctionProps>()(
  {
    functionName: text({
      doc: `The function name: 1..59 letters, digits, hyphens and underscores. Also names its role
(\`<functionName>-role\`, 64 characters at most) and log group (\`/aws/lambda/<functionName>\`).`,
      pattern: /^[A-Za-z0-9_-]{1,64}$/,
      rule: '1..64 letters, digits, hyphens and underscores',
      rules: [
        {
          rule: 'at most 59 characters (the role is named <functionName>-role, 64 at most)',
          test: (v) => le(lengthOf(v), 59),
        },
      ],
    }),
    entry: text({
      doc: `The handler's TypeScript (or JavaScript) file, bundled with esbuild at synth; it must exist.
Absolute, or relative to the project root: the nearest folder at or above the working
directory that holds \`cdktf.json\` (where \`cdktf synth\` runs the app), else the working
directory. \`path.join(__dirname, 'handler.ts')\` is absolute and works from anywhere. Exactly one of
\`entry\` and \`zipPath\`.`,
      default: none('the code is the zip at `zipPath`'),
      notInModule: true,
      rules: [
        {
          rule: 'an existing file',
          test: (v) => {
            const file = resolveEntry(v);
            return fs.existsSync(file) && fs.statSync(file).isFile();
          },
          got: (v) =>
            path.isAbsolute(v)
              ? show(v)
              : `${show(v)} (resolved against the project root ${projectRoot()} to ${resolveEntry(v)})`,
        },
      ],
    }),
    zipPath: text({
      doc: `A deployment zip built elsewhere (a pipeline's tested artifact), instead of bundling \`entry\`:
its \`index.js\` exports \`handlerExport\`. Terraform reads it (\`filebase64sha256\`), so give it absolute
or relative to where Terraform runs. Exactly one of \`entry\` and \`zipPath\`.`,
      default: none('the handler is bundled from `entry`'),
      requiredInModule: true,
      length: [1, 4096],
    }),
    handlerExport: text({
      doc: 'The handler function the code exports (Lambda runs `index.<handlerExport>`).',
      pattern: /^[A-Za-z_$][A-Za-z0-9_$]*$/,
      rule: 'a JavaScript identifier',
      default: 'handler',
    }),
    region: text({
      doc: `The stack's region: picks the ADOT layer ARN. A region without a published layer is an error
(at synth when the region is known, at plan when it is not).`,
      notInModule: true,
    }),
    runtime: choice(NODE_RUNTIMES, {
      doc: 'The Lambda runtime (the bundle targets the same Node version).',
      see: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html',
      typeName: 'NodeRuntime',
      typeDoc: 'A Node.js Lambda runtime.',
      default: 'nodejs22.x',
    }),
    architecture: choice(['x86_64', 'arm64'] as const, { doc: 'The instruction set.', default: 'x86_64' }),
    memorySize: whole({ doc: 'Memory in MB, 128..10240.', min: 128, max: 10240, default: 256 }),
    timeoutSeconds: whole({ doc: 'Timeout in seconds, 1..900.', min: 1, max: 900, default: 10 }),
    reservedConcurrency: reservedConcurrency({
      doc: `Reserved concurrency, 1..${MAX_RESERVED_CONCURRENCY}: a cap that also protects the account's pool.
\`'unreserved'\` (-1 in a module) leaves the function on the shared pool (say so explicitly; it is a choice).`,
      default: 10,
    }),
    environment: stringMap({
      doc: `Environment variables. Keys: letters, digits and underscores, starting with a letter, none that
Lambda reserves (\`AWS_REGION\`, ...). At most ${ENVIRONMENT_MAX_BYTES - OWN_ENVIRONMENT_BYTES} bytes of keys and values: Lambda takes 4 KB in all, and the
construct sets \`NODE_OPTIONS\` and the ADOT exec wrapper.`,
      see: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html',
      keys: ENVIRONMENT_KEY_RULES,
      rules: [
        {
          rule: `at most ${ENVIRONMENT_MAX_BYTES - OWN_ENVIRONMENT_BYTES} bytes of keys and values (Lambda's 4 KB, less the ${OWN_ENVIRONMENT_BYTES} the construct sets)`,
          test: (v) =>
            known(v)
              ? environmentBytes(v) <= ENVIRONMENT_MAX_BYTES - OWN_ENVIRONMENT_BYTES
              : hcl`sum(concat([0], [for k, x in ${v} : length(k) + length(x)])) <= ${ENVIRONMENT_MAX_BYTES - OWN_ENVIRONMENT_BYTES}`,
          got: (v) => `${environmentBytes(v)} bytes`,
        },
      ],
      default: {},
    }),
    adot: choice(ADOT_MODES, {
      doc: `The ADOT layer: \`application-signals\` (AWSOpenTelemetryDistroJs, \`/opt/otel-instrument\`),
\`legacy-collector\` (aws-otel-nodejs-<arch>-ver-1-30-2:1, \`/opt/otel-handler\`) or \`none\`.`,
      see: 'https://aws-otel.github.io/docs/getting-started/lambda',
      typeName: 'AdotMode',
      typeDoc: 'Which ADOT Lambda layer a function runs with.',
      default: 'application-signals',
    }),
    logRetentionDays: retentionDays({ doc: "Days to keep the function's logs.", default: 30 }),
    vpc: object<FunctionVpcConfig>({
      doc: "Run in a VPC's subnets, with a security group that allows only HTTPS out.",
      shape: VPC,
      prefix: '',
      // In a module, the subnet list decides: its length is known at plan even when the VPC is new.
      presentWith: 'subnetIds',
      default: none('not in a VPC'),
    }),
    description: text({
      doc: 'A description shown in the console, 0..256 characters.',
      length: [0, 256],
      default: none('none'),
    }),
    alarmActions: alarmActions({
      alarms: "the function's alarms (errors, throttles, and its log alarms)",
      since: '0.2.0',
    }),
    logAlarms: items({
      doc: `Alarms on lines of the function's own log: a metric filter on its log group and an alarm when a
line matches within a minute (a handler's "enquiry not queued; replay it" line, say).`,
      see: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html',
      shape: LOG_ALARM,
      unique: [{ key: (a) => a.name, field: 'name', what: 'a name no other log alarm of the function has' }],
      default: [],
      since: '0.2.0',
    }),
  },
  {
    kind: 'TracedFunction',
    typeName: 'TracedFunctionProps',
    doc: 'Props of {@link TracedFunction}.',
    checks: [
      {
        field: 'zipPath',
        rule: 'given when entry is not, and not with entry (exactly one of entry and zipPath)',
        test: (p) => ne(isSet(p.entry), isSet(p.zipPath)),
      },
      {
        field: 'region',
        rule: (_n, p?: TracedFunctionProps) => {
          const found = p && adotLayer(p.region, p.architecture ?? 'x86_64', p.adot as never);
          return `a region with an ADOT layer${typeof found === 'string' ? `: ${found}` : ''}`;
        },
        // At plan (the provider's region), the function's precondition says it.
        test: (p) =>
          !known(p.region, p.adot, p.architecture) ||
          p.adot === 'none' ||
          typeof adotLayer(p.region, p.architecture ?? 'x86_64', p.adot as never) !== 'string',
      },
    ],
  },
);
