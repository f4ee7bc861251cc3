/** npm run preflight: what it reads from a synthesized stack, and each check against mocked AWS clients. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { APIGatewayClient, GetAccountCommand } from '@aws-sdk/client-api-gateway';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  BedrockClient,
  GetFoundationModelAvailabilityCommand,
  GetFoundationModelCommand,
  GetInferenceProfileCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-bedrock';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand as ListLogTags,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeLaunchTemplatesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetInstanceProfileCommand, GetRoleCommand, IAMClient, NoSuchEntityException } from '@aws-sdk/client-iam';
import {
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetLayerVersionByArnCommand,
  LambdaClient,
  ResourceNotFoundException as LambdaNotFound,
} from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand, ListQueueTagsCommand, QueueDoesNotExist, SQSClient } from '@aws-sdk/client-sqs';
import {
  GetParameterCommand,
  ListTagsForResourceCommand as ListParameterTags,
  ParameterNotFound,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  GetGroupCommand,
  GetSamplingRulesCommand,
  InvalidRequestException,
  ListTagsForResourceCommand as ListXrayTags,
  XRayClient,
} from '@aws-sdk/client-xray';
import { mockClient } from 'aws-sdk-client-mock';
import { createApp } from '../app';
import { runChecks, type CheckContext, type Finding } from '../preflight/checks';
import { clientsFor } from '../preflight/clients';
import { parseArgs, preflight } from '../preflight/main';
import { formatReport } from '../preflight/report';
import { readStackFacts, resolveName, type StackFacts } from '../preflight/stack';

const root = path.resolve(__dirname, '..');
const ACCOUNT = '111122223333';
const TODAY = '2026-11-26';
const OURS = { environment: 'dev', 'managed-by': 'cdktf', project: 'traced-chatbot' };

const sts = mockClient(STSClient);
const bedrock = mockClient(BedrockClient);
const lambda = mockClient(LambdaClient);
const ssm = mockClient(SSMClient);
const apiGateway = mockClient(APIGatewayClient);
const iam = mockClient(IAMClient);
const logs = mockClient(CloudWatchLogsClient);
const sqs = mockClient(SQSClient);
const ec2 = mockClient(EC2Client);
const autoScaling = mockClient(AutoScalingClient);
const ecs = mockClient(ECSClient);
const xray = mockClient(XRayClient);
const all = [sts, bedrock, lambda, ssm, apiGateway, iam, logs, sqs, ec2, autoScaling, ecs, xray];

let outdir: string;
const ACCOUNT_STACK = 'account-us-west-2';
const ACCOUNT_ROLE = 'traced-chatbot-apigw-logs-us-west-2';
let facts: StackFacts;

beforeAll(() => {
  fs.mkdirSync(path.join(root, '.build'), { recursive: true });
  outdir = fs.mkdtempSync(path.join(root, '.build', 'preflight-'));
  createApp({ projectRoot: root, outdir, env: { TRACED_ENVIRONMENTS: 'dev' } }).synth();
  const stack = (name: string) => JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
  // dev and the account-level stack it depends on (API Gateway's CloudWatch role), as preflight reads them.
  facts = readStackFacts('dev', stack('dev'), [{ name: ACCOUNT_STACK, json: stack(ACCOUNT_STACK) }]);
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

/**
 * A fresh account where everything the stack needs is there (the account-level stack applied: API Gateway's
 * CloudWatch role set) and nothing it creates exists yet.
 */
