/**
 * Runs the rules over a view. Pure, and total: whatever the input, it returns a report. A value a rule
 * cannot judge becomes a "not checked" item; a rule that throws becomes a warning finding naming the
 * rule and the resource (as cdk-nag's CdkNagValidationFailure), so one bad rule never ends a synth.
 */
import { ALL_RULES } from './rules';
import type { CheckResult, Finding, NotCheckedItem, PolicyRule, Problem, Report } from './types';
import { NotChecked, short } from './values';
import type { ResourceView, StackView } from './view';

/** Runs `rules` over every resource of a view; also reports modules, whose insides it cannot see. */
export function evaluate(view: StackView, rules: readonly PolicyRule[] = ALL_RULES): Report {
  const findings: Finding[] = [];
  const notChecked: NotCheckedItem[] = view.modules.map((m) => ({
    address: `module.${m.name}`,
    path: m.path,
    field: 'source',
    reason: `the resources of module ${m.source} are not in this configuration; run check-plan on a plan to check them`,
  }));
  const byType = new Map<string, ResourceView[]>();
  for (const r of view.resources) {
    if (r.kind === 'data') continue;
    byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  }
  for (const rule of rules) {
    for (const type of rule.appliesTo) {
      for (const resource of byType.get(type) ?? []) {
        checkOne(rule, resource, view, findings, notChecked);
      }
    }
  }
  return { findings, notChecked };
}

function checkOne(
  rule: PolicyRule,
  resource: ResourceView,
  view: StackView,
  findings: Finding[],
  notChecked: NotCheckedItem[],
): void {
  view.startTracking();
  let result: CheckResult;
  try {
    result = rule.check(resource, view);
  } catch (e) {
    if (e instanceof NotChecked) {
      notChecked.push({ rule, address: resource.address, path: resource.path, field: e.field, reason: e.reason });
    } else {
      findings.push({
        rule,
        resource,
        field: '-',
        severity: 'warning',
        ruleFailed: true,
        detail: `the rule failed (${describeError(e)}), so this resource was not checked by it; please report it`,
      });
    }
    return;
  }
  const problems: readonly Problem[] = result === undefined ? [] : Array.isArray(result) ? result : [result as Problem];
  const defaults = [...view.defaultsUsed];
  const via = defaults.length > 0 ? ` (judging the default of ${defaults.join(', ')})` : '';
  for (const p of problems) {
    findings.push({ rule, resource, field: p.field, detail: `${p.message}${via}`, severity: rule.severity });
  }
  if (problems.length === 0 && defaults.length > 0) {
    notChecked.push({
      rule,
      address: resource.address,
      path: resource.path,
      field: defaults.join(', '),
      reason: `the default passes, but ${defaults.join(', ')} can be set to anything at plan; check the plan (check-plan)`,
    });
  }
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return short(e);
}

/** The message of a finding: rule id, what is wrong (resource, field), and how to fix it. */
export function findingMessage(f: Finding): string {
  if (f.ruleFailed) return `[${f.rule.id}] ${f.rule.title}: ${f.resource.address}: ${f.detail}`;
  return `[${f.rule.id}] ${f.rule.title}: ${f.resource.address} ${f.field}: ${f.detail}. Fix: ${f.rule.fix}`;
}

/** The message of a not-checked item: what, where, why. */
export function notCheckedMessage(n: NotCheckedItem): string {
  return `[${n.rule?.id ?? 'module'}] not checked: ${n.address} ${n.field} ${n.reason}`;
}
