import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { createApp } from '../app';
import { ChatbotTracingStack } from '../app/chatbot-stack';
import { configureBackend } from '../app/backend';
import { DEFAULTS, loadConfig, type EnvironmentConfig } from '../app/config';
import { globMatches } from '../modules/xray-sampling-rules/matching';
import { referenceApp, type Json } from './support/reference-app';
import { scratchDir, testApp } from './support/scratch';

const root = path.resolve(__dirname, '..');

/** The synthesized JSON of each stack of an app built with `env`, written to a temp outdir. */
function synthApp(env: Record<string, string>): Record<string, Json> {
  const outdir = scratchDir('synth-');
  createApp({ projectRoot: root, outdir, env }).synth();
  const stacks: Record<string, Json> = {};
  for (const name of fs.readdirSync(path.join(outdir, 'stacks'))) {
    stacks[name] = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  return stacks;
}

describe('the reference app', () => {
  const { stacks } = referenceApp();

  it('has a dev and a prod stack, and the account-level stack they share', () => {
    expect(Object.keys(stacks).sort()).toEqual(['account-us-west-2', 'dev', 'prod']);
  });

  it("keeps API Gateway's account-wide CloudWatch role in the account-level stack, so destroying one environment leaves the other logging", () => {
    const { manifest } = referenceApp();
    const account = stacks['account-us-west-2'];
    expect(Object.keys(account.resource.aws_api_gateway_account)).toEqual(['apigateway-logs_setting']);
    expect(account.resource.aws_iam_role['apigateway-logs_role'].name).toBe('traced-chatbot-apigw-logs-us-west-2');
    for (const env of ['dev', 'prod']) {
      // Neither environment owns the setting or its role: a destroy of one takes nothing the other uses.
      expect(stacks[env].resource.aws_api_gateway_account).toBeUndefined();
      expect(Object.values(stacks[env].resource.aws_iam_role).map((r) => (r as { name: string }).name)).not.toContain(
        'traced-chatbot-apigw-logs-us-west-2',
      );
      // Yet their stages log, and cdktf deploys the account-level stack first.
      expect(stacks[env].resource.aws_api_gateway_stage.api_stage.access_log_settings).toBeDefined();
      expect(manifest.stacks[env].dependencies).toEqual(['account-us-west-2']);
    }
    // Every physical name of dev differs from prod's (names scoped to a parent, an API's models or a
    // cluster's services, may repeat).
    const scoped = new Set(['aws_api_gateway_model', 'aws_api_gateway_request_validator', 'aws_ecs_service']);
    const names = (s: Json) =>
      Object.entries(s.resource as Record<string, Record<string, Json>>)
        .filter(([type]) => !scoped.has(type))
        .flatMap(([, byId]) =>
          Object.values(byId).map(
            (r) => r.name ?? r.function_name ?? r.rule_name ?? r.group_name ?? r.agent_name ?? r.family,
          ),
        );
    const dev = new Set(names(stacks.dev).filter((n): n is string => typeof n === 'string' && !n.includes('${')));
    expect(names(stacks.prod).filter((n) => dev.has(n as string))).toEqual([]);
  });

  it('tags every resource through the provider', () => {
    expect(stacks.prod.provider.aws[0]).toEqual({
      region: 'us-west-2',
      default_tags: [{ tags: { project: 'traced-chatbot', environment: 'prod', 'managed-by': 'cdktf' } }],
    });
  });

  it('applies cdktf.json context per environment', () => {
    expect(Object.keys(stacks.dev.resource.aws_nat_gateway)).toHaveLength(1);
    expect(Object.keys(stacks.prod.resource.aws_nat_gateway)).toHaveLength(2);
    expect(stacks.prod.resource.aws_cloudwatch_log_group['network_flow-logs'].retention_in_days).toBe(365);
  });

  it('keeps local state in the project root by a relative path', () => {
    const statePath = stacks.dev.terraform.backend.local.path as string;
    expect(path.isAbsolute(statePath)).toBe(false);
    expect(statePath).toMatch(/^(\.\.\/)+terraform\.dev\.tfstate$/);
  });

  it('scopes the sampling rules of each environment to its own API stage: neither matches the other’s traffic', () => {
    const rules = (env: string) => Object.values(stacks[env].resource.aws_xray_sampling_rule) as Json[];
    const stage = (env: string) => ({
      serviceName: `${env}-chatbot/${stacks[env].resource.aws_api_gateway_stage.api_stage.stage_name}`,
      serviceType: 'AWS::ApiGateway::Stage',
    });
    for (const [own, other] of [
      ['dev', 'prod'],
      ['prod', 'dev'],
    ]) {
      for (const r of rules(own)) {
        expect(globMatches(r.service_name, stage(own).serviceName)).toBe(true);
        expect(globMatches(r.service_type, stage(own).serviceType)).toBe(true);
        expect(globMatches(r.service_name, stage(other).serviceName)).toBe(false);
      }
    }
    // Within a stack the order is the point: health checks dropped first, critical paths kept, then the chat API.
    const byPriority = rules('dev').sort((a, b) => a.priority - b.priority);
    expect(byPriority.map((r) => [r.rule_name, r.priority])).toEqual([
      ['dev-health', 100],
      ['dev-critical-payment', 200],
      ['dev-critical-checkout', 201],
      ['dev-chat', 300],
    ]);
  });

  it('names resources per environment, so dev and prod can share an account', () => {
    expect(stacks.dev.resource.aws_iam_role['network_flow-logs-role'].name).toBe('dev-network-flow-logs');
    expect(stacks.prod.resource.aws_iam_role['network_flow-logs-role'].name).toBe('prod-network-flow-logs');
  });

  it('outputs what a user needs to call and operate the chatbot, the API key as sensitive', () => {
    expect(Object.keys(stacks.dev.output).sort()).toEqual([
      'api_access_log_group',
      'api_key',
      'bedrock_agent_alias_id',
      'bedrock_agent_id',
      'chatbot_function_name',
      'chatbot_log_group',
      'cluster_arn',
      'cluster_name',
      'collector_execution_role_arn',
      'collector_service_name',
      'collector_task_role_arn',
      'consumer_function_name',
      'consumer_log_group',
      'dlq_url',
      'invoke_url',
      'private_subnet_ids',
      'public_subnet_ids',
      'queue_url',
      'vpc_id',
      'xray_fault_group',
    ]);
    expect(stacks.dev.output.api_key).toMatchObject({
      sensitive: true,
      value: '${aws_api_gateway_api_key.api_api-key.value}',
    });
  });

  it('wires the chatbot path: API -> chatbot -> agent alias and queue -> consumer, all in private subnets', () => {
    const r = stacks.dev.resource;
    expect(r.aws_lambda_permission['api_permission-POST-chat'].function_name).toBe(
      '${aws_lambda_function.chatbot_function.function_name}',
    );
    expect(r.aws_lambda_function.chatbot_function.environment.variables).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument',
      SIMULATE_FAILURE: 'false',
      ENQUIRY_QUEUE_URL: '${aws_sqs_queue.enquiries_queue.url}',
      BEDROCK_AGENT_ID: '${aws_bedrockagent_agent.agent_agent.agent_id}',
      BEDROCK_AGENT_ALIAS_ID: '${aws_bedrockagent_agent_alias.agent_alias.agent_alias_id}',
      SESSION_KEY_ARN: '${aws_kms_key.session-key.arn}',
    });
    expect(r.aws_lambda_event_source_mapping.enquiries_consumer.function_name).toBe(
      '${aws_lambda_function.consumer_function.arn}',
    );
    for (const fn of ['chatbot_function', 'consumer_function']) {
      expect(r.aws_lambda_function[fn].vpc_config.subnet_ids).toEqual([
        '${aws_subnet.network_private-0.id}',
        '${aws_subnet.network_private-1.id}',
      ]);
      expect(r.aws_lambda_function[fn].tracing_config).toEqual({ mode: 'Active' });
    }
    expect(r.aws_sqs_queue.enquiries_queue.visibility_timeout_seconds).toBe(60);
  });

  it('ends the chatbot before API Gateway gives up (29 s), and signs conversation ids with a KMS HMAC key only it may use', () => {
    const r = stacks.dev.resource;
    expect(r.aws_lambda_function.chatbot_function.timeout).toBeLessThan(29);
    expect(r.aws_lambda_function.chatbot_function.timeout).toBeGreaterThanOrEqual(20);
    expect(r.aws_kms_key['session-key']).toMatchObject({
      customer_master_key_spec: 'HMAC_256',
      key_usage: 'GENERATE_VERIFY_MAC',
    });
    expect(r.aws_kms_key['session-key'].enable_key_rotation).toBeUndefined();
    const statements = stacks.dev.data.aws_iam_policy_document.chatbot_role_permissions.statement as {
      sid: string;
      actions: string[];
      resources: string[];
      condition?: unknown[];
    }[];
    const kms = statements.filter((st) => st.actions.some((a) => a.startsWith('kms:')));
    expect(kms).toEqual([
      {
        sid: 'SignConversationIds',
        effect: 'Allow',
        actions: ['kms:GenerateMac', 'kms:VerifyMac'],
        resources: ['${aws_kms_key.session-key.arn}'],
        condition: [{ test: 'StringEquals', variable: 'kms:MacAlgorithm', values: ['HMAC_SHA_256'] }],
      },
    ]);
    // The API Gateway model accepts only ids of the form the chatbot issues.
    const schema = JSON.parse(r.aws_api_gateway_model['api_model-POST-chat'].schema as string);
    expect(schema.properties.sessionId.pattern).toBe('^[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}$');
  });

  it('runs the ADOT collector as a daemon on the cluster in the private subnets, with its own EMF log group', () => {
    const r = stacks.dev.resource;
    expect(r.aws_autoscaling_group.ecs_instances.vpc_zone_identifier).toEqual([
      '${aws_subnet.network_private-0.id}',
      '${aws_subnet.network_private-1.id}',
    ]);
    expect(r.aws_launch_template['ecs_launch-template'].instance_type).toBe('t2.medium');
    expect(r.aws_ecs_service.adot_service.scheduling_strategy).toBe('DAEMON');
    expect(r.aws_cloudwatch_log_group['adot_emf-logs'].name).toBe('/aws/ecs/dev/application/metrics');
    expect(stacks.prod.resource.aws_cloudwatch_log_group['adot_emf-logs'].name).toBe(
      '/aws/ecs/prod/application/metrics',
    );
    expect(r.aws_ssm_parameter.adot_config.value).toContain('log_group_name: "/aws/ecs/dev/application/metrics"');
  });

  it('alarms when the chatbot answered an enquiry it could not queue, on the line the handler logs', () => {
    const r = stacks.dev.resource;
    const filter = r.aws_cloudwatch_log_metric_filter['chatbot_log-filter-enquiry-not-queued'];
    expect(filter.pattern).toBe('{ $.message = "enquiry not queued; replay it from this log line" }');
    expect(fs.readFileSync(path.join(root, 'handlers', 'chatbot.ts'), 'utf8')).toContain(
      'logError(ENQUIRY_NOT_QUEUED, {',
    );
    expect(r.aws_cloudwatch_metric_alarm['chatbot_log-alarm-enquiry-not-queued']).toMatchObject({
      alarm_name: 'dev-chatbot-enquiry-not-queued',
      metric_name: 'dev-chatbot-enquiry-not-queued',
    });
    for (const fn of ['chatbot', 'consumer'])
      for (const what of ['errors', 'throttles'])
        expect(r.aws_cloudwatch_metric_alarm[`${fn}_${what}-alarm`]).toBeDefined();
    expect(r.aws_cloudwatch_metric_alarm['enquiries_oldest-message-age']).toBeDefined();
  });

  it('flips the failure switch per stack from configuration', () => {
    const flipped = synthApp({ TRACED_ENVIRONMENTS: 'dev', TRACED_DEV_SIMULATE_FAILURE: 'true' });
    expect(flipped.dev.resource.aws_lambda_function.chatbot_function.environment.variables.SIMULATE_FAILURE).toBe(
      'true',
    );
  });

  it('invokes an existing agent when one is configured, and creates none', () => {
    const withAgent = synthApp({
      TRACED_ENVIRONMENTS: 'dev',
      TRACED_BEDROCK_AGENT_ID: 'ABCDEFGHIJ',
      TRACED_BEDROCK_AGENT_ALIAS_ID: 'KLMNOPQRST',
    });
    expect(withAgent.dev.resource.aws_bedrockagent_agent).toBeUndefined();
    expect(withAgent.dev.resource.aws_lambda_function.chatbot_function.environment.variables.BEDROCK_AGENT_ID).toBe(
      'ABCDEFGHIJ',
    );
  });
});

