import { DEFAULTS, loadConfig, type EnvironmentConfig } from '../app/config';

const context = { dev: {}, prod: { natGateways: 'per-az', logRetentionDays: 365 } };
const byName = (configs: EnvironmentConfig[]) => Object.fromEntries(configs.map((c) => [c.name, c]));

describe('loadConfig', () => {
  it('gives dev and prod with the defaults when nothing is configured', () => {
    const configs = loadConfig(undefined, {});
    expect(configs.map((c) => c.name)).toEqual(['dev', 'prod']);
    expect(configs[0]).toEqual({ ...DEFAULTS, name: 'dev' });
    expect(configs[0].region).toBe('us-west-2');
  });

  it('layers cdktf.json context over the defaults', () => {
    const { dev, prod } = byName(loadConfig(context, {}));
    expect(dev.natGateways).toBe('single');
    expect(prod).toMatchObject({ natGateways: 'per-az', logRetentionDays: 365, region: 'us-west-2' });
  });

  it('layers TRACED_<FIELD> over every environment and TRACED_<ENV>_<FIELD> over one', () => {
    const { dev, prod } = byName(
      loadConfig(context, {
        TRACED_REGION: 'eu-west-1',
        TRACED_PROD_REGION: 'eu-central-1',
        TRACED_PROD_AZ_COUNT: '3',
        TRACED_DEV_ALLOWED_ACCOUNT_IDS: '111122223333, 444455556666',
        TRACED_TAGS: '{"team":"platform"}',
      }),
    );
    expect(dev).toMatchObject({
      region: 'eu-west-1',
      allowedAccountIds: ['111122223333', '444455556666'],
      tags: { team: 'platform' },
    });
    expect(prod).toMatchObject({ region: 'eu-central-1', azCount: 3, natGateways: 'per-az' });
  });

  it('selects environments with TRACED_ENVIRONMENTS', () => {
    expect(loadConfig(context, { TRACED_ENVIRONMENTS: 'prod' }).map((c) => c.name)).toEqual(['prod']);
  });

  it('accepts the longest environment name, whose derived names all fit AWS limits', () => {
    expect(loadConfig({ 'staging-eu-west1': {} }, {}).map((c) => c.name)).toEqual(['staging-eu-west1']);
    expect(() => loadConfig({ 'staging-eu-west-1': {} }, {})).toThrow('an environment name must be 1..16');
  });

  it('accepts more environments declared in the context', () => {
    expect(loadConfig({ ...context, staging: { vpcCidr: '10.1.0.0/16' } }, {}).map((c) => c.name)).toEqual([
      'dev',
      'prod',
      'staging',
    ]);
  });

  it.each<[unknown, Record<string, string>, string]>([
    [
      context,
      { TRACED_ENVIRONMENTS: 'qa' },
      'Configuration: TRACED_ENVIRONMENTS must be a list of declared environments (dev, prod), got "qa"',
    ],
    [
      context,
      { TRACED_REGON: 'x' },
      'Configuration: unknown environment variable TRACED_REGON; see README "Configuration"',
    ],
    [context, { TRACED_AZ_COUNT: 'two' }, 'Configuration: TRACED_AZ_COUNT must be a number, got "two"'],
    [
      context,
      { TRACED_DEV_REGION: 'Oregon' },
      'Configuration: environments.dev.region must be an AWS region name like "us-west-2", got "Oregon"',
    ],
    [context, { TRACED_TAGS: '{' }, 'Configuration: TRACED_TAGS must be a JSON object of tags, got "{"'],
    [context, { TRACED_TAGS: '{"a":1}' }, 'Configuration: TRACED_TAGS must be an object of string tags, got {"a":1}'],
    [
      { dev: { natGateway: 'none' } },
      {},
      'Configuration: cdktf.json context.environments.dev has an unknown key "natGateway"; known keys: region, allowedAccountIds, vpcCidr, azCount, natGateways, logRetentionDays, tags, stateBucket, stateRegion, stateKmsKeyArn, tfcOrganization, tfcWorkspace, tfcHostname, bedrockAgentId, bedrockAgentAliasId, bedrockFoundationModel, bedrockKnowledgeBases, manageApiGatewayAccount, alarmTopicArn, ecsInstanceType, ecsMinSize, ecsDesiredCapacity, ecsMaxSize, simulateFailure',
    ],
    [
      { dev: { azCount: '2' } },
      {},
      'Configuration: cdktf.json context.environments.dev.azCount must be of type number, got "2"',
    ],
    [
      ['dev'],
      {},
      'Configuration: cdktf.json context.environments must be an object keyed by environment name, got ["dev"]',
    ],
    [
      { Dev: {} },
      {},
      'Configuration: an environment name must be 1..16 lower-case letters, digits and hyphens, starting with a letter, got "Dev"',
    ],
    [
      context,
      { TRACED_DEV_ALLOWED_ACCOUNT_IDS: '1234' },
      'Configuration: environments.dev.allowedAccountIds must be a list of 12-digit account ids, got ["1234"]',
    ],
    [
      context,
      { TRACED_TFC_ORGANIZATION: 'acme' },
      'Configuration: environments.dev.tfcWorkspace must be set together with tfcOrganization, got null',
    ],
    [
      context,
      { TRACED_TFC_ORGANIZATION: 'acme', TRACED_TFC_WORKSPACE: 'w', TRACED_STATE_BUCKET: 'b-state' },
      'Configuration: environments.dev.stateBucket must be unset when tfcOrganization is set (choose one backend), got "b-state"',
    ],
    [
      context,
      { TRACED_STATE_BUCKET: 'Not A Bucket' },
      'Configuration: environments.dev.stateBucket must be an S3 bucket name, got "Not A Bucket"',
    ],
    [
      context,
      { TRACED_STATE_KMS_KEY_ARN: 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
      'Configuration: environments.dev.stateKmsKeyArn must be set only with stateBucket (it encrypts the S3 backend\'s state), got "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
    ],
    [
      context,
      { TRACED_STATE_BUCKET: 'b-state', TRACED_STATE_KMS_KEY_ARN: 'alias/terraform-state' },
      'Configuration: environments.dev.stateKmsKeyArn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>), got "alias/terraform-state"',
    ],
    [
      context,
      {
        TRACED_STATE_BUCKET: 'b-state',
        TRACED_STATE_REGION: 'eu-west-1',
        TRACED_STATE_KMS_KEY_ARN: 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
      'Configuration: environments.dev.stateKmsKeyArn must be a key in the state bucket\'s region, eu-west-1, got "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
    ],
    [
      context,
      { TRACED_ALARM_TOPIC_ARN: 'arn:aws:sqs:us-west-2:123456789012:alerts' },
      'Configuration: environments.dev.alarmTopicArn must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<topic-name>), got "arn:aws:sqs:us-west-2:123456789012:alerts"',
    ],
    [
      context,
      { TRACED_ALARM_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:alerts' },
      'Configuration: environments.dev.alarmTopicArn must be a topic in the stack\'s region, us-west-2, got "arn:aws:sns:eu-west-1:123456789012:alerts"',
    ],
  ])('rejects %j with %j', (ctx, env, message) => {
    expect(() => loadConfig(ctx, env)).toThrow(message);
  });
});
