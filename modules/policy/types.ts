import { NotChecked } from './values';
import type { ResourceView, StackView } from './view';

export type Severity = 'error' | 'warning';

/** What is wrong with one field of a resource. */
export interface Problem {
  /** The attribute path, e.g. `tracing_config.mode` or `policy.Statement[0].Action`. */
  readonly field: string;
  /** What is wrong and the value found. */
  readonly message: string;
}

export type CheckResult = Problem | readonly Problem[] | undefined;

/** The same control in other tools. "(related)" marks an overlap that is not the same check. */
export interface RuleRefs {
  /** The checkov check id, e.g. `CKV_AWS_27`. */
  readonly checkov?: string;
  /** The cdk-nag rule id, e.g. `AwsSolutions-SQS4`. */
  readonly cdkNag?: string;
  /** The AWS Security Hub control id, e.g. `SQS.1`. */
  readonly securityHub?: string;
}

/**
 * One policy rule: a small pure function over one resource (and, where it must, the resources it
 * references). `check` returns undefined when the resource complies or the rule does not apply, and
 * what is wrong otherwise; it throws `NotChecked` (through the value helpers) when a value it needs
 * cannot be known, which is reported as "not checked", never as a pass.
 */
export interface PolicyRule {
  /** Stable id, used in messages and suppressions, e.g. `TS-LAMBDA-1`. */
  readonly id: string;
  /** An error fails the synth (or check-plan); a warning is reported. */
  readonly severity: Severity;
  /** What the rule wants, in a few words. */
  readonly title: string;
  /** How to fix a finding. */
  readonly fix: string;
  /** Resource types the rule looks at (providers as `<name>_provider`). */
  readonly appliesTo: readonly string[];
  /** The same control in other tools. */
  readonly refs: RuleRefs;
  /** What the rule cannot see, in a sentence (shown in the rule table). */
  readonly blindSpots: string;
  /** Judges one resource; `stack` resolves what it references. */
  check(resource: ResourceView, stack: StackView): CheckResult;
}

export interface Finding {
  /** The rule that found it. */
  readonly rule: PolicyRule;
  /** The resource it is about. */
  readonly resource: ResourceView;
  /** The attribute path, e.g. `policy.Statement[0].Action`. */
  readonly field: string;
  /** What is wrong and the value found. */
  readonly detail: string;
  /** The rule's severity. */
  readonly severity: Severity;
  /** True when the rule itself failed on this resource (it was not checked by that rule). */
  readonly ruleFailed?: boolean;
}

/** A resource (or a module) a rule could not judge, and why. */
export interface NotCheckedItem {
  /** Undefined for a whole module, which no rule could look into. */
  readonly rule?: PolicyRule;
  /** The resource's (or module's) address. */
  readonly address: string;
  /** The construct path at synth; the address in a plan. */
  readonly path: string;
  /** The attribute the rule needed. */
  readonly field: string;
  /** Why its value could not be known, e.g. a reference known only after apply. */
  readonly reason: string;
}

export interface Report {
  /** What the rules found. */
  readonly findings: Finding[];
  /** What the rules could not judge, and why: never counted as a pass. */
  readonly notChecked: NotCheckedItem[];
}

export const problem = (field: string, message: string): Problem => ({ field, message });

/**
 * Collects a rule's problems and the values it could not judge: problems win (a finding is a finding
 * even if some other value is unknown); with none, an unknown value makes the result NotChecked.
 */
export class Verdict {
  private readonly problems: Problem[] = [];
  private unknown?: NotChecked;

  public add(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  /** Runs `fn`; a NotChecked it throws is remembered instead of ending the rule. */
  public try(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof NotChecked)) throw e;
      this.unknown ??= e;
    }
  }

  public result(): CheckResult {
    if (this.problems.length > 0) return this.problems;
    if (this.unknown) throw this.unknown;
    return undefined;
  }
}