function healthyAccount() {
  for (const m of all) m.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/deployer` });
  bedrock.on(GetInferenceProfileCommand).resolves({
    inferenceProfileId: 'us.anthropic.claude-haiku-5-5',
    status: 'ACTIVE',
    type: 'SYSTEM_DEFINED',
    models: ['us-east-1', 'us-east-2', 'us-west-2'].map((r) => ({
      modelArn: `arn:aws:bedrock:${r}::foundation-model/anthropic.claude-haiku-5-5`,
    })),
  });
  bedrock.on(GetFoundationModelCommand).resolves({
    modelDetails: {
      modelArn: 'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-haiku-5-5',
      modelId: 'anthropic.claude-haiku-5-5',
      inferenceTypesSupported: ['INFERENCE_PROFILE' as never],
      modelLifecycle: { status: 'ACTIVE' },
    },
  });
  bedrock.on(GetFoundationModelAvailabilityCommand).resolves({
    modelId: 'anthropic.claude-haiku-5-5',
    agreementAvailability: { status: 'AVAILABLE' },
    authorizationStatus: 'AUTHORIZED',
    entitlementAvailability: 'AVAILABLE',
    regionAvailability: 'AVAILABLE',
  });
  lambda.on(GetLayerVersionByArnCommand).resolves({ Version: 15 });
  lambda.on(GetAccountSettingsCommand).resolves({
    AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 },
  });
  lambda.on(GetFunctionConcurrencyCommand).rejects(new LambdaNotFound({ message: 'no such function', $metadata: {} }));
  lambda.on(GetFunctionCommand).rejects(new LambdaNotFound({ message: 'no such function', $metadata: {} }));
  ssm
    .on(GetParameterCommand, { Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' })
    .resolves({ Parameter: { Value: 'ami-0123456789abcdef0' } });
  ssm
    .on(GetParameterCommand, { Name: '/dev-observability/adot-collector/config' })
    .rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
  apiGateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/${ACCOUNT_ROLE}` });
  iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ message: 'no role', $metadata: {} }));
  iam.on(GetRoleCommand, { RoleName: ACCOUNT_ROLE }).resolves({ Role: { RoleName: ACCOUNT_ROLE } as never });
  iam.on(GetInstanceProfileCommand).rejects(new NoSuchEntityException({ message: 'no profile', $metadata: {} }));
  logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
  sqs.on(GetQueueUrlCommand).rejects(new QueueDoesNotExist({ message: 'no queue', $metadata: {} }));
  ec2
    .on(DescribeLaunchTemplatesCommand)
    .rejects(Object.assign(new Error('no template'), { name: 'InvalidLaunchTemplateName.NotFoundException' }));
  autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
  ecs.on(DescribeClustersCommand).resolves({ clusters: [], failures: [{ reason: 'MISSING' }] });
  xray.on(GetGroupCommand).rejects(new InvalidRequestException({ message: 'Group not found', $metadata: {} }));
  xray.on(GetSamplingRulesCommand).resolves({ SamplingRuleRecords: [] });
}

const run = (overrides: Partial<StackFacts> = {}): Promise<Finding[]> => {
  const ctx: CheckContext = { facts: { ...facts, ...overrides }, aws: clientsFor('us-west-2'), today: TODAY };
  return runChecks(ctx);
};
const notOk = (findings: Finding[]) => findings.filter((f) => f.status !== 'ok');

beforeEach(healthyAccount);

