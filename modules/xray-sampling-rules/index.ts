export { XrayFaultGroup, XraySamplingRules } from './xray-sampling-rules';
export { SAMPLING_LIMITS, SAMPLING_RULE, XRAY_FAULT_GROUP_INPUTS, XRAY_SAMPLING_RULES_INPUTS } from './inputs';
export type { SamplingRule, XrayFaultGroupProps, XraySamplingRulesProps } from './props';
export {
  apiStageScope,
  chatApiRule,
  criticalPathRules,
  faultFilterExpression,
  healthCheckRule,
  type PresetOptions,
  type SamplingScope,
} from './presets';
export { disjointMatchers, globMatches, globsOverlap, RULE_MATCHERS, type RuleMatcher } from './matching';
