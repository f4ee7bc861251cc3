import * as fs from 'node:fs';
import * as path from 'node:path';
import { Aspects } from 'cdktf';
import { Construct } from 'constructs';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { XraySamplingRule } from '@cdktf/provider-aws/lib/xray-sampling-rule';
import { PolicyChecks, StackView, TracedQueue, evaluate } from '../modules';
import { testStack } from './helpers';
import { referenceApp } from './support/reference-app';

/** Synthesizes a test stack with PolicyChecks; returns the error (if any) and the annotations. */
function check(build: (scope: Construct) => void, checks = new PolicyChecks()) {
  const { app, stack } = testStack();
  build(stack);
  Aspects.of(stack).add(checks);
  let error: string | undefined;
  try {
    app.synth();
  } catch (e) {
    error = (e as Error).message;
  }
  const annotations = stack.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type.startsWith('@cdktf/'))
        .map((m) => `${m.type.slice(7)} ${c.node.path}: ${m.data}`),
    );
  const outputs = error
    ? undefined
    : JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'test', 'cdk.tf.json'), 'utf8')).output;
  return { error, annotations, outputs };
}

describe('PolicyChecks', () => {
  it('fails the synth on an error finding, naming the rule, the resource and the fix', () => {
    const { error } = check((s) => new SqsQueue(s, 'plain', { name: 'plain' }));
    expect(error).toContain(
      '[test/plain] [TS-SQS-1] SQS queues are encrypted at rest: aws_sqs_queue.plain neither sqs_managed_sse_enabled nor kms_master_key_id is set. Fix: Set sqs_managed_sse_enabled = true or kms_master_key_id.',
    );
    expect(error).toContain('[TS-SQS-2]');
  });

  it('passes a TracedQueue untouched', () => {
    const { error, annotations } = check((s) => new TracedQueue(s, 'q', { queueName: 'orders' }));
    expect(error).toBeUndefined();
    // (the bare test provider has no default tags: that warning is the stack's, not the queue's)
    expect(annotations.filter((a) => a.includes('[TS-') && !a.includes('[TS-TAGS-1]'))).toEqual([]);
  });

  it('reports warnings without failing, or as errors when asked', () => {
    const build = (s: Construct) => {
      new XraySamplingRule(s, 'a', {
        ruleName: 'a',
        priority: 1,
        fixedRate: 0,
        reservoirSize: 0,
        serviceName: '*',
        serviceType: '*',
        host: '*',
        httpMethod: '*',
        urlPath: '*',
        resourceArn: '*',
        version: 1,
      });
    };
    expect(check(build).error).toBeUndefined();
    const { annotations } = check((s) => {
      build(s);
    });
    expect(annotations).toContainEqual(expect.stringMatching(/^warn test: \[TS-TAGS-1\]/));
    expect(check(build, new PolicyChecks({ warningsAsErrors: true })).error).toContain('[TS-TAGS-1]');
  });

  it('accepts a suppressed finding, and shows its reason in the annotations and a stack output', () => {
    const { error, annotations, outputs } = check((s) => {
      const q = new SqsQueue(s, 'legacy', { name: 'legacy', sqsManagedSseEnabled: true });
      PolicyChecks.suppress(
        q,
        'TS-SQS-2',
        'Legacy queue read by an on-premises client without TLS; removal tracked in OPS-42.',
      );
    });
    expect(error).toBeUndefined();
    expect(annotations).toContainEqual(
      expect.stringContaining('info test/legacy: [TS-SQS-2] suppressed: Legacy queue read by an on-premises client'),
    );
    expect(outputs.policy_suppressions.value).toEqual([
      'TS-SQS-2 aws_sqs_queue.legacy: Legacy queue read by an on-premises client without TLS; removal tracked in OPS-42.',
    ]);
  });

  it('applies a suppression on a scope to everything below it, for that rule only', () => {
    const { error } = check((s) => {
      const scope = new Construct(s, 'legacy');
      new SqsQueue(scope, 'queue', { name: 'legacy' });
      PolicyChecks.suppress(scope, 'TS-SQS-2', 'Legacy queues, TLS enforced at the VPC endpoint policy instead.');
    });
    expect(error).toContain('[TS-SQS-1]');
    expect(error).not.toContain('[TS-SQS-2]');
  });

  it('refuses a suppression without a reason or with an unknown rule', () => {
    const { stack } = testStack();
    expect(() => PolicyChecks.suppress(stack, 'TS-SQS-2', '  ')).toThrow(
      'PolicyChecks.suppress "test": reason must say why, in at least 10 characters, got "  "',
    );
    expect(() => PolicyChecks.suppress(stack, 'TS-NOPE', 'a good reason here')).toThrow(
      /ruleId must be one of the policy rules \(TS-LAMBDA-1, .*\), got "TS-NOPE"/,
    );
  });
});

describe('the reference app', () => {
  it('has zero findings in every stack, and no suppressions', () => {
    const { stacks, manifest } = referenceApp();
    expect(Object.keys(stacks).sort()).toEqual(['dev', 'prod']);
    for (const json of Object.values(stacks)) {
      expect(evaluate(new StackView(json)).map((f) => `${f.rule.id} ${f.resource.address}: ${f.detail}`)).toEqual([]);
      expect(json.output.policy_suppressions).toBeUndefined();
    }
    const notes = Object.values(manifest.stacks as Record<string, { annotations: { message: string }[] }>).flatMap(
      (s) => s.annotations.map((a) => a.message),
    );
    expect(notes.filter((m) => m.includes('[TS-'))).toEqual([]);
  });
});