describe('what preflight reads from the synthesized stack', () => {
  it('reads the region, the model, the layer, the AMI parameter, the concurrency, the API Gateway account and the names', () => {
    expect(facts).toMatchObject({
      stack: 'dev',
      region: 'us-west-2',
      defaultTags: OURS,
      agentModels: [{ address: 'aws_bedrockagent_agent.agent_agent', model: 'us.anthropic.claude-haiku-5-5' }],
      layers: [
        {
          arn: 'arn:aws:lambda:us-west-2:615299751070:layer:AWSOpenTelemetryDistroJs:15',
          functions: ['dev-chatbot', 'dev-enquiry-consumer'],
        },
      ],
      ssmParameters: [
        {
          address: 'data.aws_ssm_parameter.ecs_ami',
          name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
        },
      ],
      reservedConcurrency: [
        { functionName: 'dev-chatbot', reserved: 10 },
        { functionName: 'dev-enquiry-consumer', reserved: 10 },
      ],
      managesApiGatewayAccount: false,
      apiGatewayRoleName: ACCOUNT_ROLE,
      apiGatewayAccountStack: ACCOUNT_STACK,
      apiGatewayNeedsAccountRole: true,
    });
    const names = facts.names.map((n) => `${n.type} ${n.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'aws_lambda_function dev-chatbot',
        'aws_sqs_queue dev-enquiries-dlq',
        'aws_iam_instance_profile dev-observability-instance',
        'aws_cloudwatch_log_group /aws/lambda/dev-chatbot',
        'aws_launch_template dev-observability-instances',
        'aws_autoscaling_group dev-observability-instances',
        'aws_ecs_cluster dev-observability',
        'aws_xray_group dev-chatbot-faults',
        'aws_xray_sampling_rule dev-chat',
        'aws_ssm_parameter /dev-observability/adot-collector/config',
      ]),
    );
    // Names made from resources created in the same apply cannot collide, and are left out.
    expect(names.some((n) => n.includes('${'))).toBe(false);
  });

  it('resolves the region and partition references, and nothing else', () => {
    expect(
      resolveName('apigateway-cloudwatch-${data.aws_region.aws-context_region.region}', { region: 'eu-west-1' }),
    ).toBe('apigateway-cloudwatch-eu-west-1');
    expect(resolveName('API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.api_api.id}/prod', { region: 'x' })).toBe(
      undefined,
    );
  });

  it('refuses a file that is not an AWS stack', () => {
    expect(() => readStackFacts('x', {})).toThrow('stack x has no AWS provider with a literal region');
  });
});

describe('preflight checks', () => {
  it('passes a healthy fresh account, and says so', async () => {
    const findings = await run();
    expect(notOk(findings)).toEqual([]);
    expect(findings.map((f) => f.check)).toEqual(
      expect.arrayContaining(['account', 'model', 'adot-layer', 'ami', 'concurrency', 'api-gateway-account', 'names']),
    );
    const report = formatReport('preflight dev', findings);
    expect(report).toMatch(
      /^preflight dev\n {2}ok {4}account\s+account 111122223333 as arn:aws:iam::111122223333:user\/deployer\n/,
    );
    expect(report).toContain(
      'inference profile us.anthropic.claude-haiku-5-5 is ACTIVE in us-west-2, routing to us-east-1, us-east-2, us-west-2',
    );
    expect(report).toMatch(/ 0 failed, 0 not checked: ready to apply\n$/);
  });

  describe('account', () => {
    it('stops at the first check without credentials', async () => {
      sts
        .on(GetCallerIdentityCommand)
        .rejects(Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' }));
      expect(await run()).toEqual([
        expect.objectContaining({ check: 'account', status: 'error', fix: expect.stringContaining('AWS_PROFILE') }),
      ]);
    });

    it('fails credentials for an account the stack may not touch', async () => {
      const [finding] = await run({ allowedAccountIds: ['999988887777'] });
      expect(finding).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('may only touch 999988887777'),
        fix: 'use credentials for 999988887777, or change allowedAccountIds of dev',
      });
    });
  });

  describe('model', () => {
    it('fails a model past its end of life, from the table, without asking', async () => {
      const findings = notOk(
        await run({ agentModels: [{ address: 'a', model: 'anthropic.claude-3-haiku-20240307-v1:0' }] }),
      );
      expect(findings).toEqual([
        expect.objectContaining({
          check: 'model',
          status: 'fail',
          message: expect.stringContaining('reached end of life in us-west-2 on 2026-09-10'),
          fix: expect.stringContaining('"us.anthropic.claude-haiku-5-5"'),
        }),
      ]);
      expect(bedrock.commandCalls(GetFoundationModelCommand)).toHaveLength(0);
    });

    it('warns about a model Bedrock reports as LEGACY, with its end-of-life date', async () => {
      bedrock.on(GetFoundationModelCommand).resolves({
        modelDetails: {
          modelArn: 'arn',
          modelId: 'anthropic.claude-haiku-5-5',
          inferenceTypesSupported: ['INFERENCE_PROFILE' as never],
          modelLifecycle: { status: 'LEGACY', endOfLifeTime: new Date('2027-10-07T00:00:00Z') },
        },
      });
      expect(notOk(await run())).toEqual([
        expect.objectContaining({
          status: 'warn',
          message: 'anthropic.claude-haiku-5-5 is LEGACY in us-west-2 until 2027-10-07',
        }),
      ]);
    });

    it('fails a bare model id that is served only through inference profiles, naming the profile to use', async () => {
      expect(notOk(await run({ agentModels: [{ address: 'a', model: 'anthropic.claude-haiku-5-5' }] }))).toEqual([
        expect.objectContaining({
          status: 'fail',
          message: expect.stringContaining('is not served on demand in us-west-2 (only INFERENCE_PROFILE)'),
          fix: 'use its inference profile "us.anthropic.claude-haiku-5-5"',
        }),
      ]);
    });

    it('fails an inference profile the region does not offer', async () => {
      bedrock
        .on(GetInferenceProfileCommand)
        .rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
      expect(notOk(await run())).toEqual([
        expect.objectContaining({ status: 'fail', message: expect.stringContaining('does not exist in us-west-2') }),
      ]);
    });

    it('fails a model the account may not use yet, with where to request access', async () => {
      bedrock.on(GetFoundationModelAvailabilityCommand).resolves({
        modelId: 'anthropic.claude-haiku-5-5',
        agreementAvailability: { status: 'NOT_AVAILABLE' },
        authorizationStatus: 'AUTHORIZED',
        entitlementAvailability: 'NOT_AVAILABLE',
        regionAvailability: 'AVAILABLE',
      });
      expect(notOk(await run())).toEqual([
        expect.objectContaining({
          status: 'fail',
          message:
            'anthropic.claude-haiku-5-5 in us-west-2: no entitlement (model access not granted); agreement NOT_AVAILABLE',
          fix: expect.stringContaining('request access'),
        }),
      ]);
    });

    it('names the permission it lacks instead of guessing', async () => {
      bedrock
        .on(GetFoundationModelCommand)
        .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
      expect(notOk(await run())).toEqual([
        expect.objectContaining({
          status: 'error',
          fix: 'allow bedrock:GetFoundationModel to the identity running preflight (read-only), then run it again',
        }),
      ]);
    });
  });

  it('fails an ADOT layer version that is not published in the region', async () => {
    lambda.on(GetLayerVersionByArnCommand).rejects(new LambdaNotFound({ message: 'not found', $metadata: {} }));
    expect(notOk(await run())).toEqual([
      expect.objectContaining({
        check: 'adot-layer',
        status: 'fail',
        fix: expect.stringContaining('modules/traced-function/layers.ts'),
      }),
    ]);
  });

  it('fails an AMI parameter that does not resolve', async () => {
    ssm
      .on(GetParameterCommand, { Name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' })
      .rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    expect(notOk(await run())).toEqual([expect.objectContaining({ check: 'ami', status: 'fail' })]);
  });

  describe('concurrency', () => {
    it('fails in a new account whose limit leaves no room, with the quota to request', async () => {
      lambda.on(GetAccountSettingsCommand).resolves({
        AccountLimit: { ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 },
      });
      expect(notOk(await run())).toEqual([
        {
          check: 'concurrency',
          status: 'fail',
          message:
            'dev-chatbot 10, dev-enquiry-consumer 10: 20 reserved; account limit 10, unreserved 10; that would leave -10 unreserved, Lambda keeps at least 10: the functions fail to create',
          fix: 'request a Lambda "Concurrent executions" quota of at least 120 (Service Quotas, code L-B99A9384, in us-west-2), or lower reservedConcurrency',
        },
      ]);
    });

    it('counts back what the functions already reserve (a re-deploy)', async () => {
      lambda.on(GetAccountSettingsCommand).resolves({
        AccountLimit: { ConcurrentExecutions: 120, UnreservedConcurrentExecutions: 100 },
      });
      lambda.on(GetFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 10 });
      const [finding] = (await run()).filter((f) => f.check === 'concurrency');
      expect(finding).toMatchObject({
        status: 'ok',
        message: expect.stringContaining('100 stay unreserved (minimum 100)'),
      });
    });
  });

  describe('API Gateway account role', () => {
    it('warns when the stack would take over a role something else set', async () => {
      apiGateway
        .on(GetAccountCommand)
        .resolves({ cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/platform-apigw-logs` });
      const managing = { managesApiGatewayAccount: true, apiGatewayRoleName: 'dev-chatbot-apigw-logs' };
      expect(notOk(await run({ ...managing, apiGatewayAccountStack: undefined }))).toEqual([
        expect.objectContaining({
          check: 'api-gateway-account',
          status: 'warn',
          fix: expect.stringContaining('TRACED_DEV_MANAGE_API_GATEWAY_ACCOUNT=false'),
        }),
      ]);
    });

    it("tells the account-level stack's user to turn the setting off for the environments", async () => {
      apiGateway
        .on(GetAccountCommand)
        .resolves({ cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/platform-apigw-logs` });
      const account = {
        stack: 'account-us-west-2',
        managesApiGatewayAccount: true,
        apiGatewayRoleName: 'account-us-west-2-apigw-logs',
        apiGatewayAccountStack: undefined,
      };
      const [finding] = notOk(await run(account));
      expect(finding.fix).toContain('TRACED_MANAGE_API_GATEWAY_ACCOUNT=false');
      expect(finding.fix).toContain('makes no account-us-west-2 stack');
      expect(finding.fix).not.toContain('TRACED_ACCOUNT_US_WEST_2_');
    });

    it('fails a stack whose account-level stack is not applied yet, saying to apply it first', async () => {
      apiGateway.on(GetAccountCommand).resolves({});
      expect(notOk(await run())).toEqual([
        expect.objectContaining({
          status: 'fail',
          message: expect.stringContaining('the account has no API Gateway CloudWatch role in us-west-2'),
          fix: 'apply the account-level stack account-us-west-2 first (npm run apply -- account-us-west-2): it sets the role',
        }),
      ]);
    });

    it('fails a stack that logs but does not manage the role, in an account without one', async () => {
      apiGateway.on(GetAccountCommand).resolves({});
      expect(notOk(await run({ apiGatewayAccountStack: undefined }))).toEqual([
        expect.objectContaining({
          status: 'fail',
          message: expect.stringContaining('the account has no API Gateway CloudWatch role in us-west-2'),
          fix: expect.stringContaining('aws apigateway update-account'),
        }),
      ]);
    });

    it('fails when the account points at a deleted role', async () => {
      apiGateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/gone` });
      expect(notOk(await run({ managesApiGatewayAccount: false }))).toEqual([
        expect.objectContaining({ status: 'fail', message: expect.stringContaining('does not exist') }),
      ]);
    });
  });

  describe('names', () => {
    it("fails a name taken by something that is not this stack's, with the import command", async () => {
      lambda.on(GetFunctionCommand, { FunctionName: 'dev-chatbot' }).resolves({ Tags: { team: 'someone-else' } });
      expect(notOk(await run())).toEqual([
        {
          check: 'names',
          status: 'fail',
          message:
            'aws_lambda_function.chatbot_function: a lambda_function named "dev-chatbot" already exists and is not this stack\'s (no tags environment=dev, managed-by=cdktf, project=traced-chatbot): apply fails',
          fix: "if it is this stack's, import it (terraform import 'aws_lambda_function.chatbot_function' 'dev-chatbot'); otherwise rename (another environment name) or delete the existing one",
        },
      ]);
    });

    it("accepts what exists with this stack's tags (a re-deploy)", async () => {
      sqs
        .on(GetQueueUrlCommand)
        .resolves({ QueueUrl: 'https://sqs.us-west-2.amazonaws.com/111122223333/dev-enquiries' });
      sqs.on(ListQueueTagsCommand).resolves({ Tags: { ...OURS, extra: 'x' } });
      const findings = (await run()).filter((f) => f.check === 'names');
      expect(notOk(findings)).toEqual([]);
      expect(findings).toContainEqual(
        expect.objectContaining({
          message: 'aws_sqs_queue.enquiries_queue "dev-enquiries" exists and is this stack\'s (a re-deploy)',
        }),
      );
    });

    it.each<[string, () => void]>([
      [
        "an IAM role of another environment's (tagged prod)",
        () =>
          iam.on(GetRoleCommand, { RoleName: 'dev-chatbot-role' }).resolves({
            Role: {
              RoleName: 'r',
              Path: '/',
              RoleId: 'x',
              Arn: 'arn',
              CreateDate: new Date(),
              Tags: [{ Key: 'environment', Value: 'prod' }],
            },
          }),
      ],
      [
        'a log group Lambda created before the stack did',
        () => {
          logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/lambda/dev-chatbot' }).resolves({
            logGroups: [
              {
                logGroupName: '/aws/lambda/dev-chatbot',
                logGroupArn: 'arn:aws:logs:us-west-2:1:log-group:/aws/lambda/dev-chatbot',
              },
            ],
          });
          logs.on(ListLogTags).resolves({ tags: {} });
        },
      ],
      [
        'an ECS cluster (CreateCluster would silently adopt it)',
        () =>
          ecs
            .on(DescribeClustersCommand)
            .resolves({ clusters: [{ clusterName: 'dev-observability', status: 'ACTIVE', tags: [] }] }),
      ],
      [
        'a sampling rule',
        () => {
          xray.on(GetSamplingRulesCommand).resolves({
            SamplingRuleRecords: [{ SamplingRule: { RuleName: 'dev-chat', RuleARN: 'arn:rule' } as never }],
          });
          xray.on(ListXrayTags).resolves({ Tags: [] });
        },
      ],
      [
        'an SSM parameter',
        () => {
          ssm
            .on(GetParameterCommand, { Name: '/dev-observability/adot-collector/config' })
            .resolves({ Parameter: { Value: 'x' } });
          ssm.on(ListParameterTags).resolves({ TagList: [] });
        },
      ],
    ])('fails %s', async (_label, arrange) => {
      arrange();
      const findings = notOk(await run());
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        check: 'names',
        status: 'fail',
        fix: expect.stringContaining('terraform import'),
      });
    });

    it('leaves an INACTIVE ECS cluster of the same name alone', async () => {
      ecs
        .on(DescribeClustersCommand)
        .resolves({ clusters: [{ clusterName: 'dev-observability', status: 'INACTIVE' }] });
      expect(notOk(await run())).toEqual([]);
    });
  });
});

