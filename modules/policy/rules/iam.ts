import {
  hasRestrictingCondition,
  isAnyRole,
  isBroadForReads,
  isBroadResource,
  isEveryone,
  isLambdaVpcAccess,
  onlyReferences,
  RESTRICTING_KEYS,
  isWriteAction,
  SENSITIVE_READS,
  sensitiveReadsOf,
  type PolicyStatement,
} from '../iam-policy';
import { Verdict, type PolicyRule } from '../types';
import { NotChecked, globMatch, hasWildcard, isExpression, isReference, list, str, whyUnknown } from '../values';
import type { ResourceView, StackView } from '../view';

/** Resources that grant permissions to the principal they belong to, and where the policy is. */
const IDENTITY_POLICIES: Record<string, string> = {
  aws_iam_policy: 'policy',
  aws_iam_role_policy: 'policy',
  aws_iam_user_policy: 'policy',
  aws_iam_group_policy: 'policy',
  aws_iam_role: 'inline_policy',
};
const IDENTITY_TYPES = Object.keys(IDENTITY_POLICIES);

/** Every identity policy a resource holds: its `policy`, or each `inline_policy` block of a role. */
function identityPolicies(r: ResourceView, s: StackView): { field: string; policy: unknown }[] {
  if (r.type !== 'aws_iam_role') return [{ field: 'policy', policy: s.value(r, 'policy') }];
  return list(s.value(r, 'inline_policy'), 'inline_policy').map((block, i) => ({
    field: `inline_policy[${i}].policy`,
    policy: s.resolve((block as Record<string, unknown> | null)?.policy),
  }));
}

/**
 * Runs `judge` over every Allow statement of every identity policy of `r`, collecting problems; an
 * unreadable policy or an unknown value makes the result "not checked" only when nothing is wrong.
 */
function eachAllow(
  r: ResourceView,
  s: StackView,
  judge: (st: PolicyStatement, at: string, verdict: Verdict) => void,
): ReturnType<PolicyRule['check']> {
  const verdict = new Verdict();
  for (const { field, policy } of identityPolicies(r, s)) {
    verdict.try(() =>
      s.statements(policy, field).forEach((st, i) => {
        if (st.effect !== 'Allow') return;
        const at = `${field}.Statement[${i}]`;
        if (st.unknownEffect) verdict.try(() => str(st.unknownEffect, `${at}.Effect`));
        verdict.try(() => judge(st, at, verdict));
      }),
    );
  }
  return verdict.result();
}

/** Actions of a statement that are known; an expression among them is NotChecked (via the verdict). */
function knownActions(st: PolicyStatement, at: string, verdict: Verdict): string[] {
  return st.actions.filter((a) => {
    if (!isExpression(a)) return true;
    verdict.try(() => str(a, `${at}.Action`));
    return false;
  });
}

/** The resources of a statement that mean "everything" (or NotResource, which does too). */
function broadResources(st: PolicyStatement, at: string, verdict: Verdict, test = isBroadResource): string[] {
  if ((st.notResources ?? []).length > 0) return [`NotResource ${st.notResources?.join(', ')}`];
  return st.resources.filter((res) => {
    let broad = false;
    verdict.try(() => {
      broad = test(res, `${at}.Resource`);
    });
    return broad;
  });
}

/** Broad AWS-managed policies no workload role needs, by name. */
export const BROAD_MANAGED_POLICY =
  /:iam::aws:policy\/(job-function\/.*|(.*\/)?(AdministratorAccess.*|PowerUserAccess|IAMFullAccess|[\w-]*FullAccess\w*|ReadOnlyAccess|[\w-]*ReadOnlyAccess))$/;
const BROAD_MANAGED_NAME =
  /^(AdministratorAccess.*|PowerUserAccess|IAMFullAccess|[\w-]*FullAccess\w*|ReadOnlyAccess|[\w-]*ReadOnlyAccess)$/;

/** Resources that attach managed policies, and the attribute holding the ARN(s). */
const ATTACHMENTS: Record<string, string> = {
  aws_iam_role_policy_attachment: 'policy_arn',
  aws_iam_user_policy_attachment: 'policy_arn',
  aws_iam_group_policy_attachment: 'policy_arn',
  aws_iam_policy_attachment: 'policy_arn',
  aws_iam_role: 'managed_policy_arns',
  aws_iam_role_policy_attachments_exclusive: 'policy_arns',
  aws_iam_user_policy_attachments_exclusive: 'policy_arns',
  aws_iam_group_policy_attachments_exclusive: 'policy_arns',
};

