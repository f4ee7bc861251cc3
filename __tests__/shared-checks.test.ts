/**
 * The checks every construct shares (modules/core): ARNs that are not ARNs, alarm actions, and physical
 * names two constructs (or two stacks of one app) would both create.
 */
import { App } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EcsEc2Cluster, Network, ReadableStack, TracedQueue } from '../modules';
import {
  ALARM_ACTION_ARN,
  ANY_ARN,
  KMS_KEY_ARN,
  SNS_TOPIC_ARN,
  arnProblem,
  type ArnKind,
} from '../modules/core/validation';
import { MODULES, synthModule } from '../terraform-modules';
import { errorOf, resources, synth } from './helpers';
import { hasTerraform, validationFailures } from './support/parity';
import { scratchDir } from './support/scratch';

describe('ARNs', () => {
  const ok = (kind: ArnKind, value: string) => expect(arnProblem(value, kind)).toBeUndefined();
  const bad = (kind: ArnKind, value: unknown) => expect(arnProblem(value, kind)).toBe(`${kind.what} (${kind.shape})`);

  it('takes a KMS key ARN in any partition, and nothing that only looks like one', () => {
    ok(KMS_KEY_ARN, 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    ok(KMS_KEY_ARN, 'arn:aws-cn:kms:cn-north-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab');
    ok(KMS_KEY_ARN, 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    bad(KMS_KEY_ARN, '1234abcd-12ab-34cd-56ef-1234567890ab');
    bad(KMS_KEY_ARN, 'alias/my-key');
    bad(KMS_KEY_ARN, 'arn:aws:kms:us-west-2:111122223333:alias/my-key');
    bad(KMS_KEY_ARN, 'arn:aws:kms:us-west-2:11112222333:key/1234');
    bad(KMS_KEY_ARN, 'arn:aws:kms::111122223333:key/1234');
    bad(KMS_KEY_ARN, ' arn:aws:kms:us-west-2:111122223333:key/1234');
    bad(KMS_KEY_ARN, 42);
  });

  it('takes what a CloudWatch alarm can notify', () => {
    for (const arn of [
      'arn:aws:sns:us-west-2:111122223333:ops',
      'arn:aws:lambda:us-west-2:111122223333:function:pager',
      'arn:aws:lambda:us-west-2:111122223333:function:pager:live',
      'arn:aws:ssm:us-west-2:111122223333:opsitem:2',
      'arn:aws:ssm:us-west-2:111122223333:opsitem:1#CATEGORY=Availability',
      'arn:aws:ssm-incidents::111122223333:response-plan/chatbot-down',
      'arn:aws-cn:sns:cn-north-1:111122223333:ops',
    ])
      ok(ALARM_ACTION_ARN, arn);
    for (const arn of [
      'ops',
      'arn:aws:sns:us-west-2:111122223333',
      'arn:aws:s3:::bucket',
      'arn:aws:sqs:us-west-2:111122223333:queue',
      'arn:aws:sns:us-west-2:111122223333:ops topic',
      'arn:aws:ssm:us-west-2:111122223333:opsitem:5',
    ])
      bad(ALARM_ACTION_ARN, arn);
  });

  it('knows any ARN and an SNS topic ARN', () => {
    ok(ANY_ARN, 'arn:aws:s3:::bucket');
    ok(ANY_ARN, 'arn:aws:iam::aws:policy/ReadOnlyAccess');
    bad(ANY_ARN, 'arn:aws:s3');
    ok(SNS_TOPIC_ARN, 'arn:aws:sns:eu-west-1:111122223333:alerts');
    bad(SNS_TOPIC_ARN, 'arn:aws:sns:eu-west-1:111122223333:alerts:sub-1234');
  });
});

describe('KMS key ARNs of the constructs', () => {
  const rule = `must be a KMS key ARN (${KMS_KEY_ARN.shape})`;

  it('refuses a flow log key that is an alias, naming the field', () => {
    expect(errorOf((s) => new Network(s, 'network', { name: 'dev', flowLogKmsKeyArn: 'alias/logs' }))).toBe(
      `Network "test/network": flowLogKmsKeyArn ${rule}, got "alias/logs"`,
    );
  });

  it('refuses an EBS key that is a bare key id', () => {
    expect(
      errorOf(
        (s) =>
          new EcsEc2Cluster(s, 'ecs', {
            clusterName: 'obs',
            vpcId: 'vpc-0123456789abcdef0',
            subnetIds: ['subnet-0123456789abcdef0'],
            ebsKmsKeyArn: '1234abcd-12ab-34cd-56ef-1234567890ab',
          }),
      ),
    ).toBe(`EcsEc2Cluster "test/ecs": ebsKmsKeyArn ${rule}, got "1234abcd-12ab-34cd-56ef-1234567890ab"`);
  });
});

describe('alarm actions', () => {
  const queue = (alarmActions: string[]) =>
    errorOf((stack) => new TracedQueue(stack, 'q', { queueName: 'orders', alarmActions }));

  it('refuses an action that is not an alarm action ARN, naming which one', () => {
    expect(queue(['arn:aws:sns:us-west-2:111122223333:ops', 'ops-topic'])).toBe(
      `TracedQueue "test/q": alarmActions[1] must be an alarm action ARN (${ALARM_ACTION_ARN.shape}), got "ops-topic"`,
    );
  });

  it('refuses more than CloudWatch takes', () => {
    const six = [1, 2, 3, 4, 5, 6].map((i) => `arn:aws:sns:us-west-2:111122223333:ops-${i}`);
    expect(queue(six)).toBe('TracedQueue "test/q": alarmActions must be at most 5 items, got 6 items');
  });

  it('notifies both when the alarm fires and when it clears; none given, none set', () => {
    const s = synth((stack) => {
      new TracedQueue(stack, 'a', { queueName: 'a', alarmActions: ['arn:aws:sns:us-west-2:111122223333:ops'] });
      new TracedQueue(stack, 'b', { queueName: 'b' });
    });
    const alarms = resources(s, 'aws_cloudwatch_metric_alarm');
    expect(alarms['a_dlq-not-empty']).toMatchObject({
      alarm_actions: ['arn:aws:sns:us-west-2:111122223333:ops'],
      ok_actions: ['arn:aws:sns:us-west-2:111122223333:ops'],
    });
    expect(alarms['b_dlq-not-empty'].alarm_actions).toBeUndefined();
  });

  (hasTerraform() ? it : it.skip)('are checked the same way by the module, in Terraform', () => {
    const variables = synthModule(MODULES.find((m) => m.name === 'traced-queue')!).json.variable as Record<
      string,
      unknown
    >;
    expect(
      validationFailures(variables, {
        queue_name: 'q',
        alarm_actions: [
          'arn:aws:sns:us-west-2:111122223333:ops',
          'arn:aws:ssm-incidents::111122223333:response-plan/chatbot-down',
        ],
      }),
    ).toEqual([]);
    expect(validationFailures(variables, { queue_name: 'q', alarm_actions: ['ops-topic'] })).toEqual([
      `every item of alarm_actions must be an alarm action ARN (${ALARM_ACTION_ARN.shape}).`,
    ]);
  });
});

describe('physical names', () => {
  /** An app of stacks, each with an AWS provider as given. */
  const app = () => new App({ outdir: scratchDir('cdktf.outdir.'), stackTraces: false });
  const stack = (a: App, id: string, provider: { region?: string; allowedAccountIds?: string[] } = {}) => {
    const s = new ReadableStack(a, id);
    new AwsProvider(s, 'aws', { region: 'us-west-2', ...provider });
    return s;
  };
  const thrown = (build: () => void) => {
    try {
      build();
    } catch (e) {
      return (e as Error).message;
    }
    return undefined;
  };

  it('refuses a name two constructs of one stack would both create, naming both', () => {
    expect(
      errorOf((s) => {
        new TracedQueue(s, 'orders', { queueName: 'orders' });
        new TracedQueue(s, 'orders-again', { queueName: 'orders' });
      }),
    ).toBe(
      'TracedQueue "test/orders-again": queueName must name an SQS queue no other construct of the app creates in the same account and region (TracedQueue "test/orders" creates it too, from queueName; give each environment its own names, or pin distinct accounts or regions on the providers), got "orders"',
    );
  });

  it('refuses it across two stacks of one app in the same region, when the accounts may be one', () => {
    const a = app();
    new TracedQueue(stack(a, 'dev'), 'q', { queueName: 'enquiries' });
    expect(thrown(() => new TracedQueue(stack(a, 'prod'), 'q', { queueName: 'enquiries' }))).toMatch(
      /^TracedQueue "prod\/q": queueName must name an SQS queue .* \(TracedQueue "dev\/q" creates it too/,
    );
  });

  it('allows it in other regions, or in accounts the providers pin apart', () => {
    const a = app();
    new TracedQueue(stack(a, 'dev', { allowedAccountIds: ['111111111111'] }), 'q', { queueName: 'enquiries' });
    new TracedQueue(stack(a, 'prod', { allowedAccountIds: ['222222222222'] }), 'q', { queueName: 'enquiries' });
    new TracedQueue(stack(a, 'eu', { region: 'eu-west-1' }), 'q', { queueName: 'enquiries' });
    expect(
      thrown(
        () =>
          new TracedQueue(stack(a, 'dev2', { allowedAccountIds: ['111111111111'] }), 'q', { queueName: 'enquiries' }),
      ),
    ).toMatch(/TracedQueue "dev\/q" creates it too/);
  });

  it("compares the DLQ name too: a queue named like another queue's DLQ", () => {
    expect(
      errorOf((s) => {
        new TracedQueue(s, 'a', { queueName: 'orders' });
        new TracedQueue(s, 'b', { queueName: 'orders-dlq' });
      }),
    ).toMatch(/^TracedQueue "test\/b": queueName must name an SQS queue .* \(TracedQueue "test\/a" creates it too/);
  });
});
