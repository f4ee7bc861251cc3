import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  ReadableStack,
  XrayFaultGroup,
  XraySamplingRules,
  apiStageScope,
  chatApiRule,
  criticalPathRules,
  faultFilterExpression,
  healthCheckRule,
  type SamplingRule,
  type SamplingScope,
} from '../modules';
import { globMatches, globsOverlap } from '../modules/xray-sampling-rules/matching';
import { errorOf, resources, synth } from './helpers';
import { testApp } from './support/scratch';

const scope = apiStageScope('dev-chatbot', 'prod');
const stageOf = { serviceName: 'dev-chatbot/prod', serviceType: 'AWS::ApiGateway::Stage' };

const rule = (overrides: Partial<SamplingRule> = {}): SamplingRule => ({
  name: 'r',
  priority: 1,
  fixedRate: 0.5,
  reservoirSize: 1,
  ...overrides,
});
const fails = (rules: SamplingRule[]) => errorOf((stack) => new XraySamplingRules(stack, 'sampling', { rules }));

describe('X-Ray matchers', () => {
  it.each([
    ['*', 'anything', true],
    ['dev-chatbot/*', 'dev-chatbot/prod', true],
    ['dev-chatbot/?', 'dev-chatbot/prod', false],
    ['/chat*', '/chat/x', true],
    ['/chat*', '/health', false],
  ])('%s matches %s: %s', (pattern, value, expected) => {
    expect(globMatches(pattern, value)).toBe(expected);
  });

  it.each([
    ['*', 'prod-chatbot/prod', true],
    ['dev-*', 'prod-chatbot/prod', false],
    // An environment name may contain hyphens: a prefix wildcard of one matches another's services.
    ['dev-*', 'dev-eu-chatbot/prod', true],
    ['dev-chatbot/prod', 'prod-chatbot/prod', false],
    ['a*', '*b', true],
    ['POST', 'GET', false],
    ['*a*', '*b*', true],
    ['a*b', 'a', false],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(globsOverlap(a, b)).toBe(expected);
    expect(globsOverlap(b, a)).toBe(expected);
  });
});

describe('rules of two stacks in one app', () => {
  const twoStacks = (devScope: SamplingScope, prodScope: SamplingScope, prodRegion = 'us-west-2') => {
    const app = testApp();
    const stacks = (['dev', 'prod'] as const).map((env) => {
      const stack = new ReadableStack(app, env);
      new AwsProvider(stack, 'aws', { region: env === 'prod' ? prodRegion : 'us-west-2' });
      new XraySamplingRules(stack, 'sampling', {
        rules: [
          healthCheckRule({ namePrefix: env, priority: 100, scope: env === 'dev' ? devScope : prodScope }),
          chatApiRule({ namePrefix: env, priority: 300, scope: env === 'dev' ? devScope : prodScope }),
        ],
      });
      return stack;
    });
    return stacks.map((stack) =>
      stack.node
        .findChild('sampling')
        .node.metadata.filter((m) => m.type === '@cdktf/warn')
        .map((m) => String(m.data)),
    );
  };

  it('scoped to their own API stages: no rule of one matches the other one’s traffic, no warning', () => {
    expect(twoStacks(apiStageScope('dev-chatbot', 'prod'), apiStageScope('prod-chatbot', 'prod'))).toEqual([[], []]);
  });

  it('matching every service: the later stack warns, naming both rules and which one decides', () => {
    const [dev, prod] = twoStacks({ serviceName: '*' }, { serviceName: '*' });
    expect(dev).toEqual([]);
    expect(prod).toEqual([
      "rules[0] (prod-health, priority 100) can match the same requests as dev-health (priority 100) of dev/sampling: sampling rules apply to the whole account and region, so this one decides for both stacks' traffic; scope each to its own stack's services (serviceName, e.g. apiStageScope(apiName, stageName))",
      expect.stringMatching(
        /^rules\[1\] \(prod-chat, priority 300\) can match the same requests as dev-chat \(priority 300\)/,
      ),
    ]);
  });

  it('a prefix that takes in another environment warns too', () => {
    expect(twoStacks({ serviceName: 'dev-*' }, { serviceName: 'dev-eu-chatbot/prod' })[1]).toHaveLength(2);
  });

  it('in different regions they cannot meet', () => {
    expect(twoStacks({ serviceName: '*' }, { serviceName: '*' }, 'eu-west-1')).toEqual([[], []]);
  });
});

