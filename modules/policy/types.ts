import type { ResourceView, StackView } from './view';

export type Severity = 'error' | 'warning';

/**
 * One policy rule: a small pure function over one synthesized resource (and, where it must, the
 * resources it references). `check` returns undefined when the resource complies or the rule does not
 * apply, and a sentence saying what is wrong otherwise.
 */
export interface PolicyRule {
  /** Stable id, used in messages and suppressions, e.g. `TS-LAMBDA-1`. */
  readonly id: string;
  readonly severity: Severity;
  /** What the rule wants, in a few words. */
  readonly title: string;
  /** How to fix a finding. */
  readonly fix: string;
  /** Resource types the rule looks at. */
  readonly appliesTo: readonly string[];
  /** The same control in other tools. */
  readonly refs: { readonly checkov?: string; readonly cdkNag?: string; readonly securityHub?: string };
  check(resource: ResourceView, stack: StackView): string | undefined;
}

export interface Finding {
  readonly rule: PolicyRule;
  readonly resource: ResourceView;
  readonly detail: string;
}
