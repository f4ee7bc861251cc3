/**
 * ADOT Lambda layers for Node.js, per region and architecture: a table, read at synth, or as Terraform
 * expressions when the region or mode is a plan's.
 *
 * Two families exist, and each needs its own exec wrapper: mixing them silently disables tracing.
 * Source: the ADOT Lambda docs as of 2026-07 (ADOT JS v0.12.0 = AWSOpenTelemetryDistroJs version 15).
 */

import { Token } from 'cdktf';
import { and, eq, hcl, isSet, known, when, type Bool } from '../core/expr';
import type { AdotMode } from './props';

export type Architecture = 'x86_64' | 'arm64';

export interface AdotLayer {
  /** The layer version ARN for the region, architecture and partition. */
  readonly arn: string;
  /** The value of AWS_LAMBDA_EXEC_WRAPPER this layer needs. */
  readonly execWrapper: string;
  /** AWS-managed policies (names below `arn:<partition>:iam::aws:policy/`) the layer needs on the function role. */
  readonly managedPolicies: readonly string[];
}

/** Region -> [publishing account, layer version] of AWSOpenTelemetryDistroJs. */
export const APPLICATION_SIGNALS_LAYERS: Readonly<Record<string, readonly [string, number]>> = {
  'af-south-1': ['904233096616', 15],
  'ap-east-1': ['888577020596', 15],
  'ap-east-2': ['412664885777', 4],
  'ap-northeast-1': ['615299751070', 15],
  'ap-northeast-2': ['615299751070', 15],
  'ap-northeast-3': ['615299751070', 15],
  'ap-south-1': ['615299751070', 15],
  'ap-south-2': ['796973505492', 15],
  'ap-southeast-1': ['615299751070', 15],
  'ap-southeast-2': ['615299751070', 15],
  'ap-southeast-3': ['039612877180', 15],
  'ap-southeast-4': ['713881805771', 15],
  'ap-southeast-5': ['152034782359', 8],
  'ap-southeast-6': ['313828097273', 3],
  'ap-southeast-7': ['980416031188', 8],
  'ca-central-1': ['615299751070', 15],
  'ca-west-1': ['595944127152', 8],
  'cn-north-1': ['440179912924', 8],
  'cn-northwest-1': ['440180067931', 8],
  'eu-central-1': ['615299751070', 15],
  'eu-central-2': ['156041407956', 15],
  'eu-north-1': ['615299751070', 15],
  'eu-south-1': ['257394471194', 15],
  'eu-south-2': ['490004653786', 15],
  'eu-west-1': ['615299751070', 15],
  'eu-west-2': ['615299751070', 15],
  'eu-west-3': ['615299751070', 15],
  'il-central-1': ['746669239226', 15],
  'me-central-1': ['739275441131', 15],
  'me-south-1': ['980921751758', 12],
  'mx-central-1': ['610118373846', 8],
  'sa-east-1': ['615299751070', 15],
  'us-east-1': ['615299751070', 15],
  'us-east-2': ['615299751070', 15],
  'us-west-1': ['615299751070', 15],
  'us-west-2': ['615299751070', 15],
};

/** Regions of the legacy layer (aws-otel-nodejs-<arch>-ver-1-30-2:1, account 901920570463). */
export const LEGACY_COLLECTOR_REGIONS: readonly string[] = [
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
];

const LEGACY_ACCOUNT = '901920570463';

/** The exec wrapper each layer family needs. */
export const EXEC_WRAPPERS = {
  'application-signals': '/opt/otel-instrument',
  'legacy-collector': '/opt/otel-handler',
} as const;

/** The IAM partition of a region. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * The ADOT layer for a region, architecture and mode, or a sentence saying why there is none.
 * Never invents an ARN: a region missing from the table is an answer of its own.
 */
export function adotLayer(
  region: string,
  architecture: Architecture,
  mode: Exclude<AdotMode, 'none'>,
): AdotLayer | string {
  const partition = partitionOf(region);
  if (mode === 'application-signals') {
    const entry = APPLICATION_SIGNALS_LAYERS[region];
    if (!entry) {
      return `no AWSOpenTelemetryDistroJs layer is published in ${region} (regions: ${Object.keys(APPLICATION_SIGNALS_LAYERS).join(', ')})`;
    }
    const [account, version] = entry;
    return {
      arn: `arn:${partition}:lambda:${region}:${account}:layer:AWSOpenTelemetryDistroJs:${version}`,
      execWrapper: EXEC_WRAPPERS['application-signals'],
      managedPolicies: ['CloudWatchLambdaApplicationSignalsExecutionRolePolicy'],
    };
  }
  if (!LEGACY_COLLECTOR_REGIONS.includes(region)) {
    return `no aws-otel-nodejs layer is published in ${region} (regions: ${LEGACY_COLLECTOR_REGIONS.join(', ')})`;
  }
  const arch = architecture === 'arm64' ? 'arm64' : 'amd64';
  return {
    arn: `arn:${partition}:lambda:${region}:${LEGACY_ACCOUNT}:layer:aws-otel-nodejs-${arch}-ver-1-30-2:1`,
    execWrapper: EXEC_WRAPPERS['legacy-collector'],
    managedPolicies: [],
  };
}

