import { Annotations, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { XrayGroup } from '@cdktf/provider-aws/lib/xray-group';
import { XraySamplingRule } from '@cdktf/provider-aws/lib/xray-sampling-rule';
import { AwsContext } from '../core/aws-context';
import { forEachItem } from '../core/each';
import { hcl, known } from '../core/expr';
import { SAMPLING_RULE, XRAY_FAULT_GROUP_INPUTS, XRAY_SAMPLING_RULES_INPUTS } from './inputs';
import { disjointMatchers } from './matching';
import { faultFilterExpression } from './presets';
import type { SamplingRule, XrayFaultGroupProps, XraySamplingRulesProps } from './props';

/**
 * X-Ray sampling rules, validated against every API limit at synth. `version` is always 1 (it cannot
 * change after creation).
 *
 * Rules apply to every service in the account and region that matches them. A rule that can match
 * the same requests as a rule of another stack of the app (in the same region) is a warning naming
 * both: one environment's rule would decide for the other's traffic.
 */
export class XraySamplingRules extends Construct {
  /** Rule name -> ARN. */
  public readonly ruleArns: Record<string, string>;
  /** The rule names, in order. */
  public readonly ruleNames: string[];
  /** The rules as given, when known at synth (for the comparison with other stacks' rules). */
  private readonly knownRules: readonly SamplingRule[];

  constructor(scope: Construct, id: string, props: XraySamplingRulesProps) {
    super(scope, id);
    const p = XRAY_SAMPLING_RULES_INPUTS.resolve(this, props);
    this.knownRules = known(p.rules) ? p.rules.filter((r) => known(r)) : [];
    this.warnOnRulesOfOtherStacks();
    const arns: Record<string, string> = {};
    let planned: { arns: Record<string, string>; names: string[] } | undefined;
    forEachItem(p.rules, { shape: SAMPLING_RULE, key: (r) => r.name, id: (r) => r.name }, ({ item: r, id, meta }) => {
      if (known(r.resourceArn) && r.resourceArn !== '*') {
        Annotations.of(this).addWarning(
          `rule ${r.name}: X-Ray SDKs apply only rules whose resourceArn is "*"; ${r.resourceArn} limits it to other samplers`,
        );
      }
      const rule = new XraySamplingRule(this, id('rule'), {
        ...meta,
        ruleName: r.name,
        priority: r.priority,
        fixedRate: r.fixedRate,
        reservoirSize: r.reservoirSize,
        serviceName: r.serviceName,
        serviceType: r.serviceType,
        host: r.host,
        httpMethod: r.httpMethod,
        urlPath: r.urlPath,
        resourceArn: r.resourceArn,
        version: 1,
        attributes: r.attributes,
      });
      if (meta.forEach) {
        planned = {
          arns: Token.asStringMap(hcl`{ for name, r in ${rule.fqn} : name => r.arn }`),
          names: Token.asList(hcl`keys(${rule.fqn})`),
        };
      } else arns[r.name] = rule.arn;
    });
    this.ruleArns = planned?.arns ?? arns;
    this.ruleNames = planned?.names ?? Object.keys(arns);
  }

  /** Warns about each rule that can match the same requests as a rule of another stack built before it. */
  private warnOnRulesOfOtherStacks(): void {
    const stack = TerraformStack.of(this);
    const region = AwsContext.providerRegion(this);
    const others = this.node.root.node
      .findAll()
      .filter((c): c is XraySamplingRules => c instanceof XraySamplingRules && c !== this)
      .filter((c) => TerraformStack.of(c) !== stack);
    for (const other of others) {
      const otherRegion = AwsContext.providerRegion(other);
      if (region !== undefined && otherRegion !== undefined && region !== otherRegion) continue;
      this.knownRules.forEach((rule, i) => {
        for (const theirs of other.knownRules) {
          if (disjointMatchers(rule, theirs).length > 0) continue;
          Annotations.of(this).addWarning(
            `rules[${i}] (${rule.name}, priority ${rule.priority}) can match the same requests as ${theirs.name} (priority ${theirs.priority}) of ${other.node.path}: sampling rules apply to the whole account and region, so ${rule.priority <= theirs.priority ? 'this one' : 'that one'} decides for both stacks' traffic; scope each to its own stack's services (serviceName, e.g. apiStageScope(apiName, stageName))`,
          );
        }
      });
    }
  }
}

/**
 * An X-Ray group of this app's faults (`fault = true` on its services) with Insights on, so a
 * failure surfaces in the console and as an Insights event without anyone searching for it.
 */
export class XrayFaultGroup extends Construct {
  /** The group's name. */
  public readonly groupName: string;
  /** The group's ARN. */
  public readonly groupArn: string;
  /** The group's filter expression: faults of the app's services. */
  public readonly filterExpression: string;

  constructor(scope: Construct, id: string, props: XrayFaultGroupProps) {
    super(scope, id);
    const p = XRAY_FAULT_GROUP_INPUTS.resolve(this, props);
    this.filterExpression = faultFilterExpression(p.serviceNames);
    const group = new XrayGroup(this, 'group', {
      groupName: p.groupName,
      filterExpression: this.filterExpression,
      insightsConfiguration: { insightsEnabled: true, notificationsEnabled: p.notifications },
    });
    this.groupName = group.groupName;
    this.groupArn = group.arn;
  }
}
