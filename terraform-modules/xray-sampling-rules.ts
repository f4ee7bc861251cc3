import { TerraformIterator, Token } from 'cdktf';
import { XraySamplingRule } from '@cdktf/provider-aws/lib/xray-sampling-rule';
import { SAMPLING_LIMITS as L } from '../modules/xray-sampling-rules';
import type { ModuleSpec } from './framework';

const MATCHERS: [string, number][] = [
  ['service_name', L.serviceName],
  ['service_type', L.serviceType],
  ['host', L.host],
  ['http_method', L.httpMethod],
  ['url_path', L.urlPath],
  ['resource_arn', L.resourceArn],
];

/** XraySamplingRules as a module: one rule per item of `var.rules`, with the construct's checks as validations. */
export const xraySamplingRulesModule: ModuleSpec = {
  name: 'xray-sampling-rules',
  title: 'X-Ray sampling rules',
  description:
    'X-Ray sampling rules checked against every API limit before a plan runs: names, priorities (unique), rates, reservoirs, matcher lengths and attributes. `version` is always 1.',
  variables: [
    {
      name: 'rules',
      type: `list(object({
    name           = string
    priority       = number
    fixed_rate     = number
    reservoir_size = number
    service_name   = optional(string, "*")
    service_type   = optional(string, "*")
    host           = optional(string, "*")
    http_method    = optional(string, "*")
    url_path       = optional(string, "*")
    resource_arn   = optional(string, "*")
    attributes     = optional(map(string), {})
  }))`,
      description: 'The sampling rules, at least one. Matchers take * and ?; unset matchers are *.',
      validation: [
        { condition: 'length(var.rules) > 0', errorMessage: 'rules must be a non-empty list.' },
        {
          condition: `alltrue([for r in var.rules : can(regex("^[A-Za-z0-9_-]{1,${L.name}}$", r.name))])`,
          errorMessage: `rules[*].name must be 1..${L.name} letters, digits, hyphens and underscores.`,
        },
        {
          condition: 'length(distinct([for r in var.rules : r.name])) == length(var.rules)',
          errorMessage: 'rules[*].name must be unique.',
        },
        {
          condition: `alltrue([for r in var.rules : r.priority >= ${L.priority.min} && r.priority <= ${L.priority.max} && floor(r.priority) == r.priority])`,
          errorMessage: `rules[*].priority must be a whole number in ${L.priority.min}..${L.priority.max}.`,
        },
        {
          condition: 'length(distinct([for r in var.rules : r.priority])) == length(var.rules)',
          errorMessage: 'rules[*].priority must be unique.',
        },
        {
          condition: 'alltrue([for r in var.rules : r.fixed_rate >= 0 && r.fixed_rate <= 1])',
          errorMessage: 'rules[*].fixed_rate must be 0..1.',
        },
        {
          condition:
            'alltrue([for r in var.rules : r.reservoir_size >= 0 && floor(r.reservoir_size) == r.reservoir_size])',
          errorMessage: 'rules[*].reservoir_size must be a whole number >= 0.',
        },
        ...MATCHERS.map(([field, max]) => ({
          condition: `alltrue([for r in var.rules : length(r.${field}) >= 1 && length(r.${field}) <= ${max}])`,
          errorMessage: `rules[*].${field} must be 1..${max} characters long.`,
        })),
        {
          condition: `alltrue([for r in var.rules : length(r.attributes) <= ${L.attributes} && alltrue([for k, v in r.attributes : length(k) >= 1 && length(k) <= ${L.attributeKeyOrValue} && length(v) >= 1 && length(v) <= ${L.attributeKeyOrValue}])])`,
          errorMessage: `rules[*].attributes must have at most ${L.attributes} entries, keys and values 1..${L.attributeKeyOrValue} characters.`,
        },
      ],
    },
  ],
  build(scope, vars) {
    const byName = TerraformIterator.fromMap(Token.asAnyMap(`\${{ for r in ${vars.rules.fqn} : r.name => r }}`));
    const rule = new XraySamplingRule(scope, 'rule', {
      forEach: byName,
      ruleName: byName.getString('name'),
      priority: byName.getNumber('priority'),
      fixedRate: byName.getNumber('fixed_rate'),
      reservoirSize: byName.getNumber('reservoir_size'),
      serviceName: byName.getString('service_name'),
      serviceType: byName.getString('service_type'),
      host: byName.getString('host'),
      httpMethod: byName.getString('http_method'),
      urlPath: byName.getString('url_path'),
      resourceArn: byName.getString('resource_arn'),
      attributes: byName.getStringMap('attributes'),
      version: 1,
    });
    return {
      rule_arns: { value: `\${{ for name, r in ${rule.fqn} : name => r.arn }}`, description: 'Rule name to ARN' },
      rule_names: { value: `\${[for name, r in ${rule.fqn} : name]}`, description: 'The rule names' },
    };
  },
  example: {
    rules: `[
  { name = "dev-health", priority = 100, fixed_rate = 0, reservoir_size = 0, url_path = "/health*" },
  { name = "dev-critical-payment", priority = 200, fixed_rate = 1, reservoir_size = 1, url_path = "/payment*" },
  { name = "dev-chat", priority = 300, fixed_rate = 0.1, reservoir_size = 5, http_method = "POST", url_path = "/chat*" },
]`,
  },
};
