import { Annotations } from 'cdktf';
import { Construct } from 'constructs';
import { XrayGroup } from '@cdktf/provider-aws/lib/xray-group';
import { XraySamplingRule } from '@cdktf/provider-aws/lib/xray-sampling-rule';
import { Validator, isUnresolved } from '../core/validation';
import { faultFilterExpression } from './presets';
import {
  SAMPLING_LIMITS as L,
  type SamplingRule,
  type XrayFaultGroupProps,
  type XraySamplingRulesProps,
} from './props';

const MATCHERS = [
  ['serviceName', L.serviceName],
  ['serviceType', L.serviceType],
  ['host', L.host],
  ['httpMethod', L.httpMethod],
  ['urlPath', L.urlPath],
  ['resourceArn', L.resourceArn],
] as const;

/** Every problem of a rule set, as `rules[i].field must be ..., got ...` lines, for the validator. */
function checkRules(v: Validator, rules: SamplingRule[]): void {
  v.nonEmpty('rules', rules);
  const priorities = new Map<number, number>();
  const names = new Map<string, number>();
  (rules ?? []).forEach((r, i) => {
    const at = `rules[${i}]`;
    v.matches(`${at}.name`, r.name, /^[A-Za-z0-9_-]{1,32}$/, `1..${L.name} letters, digits, hyphens and underscores`);
    v.intRange(`${at}.priority`, r.priority, L.priority.min, L.priority.max);
    v.numberRange(`${at}.fixedRate`, r.fixedRate, 0, 1);
    v.intRange(`${at}.reservoirSize`, r.reservoirSize, 0, 2147483647);
    for (const [field, max] of MATCHERS) v.length(`${at}.${field}`, r[field], 1, max);
    const attributes = Object.entries(r.attributes ?? {});
    if (attributes.length > L.attributes)
      v.fail(`${at}.attributes`, `at most ${L.attributes} attributes`, r.attributes);
    for (const [key, value] of attributes) {
      v.length(`${at}.attributes key`, key, 1, L.attributeKeyOrValue);
      v.length(`${at}.attributes["${key}"]`, value, 1, L.attributeKeyOrValue);
    }
    if (!isUnresolved(r.priority) && priorities.has(r.priority)) {
      v.fail(`${at}.priority`, `unique (rules[${priorities.get(r.priority)}] has it too)`, r.priority);
    } else priorities.set(r.priority, i);
    if (!isUnresolved(r.name) && names.has(r.name)) {
      v.fail(`${at}.name`, `unique (rules[${names.get(r.name)}] has it too)`, r.name);
    } else names.set(r.name, i);
  });
}

/**
 * X-Ray sampling rules, validated against every API limit at synth. `version` is always 1 (it cannot
 * change after creation).
 */
export class XraySamplingRules extends Construct {
  /** Rule name -> ARN. */
  public readonly ruleArns: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: XraySamplingRulesProps) {
    super(scope, id);
    const v = new Validator('XraySamplingRules', this);
    checkRules(v, props.rules);
    v.throwIfInvalid();
    for (const r of props.rules) {
      if ((r.resourceArn ?? '*') !== '*') {
        Annotations.of(this).addWarning(
          `rule ${r.name}: X-Ray SDKs apply only rules whose resourceArn is "*"; ${r.resourceArn} limits it to other samplers`,
        );
      }
      const rule = new XraySamplingRule(this, `rule-${r.name}`, {
        ruleName: r.name,
        priority: r.priority,
        fixedRate: r.fixedRate,
        reservoirSize: r.reservoirSize,
        serviceName: r.serviceName ?? '*',
        serviceType: r.serviceType ?? '*',
        host: r.host ?? '*',
        httpMethod: r.httpMethod ?? '*',
        urlPath: r.urlPath ?? '*',
        resourceArn: r.resourceArn ?? '*',
        version: 1,
        attributes: r.attributes,
      });
      this.ruleArns[r.name] = rule.arn;
    }
  }
}

/**
 * An X-Ray group of this app's faults (`fault = true` on its services) with Insights on, so a
 * failure surfaces in the console and as an Insights event without anyone searching for it.
 */
export class XrayFaultGroup extends Construct {
  public readonly groupName: string;
  public readonly groupArn: string;
  public readonly filterExpression: string;

  constructor(scope: Construct, id: string, props: XrayFaultGroupProps) {
    super(scope, id);
    const v = new Validator('XrayFaultGroup', this);
    v.matches('groupName', props.groupName, /^[A-Za-z0-9._#-]{1,32}$/, '1..32 letters, digits, ".", "_", "-", "#"');
    v.nonEmpty('serviceNames', props.serviceNames);
    v.throwIfInvalid();
    this.filterExpression = faultFilterExpression(props.serviceNames);
    const group = new XrayGroup(this, 'group', {
      groupName: props.groupName,
      filterExpression: this.filterExpression,
      insightsConfiguration: { insightsEnabled: true, notificationsEnabled: props.notifications ?? false },
    });
    this.groupName = group.groupName;
    this.groupArn = group.arn;
  }
}