describe('knowledge bases', () => {
  const configWith = (env: Record<string, string>) =>
    loadConfig(undefined, { TRACED_ENVIRONMENTS: 'dev', ...env }).find((c) => c.name === 'dev') as EnvironmentConfig;

  it("associates the configured knowledge bases with the stack's agent, and the chatbot records the lookups", () => {
    const config = configWith({
      TRACED_DEV_BEDROCK_KNOWLEDGE_BASES: JSON.stringify({ KB12345678: 'Product manuals and the returns policy' }),
    });
    const json = JSON.parse(Testing.synth(new ChatbotTracingStack(testApp(), { config, projectRoot: root })));
    expect(
      json.resource.aws_bedrockagent_agent_knowledge_base_association['agent_knowledge-base-KB12345678'],
    ).toMatchObject({ knowledge_base_id: 'KB12345678', description: 'Product manuals and the returns policy' });
    expect(json.resource.aws_lambda_function.chatbot_function.environment.variables.BEDROCK_AGENT_TRACE).toBe('true');
  });

  it('reads as a JSON object of strings, and not together with an existing agent', () => {
    expect(() => configWith({ TRACED_DEV_BEDROCK_KNOWLEDGE_BASES: '["KB12345678"]' })).toThrow(
      'Configuration: TRACED_DEV_BEDROCK_KNOWLEDGE_BASES must be an object of strings, got ["KB12345678"]',
    );
    expect(() =>
      configWith({
        TRACED_DEV_BEDROCK_KNOWLEDGE_BASES: '{"KB12345678": "Manuals"}',
        TRACED_DEV_BEDROCK_AGENT_ID: 'ABCDEFGHIJ',
        TRACED_DEV_BEDROCK_AGENT_ALIAS_ID: 'KLMNOPQRST',
      }),
    ).toThrow(
      'Configuration: environments.dev.bedrockKnowledgeBases must be unset when bedrockAgentId is set (associate knowledge bases with your own agent; they apply to the agent the stack creates), got {"KB12345678":"Manuals"}',
    );
  });
});

