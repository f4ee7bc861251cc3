import { Annotations, TerraformOutput, TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { ValidationError, describeConstruct } from '../core/validation';
import { ALL_RULES } from './rules';
import type { Finding, PolicyRule } from './types';
import { StackView } from './view';

const SUPPRESSION = 'traced-chatbot:policy-suppression';

interface Suppression {
  readonly rule: string;
  readonly reason: string;
}

/** Runs `rules` over every resource of a synthesized stack. Pure: the tests call it on plain JSON. */
export function evaluate(view: StackView, rules: readonly PolicyRule[] = ALL_RULES): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const resource of view.resources.filter((r) => rule.appliesTo.includes(r.type))) {
      const detail = rule.check(resource, view);
      if (detail !== undefined) findings.push({ rule, resource, detail });
    }
  }
  return findings;
}

/** The message of a finding: rule id, what is wrong, and how to fix it. */
export function findingMessage(f: Finding): string {
  return `[${f.rule.id}] ${f.rule.title}: ${f.resource.address} ${f.detail}. Fix: ${f.rule.fix}`;
}

export interface PolicyChecksProps {
  /** The rules to run. @default ALL_RULES */
  readonly rules?: readonly PolicyRule[];
  /** Report warnings as errors too. @default false */
  readonly warningsAsErrors?: boolean;
}

/**
 * A cdktf Aspect that checks every resource of a stack against the project's policy rules at synth:
 * `Aspects.of(stack).add(new PolicyChecks())`. Error findings fail the synth, warnings are printed;
 * each names the rule id, the resource and how to fix it. `PolicyChecks.suppress()` accepts a finding
 * on purpose, with a reason that is kept in the synth output and in the stack's
 * `policy_suppressions` output, so a reviewer sees every exception in the plan.
 */
export class PolicyChecks implements IAspect {
  /**
   * Suppresses `ruleId` on `scope` and everything below it. The reason is mandatory: it says why
   * the weakness is acceptable here, and it is shown to every reviewer.
   */
  public static suppress(scope: IConstruct, ruleId: string, reason: string): void {
    const problems: string[] = [];
    if (!ALL_RULES.some((r) => r.id === ruleId))
      problems.push(
        `ruleId must be one of the policy rules (${ALL_RULES.map((r) => r.id).join(', ')}), got ${JSON.stringify(ruleId)}`,
      );
    if (typeof reason !== 'string' || reason.trim().length < 10)
      problems.push(`reason must say why, in at least 10 characters, got ${JSON.stringify(reason)}`);
    if (problems.length > 0) throw new ValidationError(describeConstruct('PolicyChecks.suppress', scope), problems);
    scope.node.addMetadata(SUPPRESSION, { rule: ruleId, reason: reason.trim() } satisfies Suppression);
  }

  private readonly rules: readonly PolicyRule[];
  private readonly warningsAsErrors: boolean;
  private readonly checked = new WeakSet<IConstruct>();

  constructor(props: PolicyChecksProps = {}) {
    this.rules = props.rules ?? ALL_RULES;
    this.warningsAsErrors = props.warningsAsErrors ?? false;
  }

  public visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || this.checked.has(node)) return;
    this.checked.add(node);
    const stack = node as TerraformStack;
    const byPath = new Map(stack.node.findAll().map((c) => [c.node.path, c]));
    const suppressed: string[] = [];
    for (const finding of evaluate(new StackView(stack.toTerraform() as Record<string, unknown>), this.rules)) {
      const construct = byPath.get(finding.resource.path) ?? stack;
      const suppression = suppressionFor(construct, finding.rule.id);
      if (suppression) {
        const line = `${finding.rule.id} ${finding.resource.address}: ${suppression.reason}`;
        suppressed.push(line);
        Annotations.of(construct).addInfo(
          `[${finding.rule.id}] suppressed: ${suppression.reason} (finding: ${finding.detail})`,
        );
      } else if (finding.rule.severity === 'error' || this.warningsAsErrors) {
        Annotations.of(construct).addError(findingMessage(finding));
      } else {
        Annotations.of(construct).addWarning(findingMessage(finding));
      }
    }
    if (suppressed.length > 0) {
      new TerraformOutput(stack, 'policy_suppressions', {
        description: 'Policy findings accepted in this stack, each with the reason given for it',
        value: suppressed.sort(),
      });
    }
  }
}

/** The suppression of `ruleId` on `construct` or the nearest ancestor that has one. */
function suppressionFor(construct: IConstruct, ruleId: string): Suppression | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const entry = scope.node.metadata.find((m) => m.type === SUPPRESSION && (m.data as Suppression).rule === ruleId);
    if (entry) return entry.data as Suppression;
  }
  return undefined;
}
