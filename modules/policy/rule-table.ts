/**
 * The rule table of modules/policy/README.md, from the rules' own metadata (a test keeps the README in
 * step: `UPDATE_RULE_TABLE=1 npx jest policy-docs` rewrites it, then `npm run format`). Pure.
 */
import { ALL_RULES } from './rules';
import type { PolicyRule } from './types';

export const RULE_TABLE_HEADER = [
  'id',
  'severity',
  'rule',
  'resources',
  'checkov',
  'cdk-nag',
  'Security Hub',
  'what it cannot see',
] as const;

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\*/g, '\\*');

/** The cells of one rule's row, as plain text. */
export function ruleRow(rule: PolicyRule): string[] {
  return [
    rule.id,
    rule.severity,
    rule.title,
    rule.appliesTo.map((t) => `\`${t}\``).join(', '),
    rule.refs.checkov ?? '-',
    rule.refs.cdkNag ?? '-',
    rule.refs.securityHub ?? '-',
    rule.blindSpots,
  ];
}

/** The whole table as Markdown (unpadded; prettier pads it). */
export function ruleTable(rules: readonly PolicyRule[] = ALL_RULES): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(RULE_TABLE_HEADER),
    line(RULE_TABLE_HEADER.map(() => '---')),
    ...rules.map((r) => line(ruleRow(r).map((c, i) => (i === 3 ? c : cell(c))))),
  ].join('\n');
}