describe('the agent model', () => {
  const stackWith = (overrides: Partial<typeof DEFAULTS> & { bedrockFoundationModel?: string }) =>
    new ChatbotTracingStack(testApp(), { config: { ...DEFAULTS, name: 'dev', ...overrides }, projectRoot: root });

  it('defaults to an Active model through the region’s geographic inference profile', () => {
    const json = JSON.parse(Testing.synth(stackWith({})));
    expect(json.resource.aws_bedrockagent_agent.agent_agent.foundation_model).toBe('us.anthropic.claude-haiku-5-5');
    const eu = JSON.parse(Testing.synth(stackWith({ region: 'eu-west-1' })));
    expect(eu.resource.aws_bedrockagent_agent.agent_agent.foundation_model).toBe('eu.anthropic.claude-haiku-5-5');
  });

  it('refuses a model past its end of life in the region, naming it and the date (the construct checks it)', () => {
    expect(() => stackWith({ bedrockFoundationModel: 'anthropic.claude-3-haiku-20240307-v1:0' })).toThrow(
      /^ChatAgent "dev\/agent": foundationModel must be a model before its end of life \(Claude 3 Haiku \(anthropic\.claude-3-haiku-20240307-v1:0\) reached end of life in us-west-2 on 2026-09-10/,
    );
  });

  it('warns about a Legacy model', () => {
    const stack = stackWith({
      region: 'ap-northeast-2',
      bedrockFoundationModel: 'anthropic.claude-3-haiku-20240307-v1:0',
    });
    const agent = stack.node.findChild('agent');
    const warnings = agent.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings).toContainEqual(
      expect.stringContaining('Claude 3 Haiku (anthropic.claude-3-haiku-20240307-v1:0) is Legacy in ap-northeast-2'),
    );
  });
});

