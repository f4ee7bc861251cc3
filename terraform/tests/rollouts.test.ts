/**
 * Changes reach what serves them, in real plans: a new instruction reaches the agent alias (a new
 * agent version), a new ECS AMI reaches the instances (an instance refresh). Proved with real
 * terraform and the AWS provider, offline:
 *   1. plan a stack holding a ChatAgent and an EcsEc2Cluster from nothing;
 *   2. turn that plan into a state, as if it had been applied (./state-from-plan.ts);
 *   3. plan against that state without reading AWS (`-refresh=false`; data sources are still read,
 *      from the stand-in): with the same configuration and AMI nothing changes (the agent's digest is
 *      stable); with another instruction, and with the instances on an older AMI than the SSM parameter
 *      now names, the agent and its alias, and the launch template and its group, are updated; with
 *      other user data, the launch template and its group.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { App } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ChatAgent, EcsEc2Cluster, ReadableStack } from '../../modules';
import { STAND_IN_ACCOUNT, STAND_IN_AMI } from '../aws-stand-in';
import { openToolchain, planOffline, prepare, type Toolchain, type Workspace } from '../runner';
import { awsResourceSchemas, stateFromPlan } from './state-from-plan';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const AGENT = 'aws_bedrockagent_agent.agent_agent';
const ALIAS = 'aws_bedrockagent_agent_alias.agent_alias';
const TEMPLATE = 'aws_launch_template.ecs_launch-template';
const GROUP = 'aws_autoscaling_group.ecs_instances';
const OLD_AMI = 'ami-0aaaaaaaaaaaaaaaa';

/** What AWS would have answered where the type alone does not do (formats the provider checks, consistent ids). */
const OVERRIDES: Readonly<Record<string, unknown>> = {
  'aws_bedrockagent_agent.agent_arn': `arn:aws:bedrock:us-west-2:${STAND_IN_ACCOUNT}:agent/AGENT00001`,
  'aws_bedrockagent_agent.agent_id': 'AGENT00001',
  'aws_bedrockagent_agent.id': 'AGENT00001',
  'aws_bedrockagent_agent.agent_collaboration': 'DISABLED',
  'aws_bedrockagent_agent.agent_version': 'DRAFT',
  'aws_bedrockagent_agent.prepared_at': '2026-11-26T00:00:00Z',
  'aws_bedrockagent_agent_alias.agent_alias_arn': `arn:aws:bedrock:us-west-2:${STAND_IN_ACCOUNT}:agent-alias/AGENT00001/ALIAS00001`,
  'aws_bedrockagent_agent_alias.agent_alias_id': 'ALIAS00001',
  'aws_bedrockagent_agent_alias.id': 'ALIAS00001,AGENT00001',
  'aws_bedrockagent_agent_alias.routing_configuration': [{ agent_version: '1', provisioned_throughput: null }],
  'aws_iam_role.create_date': '2026-11-26T00:00:00Z',
  'aws_launch_template.id': 'lt-0123456789abcdef0',
};

const changeOf = (plan: Json, address: string): Json => {
  const change = (plan.resource_changes as Json[]).find((c) => c.address === address);
  assert.ok(change, `${address} is not in the plan`);
  return change.change;
};

/** The top-level attributes a change changes, for a message. */
const changedAttributes = (plan: Json, address: string): string[] => {
  const c = changeOf(plan, address);
  const keys = new Set([...Object.keys(c.before ?? {}), ...Object.keys(c.after ?? {})]);
  return [...keys]
    .filter((k) => c.after_unknown?.[k] === true || JSON.stringify(c.before?.[k]) !== JSON.stringify(c.after?.[k]))
    .map(
      (k) =>
        `${k} ${JSON.stringify(c.before?.[k])} -> ${JSON.stringify(c.after?.[k])} ${JSON.stringify(c.after_unknown?.[k] ?? '')}`,
    );
};

const managedActions = (plan: Json) =>
  Object.fromEntries(
    (plan.resource_changes as Json[])
      .filter((c) => c.mode === 'managed')
      .map((c) => [c.address, (c.change.actions as string[]).join('+')]),
  );

