export { PolicyChecks, evaluate, findingMessage, type PolicyChecksProps } from './policy-checks';
export { ALL_RULES, BROAD_MANAGED_POLICY, STAR_ONLY_ACTIONS, containersOf, isReadAction } from './rules';
export {
  StackView,
  documentStatements,
  jsonPolicyStatements,
  parseJsonencode,
  referenceAddress,
  type PolicyStatement,
  type ResourceView,
} from './view';
export type { Finding, PolicyRule, Severity } from './types';