describe('names derived from the environment', () => {
  it('fit every AWS limit with the longest environment name allowed', () => {
    const app = testApp();
    const stack = new ChatbotTracingStack(app, {
      config: { ...DEFAULTS, name: 'staging-eu-west1' },
      projectRoot: root,
    });
    const json = JSON.parse(Testing.synth(stack, true));
    const roles = Object.values(json.resource.aws_iam_role as Record<string, { name: string }>).map((r) => r.name);
    for (const name of roles.filter((n) => !n.includes('${'))) expect(name.length).toBeLessThanOrEqual(64);
  });
});

describe('alarm topic', () => {
  const alarmsOf = (overrides: Partial<EnvironmentConfig>) => {
    const config = { ...DEFAULTS, name: 'dev', ...overrides };
    const stack = new ChatbotTracingStack(testApp(), { config, projectRoot: root });
    const json = JSON.parse(Testing.synth(stack));
    return Object.values(
      json.resource.aws_cloudwatch_metric_alarm as Record<
        string,
        { alarm_name: string; alarm_actions?: string[]; ok_actions?: string[] }
      >,
    );
  };

  it('every alarm of the stack notifies the configured topic, on alarm and on OK', () => {
    const topic = 'arn:aws:sns:us-west-2:123456789012:chatbot-alerts';
    const alarms = alarmsOf({ alarmTopicArn: topic });
    // chatbot errors, throttles and "enquiry not queued"; consumer errors and throttles; the queue's DLQ
    // depth and oldest message age; the API's 5XX rate.
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual(
      expect.arrayContaining(['dev-chatbot-enquiry-not-queued', 'dev-chatbot-errors', 'dev-enquiry-consumer-errors']),
    );
    expect(alarms.length).toBeGreaterThanOrEqual(8);
    for (const alarm of alarms) {
      expect([alarm.alarm_name, alarm.alarm_actions, alarm.ok_actions]).toEqual([alarm.alarm_name, [topic], [topic]]);
    }
  });

  it('without a topic the alarms notify no one', () => {
    for (const alarm of alarmsOf({})) expect(alarm.alarm_actions ?? []).toEqual([]);
  });
});

