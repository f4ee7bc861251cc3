import { XRAY_SAMPLING_RULES_INPUTS, XraySamplingRules } from '../modules/xray-sampling-rules';
import { constructModule } from './framework';

/** XraySamplingRules as a module: the construct, one rule per item of `var.rules` (for_each by name). */
export const xraySamplingRulesModule = constructModule({
  name: 'xray-sampling-rules',
  title: 'X-Ray sampling rules',
  description:
    'X-Ray sampling rules checked against every API limit before a plan runs: names, priorities (unique), rates, reservoirs, matcher lengths and attributes. `version` is always 1.',
  inputs: XRAY_SAMPLING_RULES_INPUTS,
  construct: (scope, props) => new XraySamplingRules(scope, 'sampling', props),
  outputs: (rules) => ({
    rule_arns: { value: rules.ruleArns, description: 'Rule name to ARN' },
    rule_names: { value: rules.ruleNames, description: 'The rule names' },
  }),
  example: {
    // Scoped to one API stage: sampling rules are per account and region, not per stack.
    rules: `[
  { name = "dev-health", priority = 100, fixed_rate = 0, reservoir_size = 0, service_name = "dev-chatbot/prod", url_path = "/health*" },
  { name = "dev-critical-payment", priority = 200, fixed_rate = 1, reservoir_size = 1, service_name = "dev-chatbot/prod", url_path = "/payment*" },
  { name = "dev-chat", priority = 300, fixed_rate = 0.1, reservoir_size = 5, service_name = "dev-chatbot/prod", http_method = "POST", url_path = "/chat*" },
]`,
  },
});