/** Why a managed policy ARN (or a reference to a data.aws_iam_policy) is broad, or undefined. */
function broadManagedPolicy(arn: unknown, s: StackView, field: string): string | undefined {
  const value = s.resolve(arn);
  const data = s.referenced(value);
  if (data?.kind === 'data' && data.type === 'aws_iam_policy') {
    const name = s.value(data, 'name');
    const dataArn = s.value(data, 'arn');
    if (typeof name === 'string' && !isExpression(name)) return BROAD_MANAGED_NAME.test(name) ? name : undefined;
    if (typeof dataArn === 'string' && !isExpression(dataArn))
      return BROAD_MANAGED_POLICY.test(dataArn) ? dataArn : undefined;
    throw new NotChecked(field, `is ${data.address}, looked up by an expression`);
  }
  if (isReference(value)) return undefined; // a customer-managed policy: its statements are checked where it is defined
  if (typeof value !== 'string') return undefined;
  // `arn:${partition}:iam::aws:policy/...`: the name is literal even when the partition is not
  const tail = value.replace(/^arn:\$\{[^}]*\}:/, 'arn:aws:');
  if (BROAD_MANAGED_POLICY.test(tail)) return value;
  if (isExpression(tail)) throw new NotChecked(field, whyUnknown(value));
  return undefined;
}

