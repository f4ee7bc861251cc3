import type { PolicyRule } from '../types';
import { apiGatewayRules } from './apigw';
import { computeRules } from './compute';
import { iamRules } from './iam';
import { lambdaRules } from './lambda';
import { networkRules } from './network';
import { sqsRules } from './sqs';
import { stackRules } from './stack';

/** Every rule, in the order findings are reported. */
export const ALL_RULES: readonly PolicyRule[] = [
  ...lambdaRules,
  ...sqsRules,
  ...apiGatewayRules,
  ...computeRules,
  ...iamRules,
  ...networkRules,
  ...stackRules,
];

export { BROAD_MANAGED_POLICY, STAR_ONLY_ACTIONS, isReadAction } from './iam';
export { containersOf } from './compute';
