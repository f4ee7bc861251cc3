import { Annotations, App, TerraformOutput, TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { ValidationError, describeConstruct } from '../core/validation';
import { evaluate, findingMessage, notCheckedMessage } from './engine';
import { finalConfiguration, releaseFinalConfiguration } from './final-configuration';
import { ALL_RULES } from './rules';
import type { Finding, PolicyRule } from './types';
import { StackView } from './view';

/** The metadata type a suppression is recorded under (by `PolicyChecks.suppress`, or by hand). */
export const SUPPRESSION_METADATA = 'traced-chatbot:policy-suppression';

const MIN_REASON = 10;
const ERROR = '@cdktf/error';

interface Suppression {
  readonly rule: string;
  readonly reason: string;
}

export interface PolicyChecksProps {
  /** The rules to run. @default ALL_RULES */
  readonly rules?: readonly PolicyRule[];
  /** Report warnings as errors too. @default false */
  readonly warningsAsErrors?: boolean;
}

/** What is wrong with a suppression, or undefined when it names a known rule and gives a reason. */
export function suppressionProblems(rule: unknown, reason: unknown): string[] {
  const problems: string[] = [];
  if (typeof rule !== 'string' || !ALL_RULES.some((r) => r.id === rule)) {
    problems.push(
      `ruleId must be one of the policy rules (${ALL_RULES.map((r) => r.id).join(', ')}), got ${JSON.stringify(rule)}`,
    );
  }
  if (typeof reason !== 'string' || reason.trim().length < MIN_REASON) {
    problems.push(`reason must say why, in at least ${MIN_REASON} characters, got ${JSON.stringify(reason)}`);
  }
  return problems;
}

/**
 * The project's policy rules, run on each stack's FINAL configuration: `Aspects.of(stack).add(new
 * PolicyChecks())` registers a validation on the stack, which cdktf runs after every Aspect (also those
 * added later, or that edit resources) and which sees escape-hatch overrides. It reuses the stack's
 * one resolution (`toTerraform()`) that is then written to cdk.tf.json. Error findings fail the
 * synth, warnings are printed, values that cannot be judged at synth are reported as "not checked";
 * each names the rule id, the resource, the field and the fix. `PolicyChecks.suppress()` accepts a
 * finding on purpose, with a reason kept in the synth output and in the stack's `policy_suppressions`
 * output, so a reviewer sees every exception in the plan.
 *
 * Validations do not run when the app is built with `skipValidation` (a warning says so), nor in
 * `Testing.synth(stack)` without its `runValidations` argument.
 */
export class PolicyChecks implements IAspect {
  /**
   * Suppresses `ruleId` on `scope` and everything below it. The reason is mandatory: it says why
   * the weakness is acceptable here, and it is shown to every reviewer.
   */
  public static suppress(scope: IConstruct, ruleId: string, reason: string): void {
    const problems = suppressionProblems(ruleId, reason);
    if (problems.length > 0) throw new ValidationError(describeConstruct('PolicyChecks.suppress', scope), problems);
    scope.node.addMetadata(SUPPRESSION_METADATA, { rule: ruleId, reason: reason.trim() } satisfies Suppression);
  }

  private readonly rules: readonly PolicyRule[];
  private readonly warningsAsErrors: boolean;
  private readonly attached = new WeakSet<TerraformStack>();

  constructor(props: PolicyChecksProps = {}) {
    this.rules = props.rules ?? ALL_RULES;
    this.warningsAsErrors = props.warningsAsErrors ?? false;
  }

  /** The first node visited in a stack is the scope the checks were added to. */
  public visit(node: IConstruct): void {
    const stack = TerraformStack.of(node);
    if (this.attached.has(stack)) return;
    this.attached.add(stack);
    if (App.of(stack).skipValidation) {
      Annotations.of(stack).addWarning(
        'PolicyChecks did not run: the app skips validations (skipValidation), and the checks are one',
      );
      return;
    }
    stack.node.addValidation({
      validate: () => {
        this.check(stack, node);
        return [];
      },
    });
  }

  private check(stack: TerraformStack, scope: IConstruct): void {
    const json = finalConfiguration(stack);
    const report = evaluate(new StackView(json), this.rules);
    const byPath = new Map(stack.node.findAll().map((c) => [c.node.path, c]));
    const inScope = (path: string) =>
      scope === stack || path === scope.node.path || path.startsWith(`${scope.node.path}/`);
    const suppressed: string[] = [];
    for (const finding of report.findings.filter((f) => inScope(f.resource.path))) {
      const construct = byPath.get(finding.resource.path) ?? stack;
      const suppression = finding.ruleFailed ? undefined : this.suppressionFor(construct, finding);
      if (suppression) {
        suppressed.push(`${finding.rule.id} ${finding.resource.address}: ${suppression.reason}`);
        Annotations.of(construct).addInfo(
          `[${finding.rule.id}] suppressed: ${suppression.reason} (finding: ${finding.field}: ${finding.detail})`,
        );
      } else if (finding.severity === 'error' || this.warningsAsErrors) {
        Annotations.of(construct).addError(findingMessage(finding));
      } else {
        Annotations.of(construct).addWarning(findingMessage(finding));
      }
    }
    for (const item of report.notChecked.filter((n) => inScope(n.path))) {
      Annotations.of(byPath.get(item.path) ?? stack).addInfo(notCheckedMessage(item));
    }
    if (suppressed.length > 0) addSuppressionsOutput(stack, json, suppressed.sort());
    // An error annotation ends the synth before anything is written: hand nothing over then.
    if ([...byPath.values()].some((c) => c.node.metadata.some((m) => m.type === ERROR)))
      releaseFinalConfiguration(stack);
  }

  /**
   * The suppression of the finding's rule on `construct` or its nearest ancestor that has one. A
   * suppression without a reason (recorded by hand, not through `suppress()`) is an error, and ignored.
   */
  private suppressionFor(construct: IConstruct, finding: Finding): Suppression | undefined {
    for (const scope of [...construct.node.scopes].reverse()) {
      for (const entry of scope.node.metadata.filter((m) => m.type === SUPPRESSION_METADATA)) {
        const data = (entry.data ?? {}) as Partial<Suppression>;
        if (data.rule !== finding.rule.id) continue;
        const problems = suppressionProblems(data.rule, data.reason);
        if (problems.length === 0) return { rule: data.rule, reason: String(data.reason).trim() };
        Annotations.of(scope).addError(
          `[${finding.rule.id}] a suppression on ${scope.node.path} is ignored: ${problems.join('; ')}. Use PolicyChecks.suppress(scope, rule, reason).`,
        );
      }
    }
    return undefined;
  }
}

/**
 * Adds the `policy_suppressions` output, both as a construct (for `cdktf synth --hcl` and later
 * resolutions) and to the already resolved configuration the synthesizer is about to write.
 */
function addSuppressionsOutput(stack: TerraformStack, json: Record<string, unknown>, lines: string[]): void {
  const id = 'policy_suppressions';
  const existing = stack.node.tryFindChild(id) as TerraformOutput | undefined;
  const outputs = (json.output ??= {}) as Record<string, { description?: string; value: string[] }>;
  if (existing) {
    const key = existing.friendlyUniqueId;
    outputs[key] = { ...outputs[key], value: [...new Set([...(outputs[key]?.value ?? []), ...lines])].sort() };
    existing.value = outputs[key].value;
    return;
  }
  const description = 'Policy findings accepted in this stack, each with the reason given for it';
  const output = new TerraformOutput(stack, id, { description, value: lines });
  outputs[output.friendlyUniqueId] = { description, value: lines };
  const meta = ((json['//'] ??= {}) as Record<string, unknown>).outputs as Record<string, unknown> | undefined;
  if (meta) {
    const parts = output.node.path.split('/');
    let at = meta;
    for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
    at[parts[parts.length - 1]] = output.friendlyUniqueId;
  }
}
