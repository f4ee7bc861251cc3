export { XrayFaultGroup, XraySamplingRules } from './xray-sampling-rules';
export { SAMPLING_LIMITS, type SamplingRule, type XrayFaultGroupProps, type XraySamplingRulesProps } from './props';
export { chatApiRule, criticalPathRules, faultFilterExpression, healthCheckRule, type PresetOptions } from './presets';