describe('changes reach what serves them (real terraform plans against a state)', { concurrency: true }, () => {
  let tc: Toolchain;
  let first: Json;
  let unchanged: Json;
  let changed: Json;
  let newUserData: Json;

  const workspace = (name: string, edit?: (config: Json) => void): Workspace => {
    const ws = prepare(tc, { name, base: path.join(tc.scratch, 'synth'), module: 'stacks/rollouts' });
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
    const stack = new ReadableStack(app, 'rollouts');
    new AwsProvider(stack, 'aws', { region: 'us-west-2' });
    new ChatAgent(stack, 'agent', { agentName: 'a' });
    new EcsEc2Cluster(stack, 'ecs', { clusterName: 'c', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-a'] });
    app.synth();

    const firstWs = workspace('rollouts-first');
    first = JSON.parse((await planOffline(tc, firstWs)).json) as Json;
    const state = stateFromPlan(first, await awsResourceSchemas(tc, firstWs), OVERRIDES);
    const againstState = async (ws: Workspace, edit: (state: Json) => void = () => {}) => {
      const copy = structuredClone(state);
      edit(copy);
      fs.writeFileSync(path.join(ws.dir, 'offline.tfstate'), JSON.stringify(copy, null, 2));
      return JSON.parse((await planOffline(tc, ws, { refresh: false })).json) as Json;
    };
    [unchanged, changed, newUserData] = await Promise.all([
      againstState(workspace('rollouts-same')),
      againstState(
        workspace('rollouts-changed', (config) => {
          config.resource.aws_bedrockagent_agent.agent_agent.instruction =
            'You answer questions about the opening hours of the shop, and nothing else.';
        }),
        // The instances run the AMI of the last apply; the SSM parameter (the stand-in) names a newer one.
        (s) => {
          const lt = (s.resources as Json[]).find((r) => `${r.type}.${r.name}` === TEMPLATE);
          assert.ok(lt);
          lt.instances[0].attributes.image_id = OLD_AMI;
        },
      ),
      againstState(
        workspace('rollouts-user-data', (config) => {
          const template = config.resource.aws_launch_template['ecs_launch-template'];
          template.user_data = Buffer.from('#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config\n').toString(
            'base64',
          );
        }),
      ),
    ]);
  });
  after(() => tc?.dispose());

  it('the first plan shows the digest of the agent configuration in the alias description', () => {
    assert.deepEqual(changeOf(first, ALIAS).actions, ['create']);
    assert.match(
      changeOf(first, ALIAS).after.description,
      /^Serves agent configuration [0-9a-f]{12}; a new version when it changes$/,
    );
  });

  it('with the same configuration and AMI nothing changes: the digest is stable', () => {
    const actions = managedActions(unchanged);
    assert.ok(Object.keys(actions).length >= 10, JSON.stringify(actions));
    const changes = Object.entries(actions)
      .filter(([, action]) => action !== 'no-op')
      .map(([address, action]) => `${action} ${address}: ${changedAttributes(unchanged, address).join('; ')}`);
    assert.deepEqual(changes, []);
  });

  it('a new instruction updates the agent and the alias in place, with a new digest and a new version', () => {
    assert.deepEqual(changeOf(changed, AGENT).actions, ['update']);
    const alias = changeOf(changed, ALIAS);
    assert.deepEqual(alias.actions, ['update']);
    assert.notEqual(alias.after.description, alias.before.description);
    assert.match(alias.after.description, /^Serves agent configuration [0-9a-f]{12}; /);
    // The provider sends UpdateAgentAlias without a routing configuration: Bedrock makes a version.
    assert.equal(alias.after_unknown.routing_configuration, true);
  });

  it('a new ECS AMI updates the launch template and the group runs its new version: an instance refresh', () => {
    const template = changeOf(changed, TEMPLATE);
    assert.deepEqual(template.actions, ['update']);
    assert.equal(template.before.image_id, OLD_AMI);
    assert.equal(template.after.image_id, STAND_IN_AMI);
    assert.equal(template.after_unknown.latest_version, true);
    const group = changeOf(changed, GROUP);
    assert.deepEqual(group.actions, ['update']);
    assert.equal(group.before.launch_template[0].version, String(template.before.latest_version));
    assert.equal(group.after_unknown.launch_template[0].version, true);
    assert.equal(group.after.instance_refresh[0].preferences[0].min_healthy_percentage, 100);
  });

  it('new user data rolls the instances the same way, and changes nothing else', () => {
    assert.deepEqual(changeOf(newUserData, TEMPLATE).actions, ['update']);
    const group = changeOf(newUserData, GROUP);
    assert.deepEqual(group.actions, ['update']);
    assert.equal(group.after_unknown.launch_template[0].version, true);
    for (const [address, action] of Object.entries(managedActions(newUserData)))
      if (![TEMPLATE, GROUP].includes(address))
        assert.equal(action, 'no-op', `${address}: ${changedAttributes(newUserData, address).join(', ')}`);
  });

  it('nothing else changes', () => {
    for (const [address, action] of Object.entries(managedActions(changed)))
      if (![AGENT, ALIAS, TEMPLATE, GROUP].includes(address))
        assert.equal(action, 'no-op', `${address}: ${changedAttributes(changed, address).join(', ')}`);
  });
});
