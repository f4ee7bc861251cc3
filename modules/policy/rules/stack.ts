import { problem, type PolicyRule } from '../types';
import { isSet, num, obj } from '../values';

export const stackRules: PolicyRule[] = [
  {
    id: 'TS-TAGS-1',
    severity: 'warning',
    title: 'The AWS provider sets default tags',
    fix: 'Set default_tags { tags = { project, environment, managed-by } } on the provider.',
    appliesTo: ['aws_provider'],
    refs: {},
    blindSpots: 'Tags set resource by resource instead.',
    check: (r, s) => {
      const tags = obj(s.value(r, 'default_tags'), 'default_tags').tags;
      return isSet(tags) && (typeof tags !== 'object' || Object.keys(tags as object).length > 0)
        ? undefined
        : problem('default_tags', 'is not set');
    },
  },
  {
    id: 'TS-XRAY-1',
    severity: 'error',
    title: 'X-Ray sampling rules have distinct priorities',
    fix: 'Give every rule its own priority; X-Ray evaluates them in priority order and ties are ambiguous.',
    appliesTo: ['aws_xray_sampling_rule'],
    refs: {},
    blindSpots: 'Sampling rules defined outside this configuration.',
    check: (r, s) => {
      const priority = num(s.value(r, 'priority'), 'priority');
      const same = s
        .ofType('aws_xray_sampling_rule')
        .filter((o) => o.address !== r.address && s.value(o, 'priority') === priority);
      return same.length > 0
        ? problem('priority', `${priority} is shared with ${same.map((o) => o.address).join(', ')}`)
        : undefined;
    },
  },
];
