import {
  DEFAULT_AGENT_MODEL,
  KNOWN_MODELS,
  defaultAgentModel,
  modelInvokeStatements,
  modelLifecycleFinding,
  parseModelRef,
} from '../modules/chat-agent/models';

const ctx = { partition: 'aws', region: 'us-west-2', accountId: '111122223333' };
const INVOKE = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

describe('model references', () => {
  it.each<[string, unknown]>([
    ['anthropic.claude-haiku-5-5', { kind: 'foundation-model', modelId: 'anthropic.claude-haiku-5-5' }],
    ['amazon.nova-lite-v1:0', { kind: 'foundation-model', modelId: 'amazon.nova-lite-v1:0' }],
    [
      'us.anthropic.claude-haiku-5-5',
      {
        kind: 'inference-profile',
        profileId: 'us.anthropic.claude-haiku-5-5',
        prefix: 'us',
        modelId: 'anthropic.claude-haiku-5-5',
      },
    ],
    [
      'us-gov.anthropic.claude-haiku-4-5-20251001-v1:0',
      expect.objectContaining({ prefix: 'us-gov', modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0' }),
    ],
    ['eu.amazon.nova-lite-v1:0', expect.objectContaining({ prefix: 'eu', modelId: 'amazon.nova-lite-v1:0' })],
    ['apac.amazon.nova-micro-v1:0', expect.objectContaining({ prefix: 'apac' })],
    ['global.anthropic.claude-haiku-5-5', expect.objectContaining({ prefix: 'global' })],
    ['claude', null],
    ['us.claude', null],
    ['anthropic.', null],
    ['Anthropic.claude', null],
    ['anthropic.claude haiku', null],
    ['', null],
  ])('parses %j', (ref, expected) => {
    expect(parseModelRef(ref)).toEqual(expected);
  });

  it('defaults to the Active model through the region’s geography', () => {
    expect(defaultAgentModel('us-west-2')).toBe(`us.${DEFAULT_AGENT_MODEL}`);
    expect(defaultAgentModel('eu-central-1')).toBe(`eu.${DEFAULT_AGENT_MODEL}`);
    expect(defaultAgentModel('ap-northeast-1')).toBe(`jp.${DEFAULT_AGENT_MODEL}`);
    expect(defaultAgentModel('ap-southeast-2')).toBe(`au.${DEFAULT_AGENT_MODEL}`);
    expect(defaultAgentModel('sa-east-1')).toBe(`global.${DEFAULT_AGENT_MODEL}`);
    expect(defaultAgentModel('us-gov-west-1')).toBeUndefined();
    expect(modelLifecycleFinding(defaultAgentModel('us-west-2') as string, 'us-west-2', '2027-01-01')).toBeNull();
  });
});

describe('model lifecycle', () => {
  it('is an error for a model past its end of life, naming model, region and date', () => {
    expect(modelLifecycleFinding('anthropic.claude-3-haiku-20240307-v1:0', 'us-west-2', '2026-11-26')).toEqual({
      severity: 'error',
      message: expect.stringMatching(
        /^Claude 3 Haiku \(anthropic\.claude-3-haiku-20240307-v1:0\) reached end of life in us-west-2 on 2026-09-10: every request fails; use an Active model, e\.g\. "us\.anthropic\.claude-haiku-5-5" \(source: https:\/\/docs\.aws\.amazon\.com\/bedrock\/latest\/userguide\/model-card-anthropic-claude-3-haiku\.html\)$/,
      ),
    });
  });

  it('reads an inference profile as its model', () => {
    expect(
      modelLifecycleFinding('us.anthropic.claude-3-5-haiku-20241022-v1:0', 'us-east-1', '2026-07-01'),
    ).toMatchObject({ severity: 'error', message: expect.stringContaining('on 2026-06-19') });
  });

  it('is a warning while Legacy, with the end-of-life date', () => {
    expect(modelLifecycleFinding('anthropic.claude-3-haiku-20240307-v1:0', 'us-west-2', '2026-09-09')).toEqual({
      severity: 'warning',
      message: expect.stringContaining('is Legacy in us-west-2, usable until its end of life on 2026-09-10'),
    });
  });

  it('follows the regions where the lifecycle differs', () => {
    expect(modelLifecycleFinding('anthropic.claude-3-haiku-20240307-v1:0', 'ap-northeast-2', '2026-11-26')).toEqual({
      severity: 'warning',
      message: expect.stringContaining('is Legacy in ap-northeast-2, usable with an end-of-life date to come'),
    });
  });

  it('says nothing of Active or unknown models (preflight asks AWS about those)', () => {
    expect(modelLifecycleFinding('anthropic.claude-haiku-5-5', 'us-west-2', '2026-11-26')).toBeNull();
    expect(modelLifecycleFinding('acme.unknown-v1:0', 'us-west-2', '2026-11-26')).toBeNull();
    expect(modelLifecycleFinding('not a model', 'us-west-2', '2026-11-26')).toBeNull();
  });

  it('keeps a well-formed table: ids parse, dates are ISO, a source for every row', () => {
    for (const m of KNOWN_MODELS) {
      expect(parseModelRef(m.id)).toMatchObject({ kind: 'foundation-model' });
      for (const life of [m.lifecycle, ...Object.values(m.regions ?? {})]) {
        if (typeof life.legacy === 'string') expect(life.legacy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        if (life.eol !== undefined) expect(life.eol).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
      expect(m.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    }
  });
});

describe('IAM for each model form', () => {
  it('an in-region model: invoke that model in the region only', () => {
    expect(modelInvokeStatements('anthropic.claude-haiku-5-5', ctx)).toEqual([
      {
        sid: 'InvokeFoundationModel',
        actions: INVOKE,
        resources: ['arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-haiku-5-5'],
      },
    ]);
  });

  it('an inference profile: the profile ARN, GetInferenceProfile, and the model in every destination region', () => {
    expect(modelInvokeStatements('us.anthropic.claude-haiku-5-5', ctx)).toEqual([
      {
        sid: 'InvokeInferenceProfile',
        actions: [...INVOKE, 'bedrock:GetInferenceProfile'],
        resources: ['arn:aws:bedrock:us-west-2:111122223333:inference-profile/us.anthropic.claude-haiku-5-5'],
      },
      {
        sid: 'InvokeProfileDestinations',
        actions: [...INVOKE, 'bedrock:GetFoundationModel'],
        resources: ['arn:aws:bedrock:*::foundation-model/anthropic.claude-haiku-5-5'],
      },
    ]);
  });

  it('lists the destination regions when they are known, and the region-less ARN for a global profile', () => {
    const [, us] = modelInvokeStatements('us.anthropic.claude-haiku-5-5', {
      ...ctx,
      destinationRegions: ['us-west-2', 'us-east-1', 'us-east-2', 'us-east-1'],
    });
    expect(us.resources).toEqual([
      'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-5-5',
      'arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-haiku-5-5',
      'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-haiku-5-5',
    ]);
    const [, global] = modelInvokeStatements('global.anthropic.claude-haiku-5-5', {
      ...ctx,
      destinationRegions: ['eu-west-1'],
    });
    expect(global.resources).toEqual([
      'arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-haiku-5-5',
      'arn:aws:bedrock:::foundation-model/anthropic.claude-haiku-5-5',
    ]);
  });

  it('refuses what is not a model id', () => {
    expect(() => modelInvokeStatements('claude', ctx)).toThrow('not a Bedrock model or inference-profile id: "claude"');
  });
});