describe('the command', () => {
  it('tells how to synthesize when the stack is missing (exit 2)', async () => {
    expect(await preflight({ stack: 'nope', out: outdir })).toEqual({
      report: expect.stringContaining(`no synthesized stack at ${path.join(outdir, 'stacks', 'nope', 'cdk.tf.json')}`),
      code: 2,
    });
  });

  it('runs every check on a synthesized stack: exit 0 when ready, 1 when not', async () => {
    const ready = await preflight({ stack: 'dev', out: outdir, clients: clientsFor, today: TODAY });
    expect(ready.code).toBe(0);
    expect(ready.report).toContain(
      `preflight dev (us-west-2, from ${path.join(outdir, 'stacks', 'dev', 'cdk.tf.json')})`,
    );
    lambda.on(GetLayerVersionByArnCommand).rejects(new LambdaNotFound({ message: 'not found', $metadata: {} }));
    expect((await preflight({ stack: 'dev', out: outdir, clients: clientsFor, today: TODAY })).code).toBe(1);
  });

  it('parses its arguments', () => {
    expect(parseArgs(['dev'])).toEqual({ stack: 'dev', out: undefined });
    expect(parseArgs(['dev', '--out', 'x'])).toEqual({ stack: 'dev', out: 'x' });
    expect(parseArgs([])).toBe('usage: npm run preflight -- <stack> [--out <cdktf.out>]');
    expect(parseArgs(['--out'])).toBe('--out needs a folder');
  });
});
