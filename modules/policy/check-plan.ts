/**
 * The policy rules over a plan (`terraform show -json plan.out`), for HCL users of the published modules
 * and any Terraform root module. Pure: JSON in, a result out; the CLI (cli.ts) reads files and prints.
 */
import { evaluate, findingMessage, notCheckedMessage } from './engine';
import { planView } from './plan-view';
import { ALL_RULES } from './rules';
import type { Finding, PolicyRule, Report } from './types';
import type { Json } from './values';

/** One accepted finding: a rule on an address (an instance, a resource with all its instances, or a module). */
export interface PlanSuppression {
  /** The rule id, e.g. `TS-SQS-1`. */
  readonly rule: string;
  /** The plan address it applies to: an instance, a resource with all its instances, or a module. */
  readonly address: string;
  /** Why the finding is accepted; shown in the report. */
  readonly reason: string;
}

export interface CheckPlanOptions {
  /** @default ALL_RULES */
  readonly rules?: readonly PolicyRule[];
  /** @default [] */
  readonly suppressions?: readonly PlanSuppression[];
  /** @default false */
  readonly warningsAsErrors?: boolean;
}

export interface CheckPlanResult {
  /** Every finding (suppressed ones included) and what could not be checked. */
  readonly report: Report;
  /** Unsuppressed findings that fail the check (warnings too with `warningsAsErrors`). */
  readonly errors: Finding[];
  /** Unsuppressed findings that do not fail the check. */
  readonly warnings: Finding[];
  /** Findings a suppression accepted, with its reason. */
  readonly suppressed: { readonly finding: Finding; readonly reason: string }[];
  /** How many resources (and data sources) the rules looked at. */
  readonly resources: number;
}

/** An input that is not a plan, or a suppression file that does not hold; the CLI exits 2 with it. */
export class CheckPlanInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckPlanInputError';
  }
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A resource address (`aws_x.y`, `aws_x.y[0]`, `data.aws_x.y`), a module (`module.m`, `module.m["k"]`), or a
 * resource in a module. A bare type (`aws_security_group`) is not one: it would cover every resource of it.
 */
const ADDRESS =
  /^(?:(?:module\.[\w-]+(?:\[[^\]]+\])?)(?:\.module\.[\w-]+(?:\[[^\]]+\])?)*(?:\.(?:data\.)?[a-z]\w*\.[\w-]+(?:\[[^\]]+\])?)?|(?:data\.)?[a-z]\w*\.[\w-]+(?:\[[^\]]+\])?)$/;

/** Validates a suppressions document (a JSON list of { rule, address, reason }); every problem at once. */
export function readSuppressions(value: unknown, source: string): PlanSuppression[] {
  if (!Array.isArray(value))
    throw new CheckPlanInputError(`${source}: must be a JSON list of { rule, address, reason }`);
  const known = new Set(ALL_RULES.map((r) => r.id));
  const problems: string[] = [];
  value.forEach((s, i) => {
    if (!isObject(s)) return problems.push(`[${i}] must be an object { rule, address, reason }`);
    if (typeof s.rule !== 'string' || !known.has(s.rule)) {
      problems.push(`[${i}].rule must be one of the policy rules, got ${JSON.stringify(s.rule)}`);
    }
    if (typeof s.address !== 'string' || !ADDRESS.test(s.address)) {
      problems.push(`[${i}].address must name a resource or module address, got ${JSON.stringify(s.address)}`);
    }
    if (typeof s.reason !== 'string' || s.reason.trim().length < 10) {
      problems.push(`[${i}].reason must say why, in at least 10 characters, got ${JSON.stringify(s.reason)}`);
    }
    return undefined;
  });
  if (problems.length > 0) throw new CheckPlanInputError(problems.map((p) => `${source}${p}`).join('\n'));
  return value as PlanSuppression[];
}

/** True when a suppression's address covers a resource address (itself, all its instances, or a module). */
function covers(suppressed: string, address: string): boolean {
  return address === suppressed || address.startsWith(`${suppressed}[`) || address.startsWith(`${suppressed}.`);
}

export function checkPlan(plan: unknown, options: CheckPlanOptions = {}): CheckPlanResult {
  if (
    !isObject(plan) ||
    typeof plan.format_version !== 'string' ||
    !('resource_changes' in plan || 'planned_values' in plan)
  ) {
    throw new CheckPlanInputError(
      'not a Terraform plan in JSON: expected the output of `terraform show -json <planfile>` (format_version, resource_changes)',
    );
  }
  const view = planView(plan);
  const report = evaluate(view, options.rules ?? ALL_RULES);
  const suppressions = options.suppressions ?? [];
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const suppressed: { finding: Finding; reason: string }[] = [];
  for (const finding of report.findings) {
    const s = finding.ruleFailed
      ? undefined
      : suppressions.find((x) => x.rule === finding.rule.id && covers(x.address, finding.resource.address));
    if (s) suppressed.push({ finding, reason: s.reason.trim() });
    else if (finding.severity === 'error' || options.warningsAsErrors) errors.push(finding);
    else warnings.push(finding);
  }
  return { report, errors, warnings, suppressed, resources: view.resources.length };
}

/** The report as a reviewer reads it: errors, warnings, suppressions with reasons, not-checked items, a summary. */
export function formatResult(result: CheckPlanResult): string {
  const lines = [
    ...result.errors.map((f) => `ERROR ${findingMessage(f)}`),
    ...result.warnings.map((f) => `WARN  ${findingMessage(f)}`),
    ...result.suppressed.map(
      ({ finding, reason }) =>
        `SUPPRESSED [${finding.rule.id}] ${finding.resource.address} ${finding.field}: ${reason}`,
    ),
    ...result.report.notChecked.map((n) => `NOTE  ${notCheckedMessage(n)}`),
  ];
  const summary =
    `check-plan: ${result.errors.length} error(s), ${result.warnings.length} warning(s), ` +
    `${result.suppressed.length} suppressed, ${result.report.notChecked.length} not checked ` +
    `(${result.resources} resources)`;
  return [...lines, summary].join('\n');
}

/** The result as JSON, for tools. */
export function resultJson(result: CheckPlanResult): Json {
  const finding = (f: Finding) => ({
    rule: f.rule.id,
    severity: f.severity,
    title: f.rule.title,
    address: f.resource.address,
    field: f.field,
    detail: f.detail,
    fix: f.rule.fix,
    ...(f.ruleFailed ? { ruleFailed: true } : {}),
  });
  return {
    errors: result.errors.map(finding),
    warnings: result.warnings.map(finding),
    suppressed: result.suppressed.map((s) => ({ ...finding(s.finding), reason: s.reason })),
    notChecked: result.report.notChecked.map((n) => ({
      rule: n.rule?.id ?? null,
      address: n.address,
      field: n.field,
      reason: n.reason,
    })),
    resources: result.resources,
  };
}
