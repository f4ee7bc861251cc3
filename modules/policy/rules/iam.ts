import type { PolicyRule } from '../types';
import type { PolicyStatement, ResourceView, StackView } from '../view';

/**
 * Actions that take no resource ARN (IAM requires `Resource: "*"` for them), as used by tracing
 * workloads. A write action outside this list on `*` is a finding.
 */
export const STAR_ONLY_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
  'cloudwatch:PutMetricData',
  'ecr:GetAuthorizationToken',
  'sts:GetCallerIdentity',
  'ssm:DescribeParameters',
]);

/** Read-only verbs: Describe*, Get*, List*, BatchGet*. */
export function isReadAction(action: string): boolean {
  return /^[a-z0-9-]+:(Describe|Get|List|BatchGet)/.test(action);
}

/** Broad AWS-managed policies no role of a traced workload needs. */
export const BROAD_MANAGED_POLICY =
  /:iam::aws:policy\/(.*\/)?(AdministratorAccess|PowerUserAccess|[A-Za-z0-9]*FullAccess(V2)?|ReadOnlyAccess|[A-Za-z0-9]*ReadOnlyAccess)$/;

/** The statements a resource holds, or undefined when it holds none this check can read. */
function statementsOf(r: ResourceView, s: StackView): PolicyStatement[] | undefined {
  if (r.kind === 'data' && r.type === 'aws_iam_policy_document') return s.policyStatements(`\${${r.address}.json}`);
  // Role policies that point at a document are checked through the document itself.
  if (
    (r.type === 'aws_iam_role_policy' || r.type === 'aws_iam_policy') &&
    typeof r.attrs.policy === 'string' &&
    !r.attrs.policy.startsWith('${')
  ) {
    return s.policyStatements(r.attrs.policy);
  }
  return undefined;
}

const POLICY_TYPES = ['aws_iam_policy_document', 'aws_iam_role_policy', 'aws_iam_policy'];

export const iamRules: PolicyRule[] = [
  {
    id: 'TS-IAM-1',
    severity: 'error',
    title: 'IAM statements allow no wildcard actions',
    fix: 'List the actions (service:Action) the principal needs; use Deny for blanket denials.',
    appliesTo: POLICY_TYPES,
    refs: { checkov: 'CKV_AWS_1 / CKV_AWS_49', cdkNag: 'AwsSolutions-IAM5', securityHub: 'IAM.1 (related)' },
    check: (r, s) => {
      const bad = (statementsOf(r, s) ?? [])
        .filter((st) => st.effect === 'Allow')
        .flatMap((st) => [
          ...st.actions.filter((a) => a === '*' || /^[a-z0-9-]+:\*$/.test(a)),
          ...st.notActions.map((a) => `NotAction ${a}`),
        ]);
      return bad.length > 0 ? `allows ${[...new Set(bad)].join(', ')}` : undefined;
    },
  },
  {
    id: 'TS-IAM-2',
    severity: 'error',
    title: 'Write actions are scoped to resources, not "*"',
    fix: 'Name the resource ARNs; only actions without resource-level permissions may use "*".',
    appliesTo: POLICY_TYPES,
    refs: { checkov: 'CKV_AWS_355 / CKV_AWS_290', cdkNag: 'AwsSolutions-IAM5' },
    check: (r, s) => {
      const bad = (statementsOf(r, s) ?? [])
        .filter((st) => st.effect === 'Allow' && st.resources.includes('*'))
        .flatMap((st) => st.actions.filter((a) => !STAR_ONLY_ACTIONS.has(a) && !isReadAction(a)));
      return bad.length > 0 ? `allows ${[...new Set(bad)].join(', ')} on "*"` : undefined;
    },
  },
  {
    id: 'TS-IAM-3',
    severity: 'error',
    title: 'Roles carry no broad AWS-managed policies',
    fix: 'Replace *FullAccess / *ReadOnlyAccess / AdministratorAccess with a scoped inline policy.',
    appliesTo: ['aws_iam_role_policy_attachment', 'aws_iam_policy_attachment'],
    refs: { checkov: 'CKV_AWS_274 (related)', cdkNag: 'AwsSolutions-IAM4' },
    check: (r) =>
      BROAD_MANAGED_POLICY.test(String(r.attrs.policy_arn ?? '')) ? `attaches ${r.attrs.policy_arn}` : undefined,
  },
];
