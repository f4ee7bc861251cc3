/** TracedFunction's inputs, described once: `props.ts`, the checks, the module variables and the README come from here. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hcl, inRange, isSet, known, lengthOf, le, ne, or } from '../core/expr';
import {
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
import type { FunctionVpcConfig, TracedFunctionProps } from './props';

/** The Node.js runtimes a function may use (the bundle targets the same Node version). */
export const NODE_RUNTIMES = ['nodejs22.x', 'nodejs24.x'] as const;

/** The ADOT layer kinds: the two layer families, or none. */
export const ADOT_MODES = ['application-signals', 'legacy-collector', 'none'] as const;

/** The most reserved concurrency a function may ask for (a quota can be raised that far). */
const MAX_RESERVED_CONCURRENCY = 100000;

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

const VPC = shape<FunctionVpcConfig>()({
  typeName: 'FunctionVpcConfig',
  doc: 'Where the function runs in a VPC.',
  fields: {
    vpcId: text({ doc: "The VPC's id (for the function's security group)." }),
    subnetIds: strings({
      doc: 'Private subnet ids, at least one; more than one for availability.',
      nonEmpty: true,
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
      doc: 'Environment variables. Keys: letters, digits and underscores, starting with a letter.',
      keys: {
        rule: 'letters, digits and underscores, starting with a letter',
        test: (k) => (known(k) ? /^[A-Za-z][A-Za-z0-9_]*$/.test(k) : hcl`can(regex("^[A-Za-z][A-Za-z0-9_]*$", ${k}))`),
      },
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
    description: text({ doc: 'A description shown in the console.', default: none('none') }),
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
