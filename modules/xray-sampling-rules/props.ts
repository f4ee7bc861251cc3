/** One X-Ray sampling rule. String matchers take `*` (any characters) and `?` (one character). */
export interface SamplingRule {
  /** Unique name, 1..32 letters, digits, hyphens and underscores. Names are per account and region. */
  readonly name: string;
  /** 1..9999, unique across the rules; lower is evaluated first (the default rule is 10000). */
  readonly priority: number;
  /** The share of matching requests sampled beyond the reservoir, 0..1. */
  readonly fixedRate: number;
  /** Matching requests sampled per second before `fixedRate` applies, a whole number >= 0. */
  readonly reservoirSize: number;
  /** Service name to match, at most 64 characters. @default '*' */
  readonly serviceName?: string;
  /** Service type to match (`AWS::ApiGateway::Stage`, `AWS::Lambda::Function`, ...), at most 64. @default '*' */
  readonly serviceType?: string;
  /** Host to match, at most 64 characters. @default '*' */
  readonly host?: string;
  /** HTTP method to match, at most 10 characters. @default '*' */
  readonly httpMethod?: string;
  /** URL path to match, at most 128 characters. @default '*' */
  readonly urlPath?: string;
  /**
   * Resource ARN to match, at most 500 characters. X-Ray SDKs apply only rules whose ARN is `*`.
   * @default '*'
   */
  readonly resourceArn?: string;
  /** Segment attributes to match: at most 5, keys and values 1..32 characters. @default - none */
  readonly attributes?: Record<string, string>;
}

export interface XraySamplingRulesProps {
  /** The rules, at least one. */
  readonly rules: SamplingRule[];
}

export interface XrayFaultGroupProps {
  /** The group name, 1..32 letters, digits, `.`, `_`, `-`, `#`. */
  readonly groupName: string;
  /** The X-Ray service names of the app (function names, `<api>/<stage>`), at least one. */
  readonly serviceNames: string[];
  /** Send Insights notifications to EventBridge. @default false */
  readonly notifications?: boolean;
}

/** The X-Ray API's limits, in one place (see the facts on sampling rules). */
export const SAMPLING_LIMITS = {
  name: 32,
  priority: { min: 1, max: 9999 },
  serviceName: 64,
  serviceType: 64,
  host: 64,
  httpMethod: 10,
  urlPath: 128,
  resourceArn: 500,
  attributes: 5,
  attributeKeyOrValue: 32,
} as const;
