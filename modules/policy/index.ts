export { PolicyChecks, SUPPRESSION_METADATA, suppressionProblems, type PolicyChecksProps } from './policy-checks';
export { evaluate, findingMessage, notCheckedMessage } from './engine';
export { ALL_RULES, BROAD_MANAGED_POLICY, DANGEROUS_CAPABILITIES, containersOf, plaintextSecret } from './rules';
export {
  SENSITIVE_READS,
  STAR_ONLY_ACTIONS,
  documentStatements,
  isBroadResource,
  isReadAction,
  jsonPolicyStatements,
} from './iam-policy';
export { readEncodedJson, readHclValue } from './hcl-value';
export { planView } from './plan-view';
export { checkPlan, type CheckPlanResult, type PlanSuppression } from './check-plan';
export { StackView, referenceAddress, type ModuleCall, type PolicyStatement, type ResourceView } from './view';
export { NotChecked } from './values';
export type { CheckResult, Finding, NotCheckedItem, PolicyRule, Problem, Report, RuleRefs, Severity } from './types';
