import type { PolicyRule } from '../types';

type Json = Record<string, unknown>;

export const stackRules: PolicyRule[] = [
  {
    id: 'TS-TAGS-1',
    severity: 'warning',
    title: 'The AWS provider sets default tags',
    fix: 'Set default_tags { tags = { project, environment, managed-by } } on the provider.',
    appliesTo: ['aws_provider'],
    refs: {},
    check: (r) => {
      const tags = ((r.attrs.default_tags as Json[] | undefined) ?? [])[0]?.tags as Json | undefined;
      return tags && Object.keys(tags).length > 0 ? undefined : 'no default_tags';
    },
  },
  {
    id: 'TS-XRAY-1',
    severity: 'error',
    title: 'X-Ray sampling rules have distinct priorities',
    fix: 'Give every rule its own priority; X-Ray evaluates them in priority order and ties are ambiguous.',
    appliesTo: ['aws_xray_sampling_rule'],
    refs: {},
    check: (r, s) => {
      const same = s
        .ofType('aws_xray_sampling_rule')
        .filter((o) => o.address !== r.address && o.attrs.priority === r.attrs.priority);
      return same.length > 0
        ? `priority ${r.attrs.priority} is shared with ${same.map((o) => o.address).join(', ')}`
        : undefined;
    },
  },
];
