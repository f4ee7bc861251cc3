/**
 * A change of a ChatAgent reaches its alias, in a real plan: the alias's description carries a digest
 * of the agent's configuration, so a new instruction is an in-place update of the alias (and the AWS
 * provider's update of an alias without a routing configuration makes a new agent version and serves
 * it). Proved with real terraform and the AWS provider, offline:
 *   1. plan a stack holding one ChatAgent from nothing;
 *   2. turn that plan into a state, as if it had been applied (the values only AWS would know are
 *      filled with stand-ins, references kept consistent);
 *   3. plan against that state, without reading AWS: with the same configuration nothing changes
 *      (the digest is stable), with another instruction the agent and the alias are updated.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { App } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ChatAgent, ReadableStack } from '../../modules';
import { STAND_IN_ACCOUNT } from '../aws-stand-in';
import { openToolchain, planOffline, prepare, type Toolchain, type Workspace } from '../runner';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ALIAS = 'aws_bedrockagent_agent_alias.agent_alias';
const AGENT = 'aws_bedrockagent_agent.agent_agent';

/** Values AWS would have given the computed attributes, by `<type>.<attribute>`; anything else unknown is a string. */
const COMPUTED: Readonly<Record<string, unknown>> = {
  'aws_bedrockagent_agent.agent_arn': `arn:aws:bedrock:us-west-2:${STAND_IN_ACCOUNT}:agent/AGENT00001`,
  'aws_bedrockagent_agent.agent_id': 'AGENT00001',
  'aws_bedrockagent_agent.id': 'AGENT00001',
  'aws_bedrockagent_agent.agent_collaboration': 'DISABLED',
  'aws_bedrockagent_agent.agent_version': 'DRAFT',
  'aws_bedrockagent_agent.prepared_at': '2026-11-26T00:00:00Z',
  'aws_bedrockagent_agent.memory_configuration': [],
  'aws_bedrockagent_agent.prompt_override_configuration': [],
  'aws_bedrockagent_agent_alias.agent_alias_arn': `arn:aws:bedrock:us-west-2:${STAND_IN_ACCOUNT}:agent-alias/AGENT00001/ALIAS00001`,
  'aws_bedrockagent_agent_alias.agent_alias_id': 'ALIAS00001',
  'aws_bedrockagent_agent_alias.id': 'ALIAS00001,AGENT00001',
  'aws_bedrockagent_agent_alias.routing_configuration': [{ agent_version: '1', provisioned_throughput: null }],
  'aws_iam_role.create_date': '2026-11-26T00:00:00Z',
  'aws_iam_role.arn': `arn:aws:iam::${STAND_IN_ACCOUNT}:role/AmazonBedrockExecutionRoleForAgents_a`,
  'aws_iam_role.id': 'AmazonBedrockExecutionRoleForAgents_a',
  'aws_iam_role.inline_policy': [],
  'aws_iam_role.managed_policy_arns': [],
  'aws_iam_role.tags_all': {},
};

/** The expression of an attribute in the plan's configuration, when it is one reference (`aws_x.y.attr`). */
function reference(plan: Json, address: string, attribute: string): string | undefined {
  const resource = (plan.configuration.root_module.resources as Json[]).find((r) => r.address === address);
  const refs = resource?.expressions?.[attribute]?.references as string[] | undefined;
  return refs?.find((r) => r.split('.').length === 3);
}

/**
 * A state holding what `plan` would create, as if applied: planned values, the unknown ones filled
 * from COMPUTED, then every attribute that is a reference to another resource's attribute set to it.
 */
