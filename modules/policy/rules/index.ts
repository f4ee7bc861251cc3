import type { PolicyRule } from '../types';
import { apiGatewayRules } from './apigw';
import { computeRules } from './compute';
import { iamRules } from './iam';
import { lambdaRules } from './lambda';
import { networkRules } from './network';
import { resourcePolicyRules } from './resource-policies';
import { secretRules } from './secrets';
import { sqsRules } from './sqs';
import { stackRules } from './stack';

/** Every rule, in the order findings are reported. */
export const ALL_RULES: readonly PolicyRule[] = [
  ...lambdaRules,
  ...sqsRules,
  ...resourcePolicyRules,
  ...apiGatewayRules,
  ...computeRules,
  ...iamRules,
  ...networkRules,
  ...secretRules,
  ...stackRules,
];

export { BROAD_MANAGED_POLICY } from './iam';
export { containersOf, DANGEROUS_CAPABILITIES } from './compute';
export { plaintextSecret } from './secrets';
