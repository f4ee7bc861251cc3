/**
 * Sampling presets as plain functions: each returns rules, with the reason for its rates.
 * Priorities leave gaps so a team can slot its own rules between them.
 */
import type { SamplingRule } from './props';

/**
 * Which services a rule applies to. Sampling rules are per account and region: a rule whose service
 * is `*` also decides for every other stack there (another environment's API included).
 */
export type SamplingScope = Pick<SamplingRule, 'serviceName' | 'serviceType' | 'resourceArn' | 'host'>;

export interface PresetOptions {
  /** Prefix of the rule names (rule names are per account and region: include the environment). */
  readonly namePrefix: string;
  /** The first priority to use. */
  readonly priority: number;
  /**
   * The services the rules apply to: this stack's own, e.g. `apiStageScope(apiName, stageName)`.
   * `{ serviceName: '*' }` makes them apply to every service in the account and region.
   */
  readonly scope: SamplingScope;
}

/**
 * The scope of one API Gateway stage: X-Ray names it `<api name>/<stage>`, of type
 * `AWS::ApiGateway::Stage` (API Gateway applies the rules; Lambda functions follow its decision).
 */
export function apiStageScope(apiName: string, stageName: string): SamplingScope {
  return { serviceName: `${apiName}/${stageName}`, serviceType: 'AWS::ApiGateway::Stage' };
}

/**
 * Critical paths sampled at 100%: payments and checkouts are rare, valuable, and the first thing
 * anyone investigates when revenue drops, so every request keeps its trace.
 */
export function criticalPathRules(options: PresetOptions & { paths?: string[] }): SamplingRule[] {
  const paths = options.paths ?? ['/payment*', '/checkout*'];
  return paths.map((urlPath, i) => ({
    name: `${options.namePrefix}-critical-${urlPath.replace(/[^A-Za-z0-9]+/g, '') || i}`.slice(0, 32),
    priority: options.priority + i,
    ...options.scope,
    fixedRate: 1,
    reservoirSize: 1,
    urlPath,
  }));
}

/**
 * Health checks never sampled: load balancers and uptime probes call them every few seconds,
 * they would crowd real requests out of the reservoir and cost money, and a failing health check
 * is seen in metrics and alarms, not traces.
 */
export function healthCheckRule(options: PresetOptions & { urlPath?: string }): SamplingRule {
  return {
    name: `${options.namePrefix}-health`.slice(0, 32),
    priority: options.priority,
    ...options.scope,
    fixedRate: 0,
    reservoirSize: 0,
    urlPath: options.urlPath ?? '/health*',
  };
}

/**
 * The chat API: a reservoir of 5 traces a second guarantees every quiet-hour conversation is traced,
 * and 10% beyond it keeps busy hours statistically visible at a tenth of the cost.
 */
export function chatApiRule(options: PresetOptions & { fixedRate?: number; reservoirSize?: number }): SamplingRule {
  return {
    name: `${options.namePrefix}-chat`.slice(0, 32),
    priority: options.priority,
    ...options.scope,
    fixedRate: options.fixedRate ?? 0.1,
    reservoirSize: options.reservoirSize ?? 5,
    httpMethod: 'POST',
    urlPath: '/chat*',
  };
}

/** The filter expression of a group: faults of any of `serviceNames`. */
export function faultFilterExpression(serviceNames: string[]): string {
  const services = serviceNames.map((s) => `service(${JSON.stringify(s)})`).join(' OR ');
  return `fault = true AND (${services})`;
}
