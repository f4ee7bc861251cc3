import type { TracedFunction } from '../traced-function';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'ANY';

export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'];

/** A fixed response API Gateway returns itself, with no Lambda behind it (a health check). */
export interface MockResponse {
  /** @default 200 */
  readonly statusCode?: number;
  /** The JSON body. */
  readonly body: unknown;
}

export interface RouteProps {
  /** `/`, `/chat`, `/v1/orders/{orderId}`: segments of letters, digits, `.`, `_`, `-`, or `{param}`. */
  readonly path: string;
  readonly method: HttpMethod;
  /** The Lambda function behind the route (a proxy integration). Exactly one of `function` and `mock`. */
  readonly function?: TracedFunction;
  /** A fixed response instead of a function. */
  readonly mock?: MockResponse;
  /**
   * A JSON schema (draft 4) the request body must match; API Gateway rejects other bodies with 400
   * before any Lambda runs. Only for POST, PUT and PATCH.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html
   * @default - the body is not validated at the edge
   */
  readonly bodySchema?: Record<string, unknown>;
  /** Require the API key. @default true */
  readonly apiKeyRequired?: boolean;
}

export interface ThrottleProps {
  /** Steady-state requests per second, > 0. */
  readonly rateLimit: number;
  /** Burst size, a whole number >= 1. */
  readonly burstLimit: number;
}

export interface TracedRestApiProps {
  /** The API's name: 1..100 letters, digits, hyphens and underscores. Names its key, plan and log group. */
  readonly apiName: string;
  /** The stage: 1..64 letters, digits and underscores. @default 'prod' */
  readonly stageName?: string;
  /** The routes, at least one; a path and method pair at most once. */
  readonly routes: RouteProps[];
  /** Usage plan and stage throttling. @default { rateLimit: 10, burstLimit: 20 } */
  readonly throttle?: ThrottleProps;
  /**
   * Create the account-wide role API Gateway uses to write CloudWatch logs, and set it on the
   * account (`aws_api_gateway_account`). Access logging fails at apply without that role. It is a
   * per-account, per-region setting: turn this on in one stack only, and only if nothing else
   * manages it.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
   * @default false
   */
  readonly manageAccountLogRole?: boolean;
  /** Days to keep access and execution logs: a value CloudWatch Logs accepts. @default 30 */
  readonly logRetentionDays?: number;
  /** A description. @default - none */
  readonly description?: string;
}

export const API_DEFAULTS = {
  stageName: 'prod',
  throttle: { rateLimit: 10, burstLimit: 20 },
  manageAccountLogRole: false,
  logRetentionDays: 30,
} as const;