export const iamRules: PolicyRule[] = [
  {
    id: 'TS-IAM-1',
    severity: 'error',
    title: 'IAM statements allow no wildcard actions',
    fix: 'List the actions (service:Action) the principal needs; use Deny for blanket denials.',
    appliesTo: IDENTITY_TYPES,
    refs: {
      checkov: 'CKV_AWS_1 / CKV_AWS_49 / CKV_AWS_63',
      cdkNag: 'AwsSolutions-IAM5',
      securityHub: 'IAM.1 / IAM.21',
    },
    blindSpots:
      'Policies built at apply time or attached outside this configuration; a policy from a file() or templatefile().',
    check: (r, s) =>
      eachAllow(r, s, (st, at, verdict) => {
        for (const a of knownActions(st, at, verdict)) if (hasWildcard(a)) verdict.add(`${at}.Action`, `allows ${a}`);
        if (st.notActions.length > 0)
          verdict.add(`${at}.NotAction`, `allows everything but ${st.notActions.join(', ')}`);
      }),
  },
  {
    id: 'TS-IAM-2',
    severity: 'error',
    title: 'Write actions are scoped to resources, not "*"',
    fix: 'Name the resource ARNs; only actions without resource-level permissions may use "*".',
    appliesTo: IDENTITY_TYPES,
    refs: { checkov: 'CKV_AWS_355 / CKV_AWS_290', cdkNag: 'AwsSolutions-IAM5', securityHub: 'IAM.1 (related)' },
    blindSpots: 'Which resources a wildcard ARN pattern matches in the account; actions granted by managed policies.',
    check: (r, s) =>
      eachAllow(r, s, (st, at, verdict) => {
        const broad = broadResources(st, at, verdict);
        // Lambda's VPC access, exactly as AWS documents it (see LAMBDA_VPC_ACCESS_ACTIONS).
        if (broad.length === 0 || isLambdaVpcAccess(st)) return;
        const writes =
          st.notActions.length > 0
            ? [`all but ${st.notActions.join(', ')}`]
            : knownActions(st, at, verdict).filter(
                // sensitive reads are TS-IAM-4's, iam:PassRole is TS-IAM-5's
                (a) =>
                  isWriteAction(a) &&
                  a.toLowerCase() !== 'iam:passrole' &&
                  !SENSITIVE_READS.some((x) => x.toLowerCase() === a.toLowerCase()),
              );
        if (writes.length > 0) verdict.add(`${at}.Resource`, `allows ${writes.join(', ')} on ${broad.join(', ')}`);
      }),
  },
  {
    id: 'TS-IAM-3',
    severity: 'error',
    title: 'Principals carry no broad AWS-managed policies',
    fix: 'Replace AdministratorAccess* / *FullAccess* / *ReadOnlyAccess / job-function policies with a scoped inline policy.',
    appliesTo: Object.keys(ATTACHMENTS),
    refs: {
      checkov: 'CKV_AWS_274 / CKV2_AWS_40 (related)',
      cdkNag: 'AwsSolutions-IAM4',
      securityHub: 'IAM.1 (related)',
    },
    blindSpots: 'What a customer-managed policy referenced by ARN (not defined here) grants.',
    check: (r, s) => {
      const key = ATTACHMENTS[r.type];
      const verdict = new Verdict();
      verdict.try(() => {
        const raw = s.value(r, key);
        const arns = key === 'policy_arn' ? [raw] : list(raw, key);
        arns.forEach((arn, i) => {
          const field = key === 'policy_arn' ? key : `${key}[${i}]`;
          verdict.try(() => {
            const broad = broadManagedPolicy(arn, s, field);
            if (broad) verdict.add(field, `attaches ${broad}`);
          });
        });
      });
      return verdict.result();
    },
  },
  {
    id: 'TS-IAM-4',
    severity: 'error',
    title: 'Reads of secrets, objects, keys and messages are scoped to resources',
    fix: 'Name the secrets, buckets, keys or parameters the principal reads; "*" reads every one in the account.',
    appliesTo: IDENTITY_TYPES,
    refs: { checkov: 'CKV_AWS_288 (related)', cdkNag: 'AwsSolutions-IAM5', securityHub: 'KMS.1 / KMS.2 (related)' },
    blindSpots:
      'Sensitive reads beyond the listed actions (see SENSITIVE_READS); data reached through resource policies; log reads on log-group:* (taken as scoped).',
    check: (r, s) =>
      eachAllow(r, s, (st, at, verdict) => {
        const broad = broadResources(st, at, verdict, isBroadForReads);
        if (broad.length === 0) return;
        const reads =
          st.notActions.length > 0
            ? ['sensitive reads (NotAction)']
            : [...new Set(knownActions(st, at, verdict).flatMap(sensitiveReadsOf))];
        if (reads.length > 0) verdict.add(`${at}.Resource`, `allows ${reads.join(', ')} on ${broad.join(', ')}`);
      }),
  },
  {
    id: 'TS-IAM-5',
    severity: 'error',
    title: 'iam:PassRole is scoped to named roles',
    fix: 'Allow iam:PassRole only on the role ARNs the principal hands to services, with an iam:PassedToService condition.',
    appliesTo: IDENTITY_TYPES,
    refs: { checkov: 'CKV_AWS_286 / CKV_AWS_287 (related)', cdkNag: 'AwsSolutions-IAM5 (related)' },
    blindSpots: 'Role ARNs given by a variable without a default.',
    check: (r, s) =>
      eachAllow(r, s, (st, at, verdict) => {
        const passes =
          st.notActions.length > 0
            ? !st.notActions.some((a) => globMatch(a, 'iam:PassRole'))
            : knownActions(st, at, verdict).some((a) => globMatch(a, 'iam:PassRole'));
        if (!passes) return;
        const any = broadResources(st, at, verdict, isAnyRole);
        if (any.length > 0)
          verdict.add(`${at}.Resource`, `allows iam:PassRole on ${any.join(', ')}: any role, any service`);
      }),
  },
  {
    id: 'TS-IAM-6',
    severity: 'error',
    title: 'Trust policies name who may assume the role',
    fix: 'Trust a service or a named principal; for another account add an sts:ExternalId or aws:PrincipalOrgID condition; for web identities condition on :sub and :aud.',
    appliesTo: ['aws_iam_role'],
    refs: { checkov: 'CKV_AWS_60 / CKV_AWS_61', cdkNag: '-', securityHub: 'IAM.1 (related)' },
    blindSpots:
      'Whether a literal account ID is your own (it is treated as another account unless the plan shows it); whether a specific condition value is yours.',
    check: (r, s) => {
      const verdict = new Verdict();
      verdict.try(() =>
        s.statements(s.value(r, 'assume_role_policy'), 'assume_role_policy').forEach((st, i) =>
          verdict.try(() => {
            if (st.effect !== 'Allow') return;
            const statement = `assume_role_policy.Statement[${i}]`;
            const at = `${statement}.Principal`;
            const restricted = (keys: readonly string[]) => hasRestrictingCondition(st, statement, keys);
            if (isEveryone(st)) {
              if (!restricted(TRUST_KEYS)) verdict.add(at, 'lets any AWS principal ("*") assume the role');
              return;
            }
            for (const p of st.principals) {
              for (const id of p.identifiers) {
                if (p.type === 'AWS' && !isOwnAccount(id, s)) {
                  if (!onlyReferences(id)) {
                    // a principal from a variable without a default: another account, or "*"
                    if (!restricted(TRUST_KEYS)) throw new NotChecked(at, whyUnknown(id));
                  } else if (!restricted(TRUST_KEYS)) {
                    verdict.add(
                      at,
                      `trusts ${id} (another account?) with no restricting condition (sts:ExternalId, aws:PrincipalOrgID)`,
                    );
                  }
                }
                if (p.type === 'Federated') {
                  // GitHub gives every repository tokens with the same audience: only :sub names yours
                  const github = /token\.actions\.githubusercontent\.com/.test(id);
                  if (!restricted(github ? [':sub'] : [':sub', ':aud', ':amr'])) {
                    verdict.add(
                      at,
                      `trusts the identity provider ${id} with no restricting condition on the token (${github ? ':sub' : ':sub, :aud'})`,
                    );
                  }
                }
              }
            }
          }),
        ),
      );
      return verdict.result();
    },
  },
];

/** Conditions that tie a trust to known principals: the resource-policy keys, an external ID, MFA. */
const TRUST_KEYS = [...RESTRICTING_KEYS, 'sts:externalid', 'aws:multifactorauthpresent', 'aws:multifactorauthage'];

/** True for a principal in the configuration's own account (caller identity reference, or the plan's account). */
function isOwnAccount(id: string, s: StackView): boolean {
  if (/\$\{data\.aws_caller_identity\.[\w-]+\.(account_id|arn)\}/.test(id)) return true;
  if (s.accountId && (id === s.accountId || id.includes(`::${s.accountId}:`))) return true;
  return s.referenced(id) !== undefined; // a role or user defined in this configuration
}