export function stateFromPlan(plan: Json): Json {
  const managed = (plan.planned_values.root_module.resources as Json[]).filter((r) => r.mode === 'managed');
  const unknown = new Map(
    (plan.resource_changes as Json[]).map((c) => [c.address as string, c.change.after_unknown as Json]),
  );
  const values = new Map<string, Json>();
  for (const r of managed) {
    const v: Json = { ...r.values };
    for (const [attribute, isUnknown] of Object.entries(unknown.get(r.address) ?? {})) {
      if (isUnknown !== true) continue;
      const key = `${r.type}.${attribute}`;
      v[attribute] = key in COMPUTED ? COMPUTED[key] : `stand-in-${attribute}`;
    }
    values.set(r.address, v);
  }
  for (const r of managed) {
    for (const attribute of Object.keys(unknown.get(r.address) ?? {})) {
      const ref = reference(plan, r.address, attribute);
      if (!ref) continue;
      const [type, name, attr] = ref.split('.');
      const target = values.get(`${type}.${name}`);
      if (target && attr in target) values.get(r.address)![attribute] = target[attr];
    }
  }
  return {
    version: 4,
    terraform_version: plan.terraform_version,
    serial: 1,
    lineage: '00000000-0000-4000-8000-000000000001',
    outputs: {},
    resources: managed.map((r) => ({
      mode: 'managed',
      type: r.type,
      name: r.name,
      provider: r.provider_name.startsWith('provider[') ? r.provider_name : `provider["${r.provider_name}"]`,
      instances: [{ schema_version: r.schema_version, attributes: values.get(r.address), sensitive_attributes: [] }],
    })),
  };
}

const changeOf = (plan: Json, address: string): Json => {
  const change = (plan.resource_changes as Json[]).find((c) => c.address === address);
  assert.ok(change, `${address} is not in the plan`);
  return change.change;
};

describe('a changed ChatAgent reaches its alias (real terraform plan)', { concurrency: true }, () => {
  let tc: Toolchain;
  let first: Json;
  let state: Json;
  let unchanged: Json;
  let changed: Json;

  const workspace = (name: string, edit?: (config: Json) => void): Workspace => {
    const ws = prepare(tc, { name, base: path.join(tc.scratch, 'synth'), module: 'stacks/agent' });
    if (edit) {
      const file = path.join(ws.dir, 'cdk.tf.json');
      const config = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
      edit(config);
      fs.writeFileSync(file, JSON.stringify(config, null, 2));
    }
    return ws;
  };

  before(async () => {
    tc = await openToolchain();
    const app = new App({ outdir: path.join(tc.scratch, 'synth') });
    const stack = new ReadableStack(app, 'agent');
    new AwsProvider(stack, 'aws', { region: 'us-west-2' });
    new ChatAgent(stack, 'agent', { agentName: 'a' });
    app.synth();

    first = JSON.parse((await planOffline(tc, workspace('agent-first'))).json) as Json;
    state = stateFromPlan(first);
    const againstState = async (ws: Workspace) => {
      fs.writeFileSync(path.join(ws.dir, 'offline.tfstate'), JSON.stringify(state, null, 2));
      return JSON.parse((await planOffline(tc, ws, { refresh: false })).json) as Json;
    };
    [unchanged, changed] = await Promise.all([
      againstState(workspace('agent-same')),
      againstState(
        workspace('agent-changed', (config) => {
          config.resource.aws_bedrockagent_agent.agent_agent.instruction =
            'You answer questions about the opening hours of the shop, and nothing else.';
        }),
      ),
    ]);
  });
  after(() => tc?.dispose());

  it('the first plan shows the digest of the configuration in the alias description', () => {
    assert.deepEqual(changeOf(first, ALIAS).actions, ['create']);
    assert.match(
      changeOf(first, ALIAS).after.description,
      /^Serves agent configuration [0-9a-f]{12}; a new version when it changes$/,
    );
  });

  it('with the same configuration nothing changes: the digest is stable', () => {
    for (const c of unchanged.resource_changes as Json[])
      if (c.mode === 'managed') assert.deepEqual(c.change.actions, ['no-op'], c.address);
  });

  it('a new instruction updates the agent and the alias in place, with a new digest and a new version', () => {
    assert.deepEqual(changeOf(changed, AGENT).actions, ['update']);
    const alias = changeOf(changed, ALIAS);
    assert.deepEqual(alias.actions, ['update']);
    assert.notEqual(alias.after.description, alias.before.description);
    assert.match(alias.after.description, /^Serves agent configuration [0-9a-f]{12}; /);
    // The provider sends UpdateAgentAlias without a routing configuration: Bedrock makes a version.
    assert.equal(alias.after_unknown.routing_configuration, true);
    assert.deepEqual(alias.before.routing_configuration, [{ agent_version: '1', provisioned_throughput: null }]);
    const others = (changed.resource_changes as Json[]).filter(
      (c) => c.mode === 'managed' && ![AGENT, ALIAS].includes(c.address),
    );
    for (const c of others) assert.deepEqual(c.change.actions, ['no-op'], c.address);
  });
});