describe('sampling presets', () => {
  it('samples critical paths at 100%', () => {
    expect(criticalPathRules({ namePrefix: 'dev', priority: 200, scope })).toEqual([
      { name: 'dev-critical-payment', priority: 200, fixedRate: 1, reservoirSize: 1, urlPath: '/payment*', ...stageOf },
      {
        name: 'dev-critical-checkout',
        priority: 201,
        fixedRate: 1,
        reservoirSize: 1,
        urlPath: '/checkout*',
        ...stageOf,
      },
    ]);
  });

  it('never samples health checks', () => {
    expect(healthCheckRule({ namePrefix: 'dev', priority: 100, scope })).toEqual({
      ...stageOf,
      name: 'dev-health',
      priority: 100,
      fixedRate: 0,
      reservoirSize: 0,
      urlPath: '/health*',
    });
  });

  it('samples the chat API with a reservoir and 10% beyond', () => {
    expect(chatApiRule({ namePrefix: 'dev', priority: 300, scope })).toEqual({
      ...stageOf,
      name: 'dev-chat',
      priority: 300,
      fixedRate: 0.1,
      reservoirSize: 5,
      httpMethod: 'POST',
      urlPath: '/chat*',
    });
  });

  it('synthesize the expected rules, version 1, with * for every unset matcher', () => {
    const s = synth(
      (stack) =>
        new XraySamplingRules(stack, 'sampling', {
          rules: [
            healthCheckRule({ namePrefix: 'dev', priority: 100, scope: { serviceName: '*' } }),
            ...criticalPathRules({ namePrefix: 'dev', priority: 200, scope }),
            chatApiRule({ namePrefix: 'dev', priority: 300, scope }),
          ],
        }),
    );
    const rules = resources(s, 'aws_xray_sampling_rule');
    expect(Object.keys(rules).sort()).toEqual([
      'sampling_rule-dev-chat',
      'sampling_rule-dev-critical-checkout',
      'sampling_rule-dev-critical-payment',
      'sampling_rule-dev-health',
    ]);
    expect(rules['sampling_rule-dev-health']).toEqual({
      rule_name: 'dev-health',
      priority: 100,
      fixed_rate: 0,
      reservoir_size: 0,
      service_name: '*',
      service_type: '*',
      host: '*',
      http_method: '*',
      url_path: '/health*',
      resource_arn: '*',
      version: 1,
    });
    expect(rules['sampling_rule-dev-critical-payment']).toMatchObject({
      fixed_rate: 1,
      url_path: '/payment*',
      priority: 200,
    });
    expect(rules['sampling_rule-dev-chat']).toMatchObject({
      fixed_rate: 0.1,
      reservoir_size: 5,
      http_method: 'POST',
      url_path: '/chat*',
      priority: 300,
    });
  });
});

describe('XraySamplingRules validation', () => {
  it.each<[SamplingRule[], string]>([
    [[rule({ fixedRate: 1.5 })], 'rules[0].fixedRate must be 0..1, got 1.5'],
    [[rule({ priority: 0 })], 'rules[0].priority must be a whole number in 1..9999, got 0'],
    [[rule({ priority: 10000 })], 'rules[0].priority must be a whole number in 1..9999, got 10000'],
    [[rule({ reservoirSize: -1 })], 'rules[0].reservoirSize must be a whole number in 0..2147483647, got -1'],
    [[rule({ name: '' })], 'rules[0].name must be 1..32 letters, digits, hyphens and underscores, got ""'],
    [
      [rule({ name: 'x'.repeat(33) })],
      `rules[0].name must be 1..32 letters, digits, hyphens and underscores, got "${'x'.repeat(33)}"`,
    ],
    [
      [rule({ serviceName: 's'.repeat(65) })],
      `rules[0].serviceName must be 1..64 characters long, got "${'s'.repeat(65)}"`,
    ],
    [[rule({ httpMethod: 'PROPPATCHXX' })], 'rules[0].httpMethod must be 1..10 characters long, got "PROPPATCHXX"'],
    [[rule({ urlPath: '/'.repeat(129) })], `rules[0].urlPath must be 1..128 characters long, got "${'/'.repeat(129)}"`],
    [
      [rule({ resourceArn: 'a'.repeat(501) })],
      `rules[0].resourceArn must be 1..500 characters long, got "${'a'.repeat(501)}"`,
    ],
    [
      [rule({ attributes: { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' } })],
      'rules[0].attributes must be at most 5 attributes, got {"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6"}',
    ],
    [
      [rule({ attributes: { k: 'v'.repeat(33) } })],
      `rules[0].attributes["k"] must be 1..32 characters long, got "${'v'.repeat(33)}"`,
    ],
    [
      [rule({ name: 'a', priority: 5 }), rule({ name: 'b', priority: 5 })],
      'rules[1].priority must be unique (rules[0] has it too), got 5',
    ],
    [
      [rule({ name: 'a', priority: 5 }), rule({ name: 'a', priority: 6 })],
      'rules[1].name must be unique (rules[0] has it too), got "a"',
    ],
    [[], 'rules must be a non-empty list, got []'],
  ])('%j', (rules, message) => {
    expect(fails(rules)).toBe(`XraySamplingRules "test/sampling": ${message}`);
  });

  it('reports every problem with the index of its rule', () => {
    expect(fails([rule(), rule({ name: 'b', fixedRate: 1.5, priority: 1 })]).split('\n')).toEqual([
      'XraySamplingRules "test/sampling": rules[1].fixedRate must be 0..1, got 1.5',
      'XraySamplingRules "test/sampling": rules[1].priority must be unique (rules[0] has it too), got 1',
    ]);
  });
});

describe('XrayFaultGroup', () => {
  it('groups the faults of the app services, with Insights on', () => {
    const s = synth(
      (stack) =>
        new XrayFaultGroup(stack, 'faults', {
          groupName: 'dev-faults',
          serviceNames: ['dev-chatbot/prod', 'dev-chatbot'],
        }),
    );
    expect(resources(s, 'aws_xray_group').faults_group).toMatchObject({
      group_name: 'dev-faults',
      filter_expression: 'fault = true AND (service("dev-chatbot/prod") OR service("dev-chatbot"))',
      insights_configuration: { insights_enabled: true, notifications_enabled: false },
    });
  });

  it('escapes quotes in service names', () => {
    expect(faultFilterExpression(['a"b'])).toBe('fault = true AND (service("a\\"b"))');
  });

  it('rejects a bad name and an empty service list', () => {
    expect(
      errorOf((stack) => new XrayFaultGroup(stack, 'g', { groupName: 'bad name', serviceNames: [] })).split('\n'),
    ).toEqual([
      'XrayFaultGroup "test/g": groupName must be 1..32 letters, digits, ".", "_", "-", "#", got "bad name"',
      'XrayFaultGroup "test/g": serviceNames must be a non-empty list, got []',
    ]);
  });
});
