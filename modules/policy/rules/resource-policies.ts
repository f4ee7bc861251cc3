import { hasRestrictingCondition, isEveryone, unknownPrincipal } from '../iam-policy';
import { Verdict, type CheckResult, type PolicyRule } from '../types';
import { NotChecked, isSet, whyUnknown } from '../values';
import type { ResourceView, StackView } from '../view';

/**
 * Allow statements of a resource policy whose principal is everyone, with no condition that ties them
 * to a source or an organization (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, ...).
 */
function publicStatements(r: ResourceView, s: StackView): CheckResult {
  const policy = s.value(r, 'policy');
  if (!isSet(policy)) return undefined;
  const verdict = new Verdict();
  verdict.try(() =>
    s.statements(policy, 'policy').forEach((st, i) =>
      verdict.try(() => {
        if (st.effect !== 'Allow') return;
        const at = `policy.Statement[${i}]`;
        const everyone = isEveryone(st);
        // a principal from a variable without a default may be "*"
        const unknown = everyone ? undefined : unknownPrincipal(st);
        if ((!everyone && unknown === undefined) || hasRestrictingCondition(st, at)) return;
        if (unknown !== undefined) throw new NotChecked(`${at}.Principal`, whyUnknown(unknown));
        if (st.unknownEffect) throw new NotChecked(`${at}.Effect`, `is ${st.unknownEffect}`);
        const actions =
          st.actions.length > 0
            ? st.actions.join(', ')
            : st.notActions.length > 0
              ? `all but ${st.notActions.join(', ')}`
              : 'its actions';
        verdict.add(`${at}.Principal`, `allows ${actions} to everyone ("*") with no restricting condition`);
      }),
    ),
  );
  return verdict.result();
}

const BLIND =
  'Access granted by ACLs or by policies managed outside this configuration; whether a specific condition value (an account, an ARN, an address range) is yours.';

export const resourcePolicyRules: PolicyRule[] = [
  {
    id: 'TS-SQS-6',
    severity: 'error',
    title: 'Queue policies do not allow everyone',
    fix: 'Name the principals, or add a condition such as aws:SourceArn / aws:PrincipalOrgID to statements with Principal "*".',
    appliesTo: ['aws_sqs_queue_policy', 'aws_sqs_queue'],
    refs: { checkov: 'CKV_AWS_168', securityHub: 'SQS.3' },
    blindSpots: BLIND,
    check: publicStatements,
  },
  {
    id: 'TS-SNS-1',
    severity: 'error',
    title: 'Topic policies do not allow everyone',
    fix: 'Name the principals, or add a condition such as aws:SourceArn / aws:PrincipalOrgID to statements with Principal "*".',
    appliesTo: ['aws_sns_topic_policy', 'aws_sns_topic'],
    refs: { checkov: 'CKV_AWS_169', securityHub: 'SNS.4' },
    blindSpots: BLIND,
    check: publicStatements,
  },
  {
    id: 'TS-S3-1',
    severity: 'error',
    title: 'Bucket policies do not allow everyone',
    fix: 'Name the principals (e.g. the CloudFront distribution with aws:SourceArn); keep S3 Block Public Access on.',
    appliesTo: ['aws_s3_bucket_policy', 'aws_s3_bucket'],
    refs: { checkov: 'CKV_AWS_70', cdkNag: 'AwsSolutions-S2 (related)', securityHub: 'S3.2 / S3.3' },
    blindSpots: BLIND,
    check: publicStatements,
  },
];
