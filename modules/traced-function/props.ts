import type { AdotMode, Architecture } from './layers';

export type NodeRuntime = 'nodejs22.x' | 'nodejs24.x';

export const NODE_RUNTIMES: readonly NodeRuntime[] = ['nodejs22.x', 'nodejs24.x'];

/** Where the function runs in a VPC. */
export interface FunctionVpcConfig {
  /** The VPC id (for the function's security group). */
  readonly vpcId: string;
  /** Private subnet ids, at least one; more than one for availability. */
  readonly subnetIds: string[];
}

export interface TracedFunctionProps {
  /**
   * The function name: 1..64 letters, digits, hyphens and underscores. Also names its role
   * (`<functionName>-role`) and log group (`/aws/lambda/<functionName>`).
   */
  readonly functionName: string;

  /**
   * The handler's TypeScript (or JavaScript) file, bundled with esbuild at synth; it must exist.
   * Absolute, or relative to the project root: the nearest folder at or above the working
   * directory that holds `cdktf.json` (where `cdktf synth` runs the app), else the working
   * directory. `path.join(__dirname, 'handler.ts')` is absolute and works from anywhere.
   */
  readonly entry: string;

  /** The handler function exported by `entry`. @default 'handler' */
  readonly handlerExport?: string;

  /** The stack's region: picks the ADOT layer ARN. A region without a published layer is an error. */
  readonly region: string;

  /**
   * The Lambda runtime: `nodejs22.x` or `nodejs24.x` (the bundle targets the same Node version).
   * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
   * @default 'nodejs22.x'
   */
  readonly runtime?: NodeRuntime;

  /** `x86_64` or `arm64`. @default 'x86_64' */
  readonly architecture?: Architecture;

  /** Memory in MB, 128..10240. @default 256 */
  readonly memorySize?: number;

  /** Timeout in seconds, 1..900. @default 10 */
  readonly timeoutSeconds?: number;

  /**
   * Reserved concurrency, >= 1: a cap that also protects the account's pool. `'unreserved'` leaves
   * the function on the shared pool (say so explicitly; it is a choice).
   * @default 10
   */
  readonly reservedConcurrency?: number | 'unreserved';

  /** Environment variables. Keys: letters, digits, underscores, starting with a letter. @default {} */
  readonly environment?: Record<string, string>;

  /**
   * The ADOT layer: `'application-signals'` (AWSOpenTelemetryDistroJs, `/opt/otel-instrument`),
   * `'legacy-collector'` (aws-otel-nodejs-<arch>-ver-1-30-2:1, `/opt/otel-handler`) or `false`.
   * @see https://aws-otel.github.io/docs/getting-started/lambda
   * @default 'application-signals'
   */
  readonly adot?: AdotMode;

  /** Days to keep the function's logs: a value CloudWatch Logs accepts. @default 30 */
  readonly logRetentionDays?: number;

  /**
   * Run in a VPC's subnets, with a security group that allows only HTTPS out.
   * @default - not in a VPC
   */
  readonly vpc?: FunctionVpcConfig;

  /** A description shown in the console. @default - none */
  readonly description?: string;
}

export const FUNCTION_DEFAULTS = {
  runtime: 'nodejs22.x' as NodeRuntime,
  architecture: 'x86_64' as Architecture,
  memorySize: 256,
  timeoutSeconds: 10,
  reservedConcurrency: 10,
  adot: 'application-signals' as AdotMode,
  logRetentionDays: 30,
  handlerExport: 'handler',
} as const;