describe('backends', () => {
  const backendOf = (overrides: Record<string, string>) => {
    const app = testApp();
    const config = { ...DEFAULTS, name: 'dev', ...overrides };
    const stack = new ChatbotTracingStack(app, { config, projectRoot: root });
    const kind = configureBackend(stack, config, 'cdktf.out', root);
    const { terraform } = JSON.parse(Testing.synth(stack));
    return { kind, backend: terraform.backend ?? { cloud: terraform.cloud } };
  };

  it('uses S3 with a lock file when a state bucket is configured', () => {
    expect(backendOf({ stateBucket: 'acme-tf-state', stateRegion: 'us-east-1' })).toEqual({
      kind: 's3',
      backend: {
        s3: {
          bucket: 'acme-tf-state',
          key: 'traced-chatbot/dev/terraform.tfstate',
          region: 'us-east-1',
          encrypt: true,
          use_lockfile: true,
        },
      },
    });
  });

  it('encrypts the state with the given KMS key (SSE-KMS)', () => {
    const key = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(backendOf({ stateBucket: 'acme-tf-state', stateRegion: 'us-east-1', stateKmsKeyArn: key })).toEqual({
      kind: 's3',
      backend: {
        s3: {
          bucket: 'acme-tf-state',
          key: 'traced-chatbot/dev/terraform.tfstate',
          region: 'us-east-1',
          encrypt: true,
          kms_key_id: key,
          use_lockfile: true,
        },
      },
    });
  });

  it('uses HCP Terraform when an organization and a workspace are configured', () => {
    expect(backendOf({ tfcOrganization: 'acme', tfcWorkspace: 'chatbot-dev' })).toEqual({
      kind: 'cloud',
      backend: { cloud: { organization: 'acme', workspaces: { name: 'chatbot-dev' } } },
    });
  });
});

describe('synth from the command line', () => {
  const files = ['main.ts', 'cdktf.json', 'package.json', 'tsconfig.json', 'app', 'modules', 'handlers', 'scripts'];

  /** A copy of the project's sources at a fresh path, sharing node_modules. */
  function checkout(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkout-'));
    for (const f of files) {
      if (fs.existsSync(path.join(root, f))) fs.cpSync(path.join(root, f), path.join(dir, f), { recursive: true });
    }
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    return dir;
  }

  /** Every file under `dir`, relative path → content. */
  function tree(dir: string): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else out.set(path.relative(dir, p), fs.readFileSync(p));
      }
    };
    walk(dir);
    return out;
  }

  const cleanEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('TRACED_') && !k.startsWith('CDKTF_')),
  );
  const run = (cwd: string, env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['scripts/app.cjs'], { cwd, env: { ...cleanEnv, ...env }, encoding: 'utf8' });

  it('is byte-identical from two checkouts at different paths', () => {
    const [a, b] = [checkout(), checkout()];
    try {
      for (const dir of [a, b]) execFileSync(process.execPath, ['scripts/app.cjs'], { cwd: dir, env: cleanEnv });
      const [ta, tb] = [tree(path.join(a, 'cdktf.out')), tree(path.join(b, 'cdktf.out'))];
      expect([...ta.keys()].sort()).toEqual([...tb.keys()].sort());
      expect([...ta.keys()]).toContain(path.join('stacks', 'dev', 'cdk.tf.json'));
      for (const [file, content] of ta)
        expect({ file, same: content.equals(tb.get(file) as Buffer) }).toEqual({ file, same: true });
      for (const [, content] of ta) expect(content.toString('utf8')).not.toContain(a);
    } finally {
      for (const dir of [a, b]) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects invalid configuration with a one-line message and no stack trace', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'out-'));
    const result = run(root, { TRACED_DEV_AZ_COUNT: '9', CDKTF_OUTDIR: outdir });
    fs.rmSync(outdir, { recursive: true, force: true });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('Network "dev/network": azCount must be a whole number in 1..6, got 9\n');
  });
});