/**
 * Checks that a layer ARN, an exec wrapper, a region and an architecture belong together.
 * Returns the problems found (empty when consistent). Used by the policy checks too.
 */
export function layerMismatches(
  layerArn: string,
  execWrapper: string | undefined,
  region: string,
  architecture: Architecture,
): string[] {
  const problems: string[] = [];
  const m = /^arn:[^:]+:lambda:([^:]+):\d{12}:layer:([^:]+):\d+$/.exec(layerArn);
  if (!m) return [`${layerArn} is not a Lambda layer version ARN`];
  const [, layerRegion, name] = m;
  if (layerRegion !== region) problems.push(`layer ${name} is from ${layerRegion}, the function is in ${region}`);
  if (name === 'AWSOpenTelemetryDistroJs') {
    if (execWrapper !== EXEC_WRAPPERS['application-signals']) {
      problems.push(
        `AWSOpenTelemetryDistroJs needs AWS_LAMBDA_EXEC_WRAPPER=${EXEC_WRAPPERS['application-signals']}, got ${execWrapper ?? 'none'}`,
      );
    }
  } else if (name.startsWith('aws-otel-nodejs-')) {
    if (execWrapper !== EXEC_WRAPPERS['legacy-collector']) {
      problems.push(
        `${name} needs AWS_LAMBDA_EXEC_WRAPPER=${EXEC_WRAPPERS['legacy-collector']}, got ${execWrapper ?? 'none'}`,
      );
    }
    const layerArch = name.includes('-arm64-') ? 'arm64' : 'x86_64';
    if (layerArch !== architecture) problems.push(`layer ${name} is for ${layerArch}, the function is ${architecture}`);
  }
  return problems;
}

/** The ADOT layer of a function whose region, architecture or mode a plan decides (a module's). */
export interface PlannedAdotLayer {
  /** The layer version ARN, or null where none is published (a precondition refuses that). */
  readonly arn: string;
  /** AWS_LAMBDA_EXEC_WRAPPER, or null with `none`. */
  readonly execWrapper: string;
  /** Whether the Application Signals policy is attached. */
  readonly applicationSignals: Bool;
}

/**
 * {@link adotLayer} as Terraform expressions, from the same table: for a region, architecture or mode
 * only known at plan. Never makes an ARN up: a region missing from the table gives null.
 */
export function plannedAdotLayer(
  region: string,
  architecture: string,
  mode: string,
  partition: string,
): PlannedAdotLayer {
  const signalsTable: Record<string, string> = Object.fromEntries(
    Object.entries(APPLICATION_SIGNALS_LAYERS).map(([r, [account, version]]) => [
      r,
      `${account}:layer:AWSOpenTelemetryDistroJs:${version}`,
    ]),
  );
  const signals = eq(mode, 'application-signals');
  const legacy = eq(mode, 'legacy-collector');
  // The layer's `<account>:layer:<name>:<version>` for the region and mode, or null.
  const signalsRef = known(region)
    ? (signalsTable[region] ?? null)
    : Token.asString(hcl`lookup(${signalsTable}, ${region}, null)`);
  const legacyHere = known(region)
    ? LEGACY_COLLECTOR_REGIONS.includes(region)
    : hcl`contains(${LEGACY_COLLECTOR_REGIONS}, ${region})`;
  const arch = when(eq(architecture, 'arm64'), 'arm64', 'amd64');
  const legacyRef = `${LEGACY_ACCOUNT}:layer:aws-otel-nodejs-${arch}-ver-1-30-2:1`;
  const ref = when<string | null>(signals, signalsRef, when<string | null>(and(legacy, legacyHere), legacyRef, null));
  const arn = ref === null ? null : when<string | null>(isSet(ref), `arn:${partition}:lambda:${region}:${ref}`, null);
  return {
    arn: arn as string,
    execWrapper: when<string | null>(
      signals,
      EXEC_WRAPPERS['application-signals'],
      when<string | null>(legacy, EXEC_WRAPPERS['legacy-collector'], null),
    ) as string,
    applicationSignals: signals,
  };
}
