import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Aspects, TerraformHclModule, TerraformStack, TerraformVariable, type IAspect } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { XraySamplingRule } from '@cdktf/provider-aws/lib/xray-sampling-rule';
import { ALL_RULES, PolicyChecks, StackView, TracedQueue, evaluate, type PolicyRule } from '../modules';
import { ForeignStack } from './fixtures/policy/foreign-stack';
import { testStack } from './helpers';
import { testApp } from './support/scratch';
import { referenceApp } from './support/reference-app';

/** Every annotation below `scope`, as `level path: message`. */
function annotationsOf(scope: IConstruct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type.startsWith('@cdktf/'))
        .map((m) => `${m.type.slice(7)} ${c.node.path}: ${m.data}`),
    );
}

/** Synthesizes `app`; returns the error message, if any. */
function synthError(app: App): string | undefined {
  try {
    app.synth();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Synthesizes a test stack with PolicyChecks; returns the error (if any), the annotations and the outputs. */
function check(build: (scope: TerraformStack) => void, checks = new PolicyChecks()) {
  const { app, stack } = testStack();
  build(stack);
  Aspects.of(stack).add(checks);
  const error = synthError(app);
  const outputs = error
    ? undefined
    : JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'test', 'cdk.tf.json'), 'utf8')).output;
  return { error, annotations: annotationsOf(stack), outputs };
}

const plainQueue = (scope: Construct, id: string) => new SqsQueue(scope, id, { name: id });

describe('PolicyChecks', () => {
  it('fails the synth on an error finding, naming the rule, the resource, the field and the fix', () => {
    const { error } = check((s) => plainQueue(s, 'plain'));
    expect(error).toContain(
      '[test/plain] [TS-SQS-1] SQS queues are encrypted at rest: aws_sqs_queue.plain sqs_managed_sse_enabled: neither sqs_managed_sse_enabled nor kms_master_key_id is set. Fix: Set sqs_managed_sse_enabled = true or kms_master_key_id.',
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
    const { error, annotations } = check(build);
    expect(error).toBeUndefined();
    expect(annotations).toContainEqual(expect.stringMatching(/^warn test: \[TS-TAGS-1\]/));
    expect(check(build, new PolicyChecks({ warningsAsErrors: true })).error).toContain('[TS-TAGS-1]');
  });

  describe('judges the final configuration', () => {
    it('sees what an Aspect added after it changes', () => {
      class Unencrypt implements IAspect {
        public visit(node: IConstruct) {
          if (node instanceof SqsQueue) node.sqsManagedSseEnabled = false;
        }
      }
      const { app, stack } = testStack();
      new TracedQueue(stack, 'q', { queueName: 'orders' });
      Aspects.of(stack).add(new PolicyChecks());
      Aspects.of(stack).add(new Unencrypt());
      expect(synthError(app)).toContain('[TS-SQS-1] SQS queues are encrypted at rest: aws_sqs_queue.q_queue');
    });

    it('sees what an Aspect on a child scope (run after the stack-level checks are visited) changes', () => {
      class Untrace implements IAspect {
        public visit(node: IConstruct) {
          if (node instanceof LambdaFunction) node.tracingConfig.mode = 'PassThrough';
        }
      }
      const app = testApp();
      const stack = new ForeignStackLike(app);
      Aspects.of(stack.team).add(new Untrace());
      expect(synthError(app)).toContain('[TS-LAMBDA-1]');
    });

    it('counts escape-hatch overrides on a resource and on the stack', () => {
      expect(
        check((s) =>
          new TracedQueue(s, 'q', { queueName: 'orders' }).queue.addOverride('sqs_managed_sse_enabled', false),
        ).error,
      ).toContain('aws_sqs_queue.q_queue sqs_managed_sse_enabled');
      expect(
        check((s) => {
          new TracedQueue(s, 'q', { queueName: 'orders' });
          s.addOverride('resource.aws_sqs_queue.q_queue.sqs_managed_sse_enabled', false);
        }).error,
      ).toContain('aws_sqs_queue.q_queue sqs_managed_sse_enabled');
    });
  });

  describe('suppressions', () => {
    const reason = 'Legacy queue read by an on-premises client without TLS; removal tracked in OPS-42.';

    it('accepts a suppressed finding, and shows its reason in the annotations and a stack output', () => {
      const { error, annotations, outputs } = check((s) => {
        const q = new SqsQueue(s, 'legacy', { name: 'legacy', sqsManagedSseEnabled: true });
        PolicyChecks.suppress(q, 'TS-SQS-2', reason);
      });
      expect(error).toBeUndefined();
      expect(annotations).toContainEqual(
        expect.stringContaining('info test/legacy: [TS-SQS-2] suppressed: Legacy queue read by an on-premises client'),
      );
      expect(outputs.policy_suppressions).toEqual({
        description: 'Policy findings accepted in this stack, each with the reason given for it',
        value: [`TS-SQS-2 aws_sqs_queue.legacy: ${reason}`],
      });
    });

    it('shows the suppressions output in the HCL output too (cdktf synth --hcl)', () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-hcl-'));
      try {
        // what `cdktf synth --hcl` sets; cdktf 0.21's stacks read it when they are created
        process.env.SYNTH_HCL_OUTPUT = 'true';
        const app = new App({ outdir, hclOutput: true });
        const stack = new TerraformStack(app, 'hcl');
        delete process.env.SYNTH_HCL_OUTPUT;
        new AwsProvider(stack, 'aws', { region: 'us-west-2', defaultTags: [{ tags: { p: 'x' } }] });
        PolicyChecks.suppress(
          new SqsQueue(stack, 'legacy', { name: 'legacy', sqsManagedSseEnabled: true }),
          'TS-SQS-2',
          reason,
        );
        Aspects.of(stack).add(new PolicyChecks());
        app.synth();
        const hcl = fs.readFileSync(path.join(outdir, 'stacks', 'hcl', 'cdk.tf'), 'utf8');
        expect(hcl).toContain('output "policy_suppressions"');
        expect(hcl).toContain('TS-SQS-2 aws_sqs_queue.legacy');
      } finally {
        delete process.env.SYNTH_HCL_OUTPUT;
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    });

    it('applies a suppression on a scope to everything below it, for that rule only', () => {
      const { error } = check((s) => {
        const scope = new Construct(s, 'legacy');
        plainQueue(scope, 'queue');
        PolicyChecks.suppress(scope, 'TS-SQS-2', 'Legacy queues, TLS enforced at the VPC endpoint policy instead.');
      });
      expect(error).toContain('[TS-SQS-1]');
      expect(error).not.toContain('[TS-SQS-2] SQS queues deny');
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

    it('ignores, with an error, a suppression recorded by hand without a reason', () => {
      const { error } = check((s) => {
        const q = new SqsQueue(s, 'q', { name: 'q', sqsManagedSseEnabled: true });
        q.node.addMetadata('traced-chatbot:policy-suppression', { rule: 'TS-SQS-2', reason: 'ok' });
      });
      expect(error).toContain(
        '[test/q] [TS-SQS-2] a suppression on test/q is ignored: reason must say why, in at least 10 characters, got "ok"',
      );
      expect(error).toContain('[test/q] [TS-SQS-2] SQS queues deny requests without TLS');
    });
  });

  describe('what it cannot judge', () => {
    it('reports module contents and variables as not checked, with the reason', () => {
      const { error, annotations } = check((s) => {
        new TerraformHclModule(s, 'vendor', { source: 'terraform-aws-modules/sqs/aws', variables: { name: 'v' } });
        const tracing = new TerraformVariable(s, 'mode', { type: 'string' });
        new XraySamplingRule(s, 'r', {
          ruleName: 'r',
          priority: tracing.numberValue,
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
      });
      expect(error).toBeUndefined();
      expect(annotations).toContainEqual(
        'info test/vendor: [module] not checked: module.vendor source the resources of module terraform-aws-modules/sqs/aws are not in this configuration; run check-plan on a plan to check them',
      );
      expect(annotations).toContainEqual(
        'info test/r: [TS-XRAY-1] not checked: aws_xray_sampling_rule.r priority comes from var.mode, which has no default; check the plan (check-plan) instead',
      );
    });

    it('turns a rule that throws into a warning naming the rule and the resource; the synth goes on', () => {
      const buggy: PolicyRule = {
        ...ALL_RULES[0],
        id: 'TS-BUGGY',
        appliesTo: ['aws_sqs_queue'],
        check: () => {
          throw new TypeError("Cannot read properties of undefined (reading 'filter')");
        },
      };
      const { error, annotations } = check(
        (s) => new TracedQueue(s, 'q', { queueName: 'orders' }),
        new PolicyChecks({ rules: [buggy] }),
      );
      expect(error).toBeUndefined();
      expect(annotations).toContainEqual(
        `warn test/q/queue: [TS-BUGGY] ${ALL_RULES[0].title}: aws_sqs_queue.q_queue: the rule failed (TypeError: Cannot read properties of undefined (reading 'filter')), so this resource was not checked by it; please report it`,
      );
    });

    it('says so when the app skips validations, so the checks cannot run', () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-skip-'));
      try {
        const app = new App({ outdir, skipValidation: true });
        const stack = new TerraformStack(app, 'skipped');
        new AwsProvider(stack, 'aws', { region: 'us-west-2' });
        plainQueue(stack, 'plain');
        Aspects.of(stack).add(new PolicyChecks());
        expect(synthError(app)).toBeUndefined();
        expect(annotationsOf(stack)).toContainEqual(expect.stringContaining('warn skipped: PolicyChecks did not run'));
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    });
  });

  it('resolves each stack once: the checks reuse the toTerraform() result the synthesizer writes', () => {
    const spy = jest.spyOn(TerraformStack.prototype, 'toTerraform');
    try {
      const { app, stack } = testStack();
      new TracedQueue(stack, 'q', { queueName: 'orders' });
      Aspects.of(stack).add(new PolicyChecks());
      Aspects.of(stack).add(new PolicyChecks({ warningsAsErrors: false })); // a second set shares the result
      app.synth();
      expect(spy).toHaveBeenCalledTimes(1);
      // and what was written is the configuration that was checked, byte for byte what a fresh resolution gives
      const written = fs.readFileSync(path.join(app.outdir, 'stacks', 'test', 'cdk.tf.json'), 'utf8');
      expect(JSON.parse(written)).toEqual(JSON.parse(JSON.stringify(stack.toTerraform())));
    } finally {
      spy.mockRestore();
    }
  });

  it('hands nothing stale over when the synth ends on an error', () => {
    const { app, stack } = testStack();
    const queue = plainQueue(stack, 'plain');
    Aspects.of(stack).add(new PolicyChecks());
    expect(synthError(app)).toContain('[TS-SQS-1]');
    queue.sqsManagedSseEnabled = true;
    expect(
      (stack.toTerraform() as { resource: Record<string, Record<string, Json>> }).resource.aws_sqs_queue.plain,
    ).toMatchObject({
      sqs_managed_sse_enabled: true,
    });
  });
});

type Json = Record<string, unknown>;

/** A stack with a team scope holding a traced Lambda function, for the child-scope Aspect test. */
class ForeignStackLike extends TerraformStack {
  public readonly team: Construct;
  constructor(app: App) {
    super(app, 'child-scope');
    new AwsProvider(this, 'aws', { region: 'eu-west-1', defaultTags: [{ tags: { p: 'x' } }] });
    this.team = new Construct(this, 'team');
    new LambdaFunction(this.team, 'fn', {
      functionName: 'fn',
      role: 'arn:aws:iam::111122223333:role/r',
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      filename: 'f.zip',
      tracingConfig: { mode: 'Active' },
      reservedConcurrentExecutions: 1,
    });
    Aspects.of(this).add(new PolicyChecks());
  }
}

describe('the seeded foreign stack', () => {
  it('is reported on every count of issue 13, each finding naming rule, resource and field', () => {
    const app = testApp();
    const stack = new ForeignStack(app, 'foreign', { withThrowingRule: true });
    expect(synthError(app)).toMatch(/^Encountered Annotations with level "ERROR"/);
    const titles = new Map<string, string>([
      ...ALL_RULES.map((r) => [r.id, r.title] as [string, string]),
      ['TS-TEST-THROWS', 'A rule with a bug'],
    ]);
    const reported = annotationsOf(stack).flatMap((a) => {
      const [, level, id, rest] = /^(\w+) [^:]+: \[([\w-]+)\] (.*)$/s.exec(a) ?? [];
      const unchecked = /^not checked: (\S+) (\S+) /.exec(rest ?? '');
      if (unchecked) return [`${level} ${id} ${unchecked[1]} ${unchecked[2]}`];
      const prefix = `${titles.get(id)}: `;
      if (!rest?.startsWith(prefix)) return []; // suppression notes
      const failed = /^(\S+): the rule failed/.exec(rest.slice(prefix.length));
      if (failed) return [`${level} ${id} ${failed[1]} -`];
      const finding = /^(\S+) ([^:]+): /.exec(rest.slice(prefix.length));
      return finding ? [`${level} ${id} ${finding[1]} ${finding[2]}`] : [];
    });
    if (process.env.POLICY_PRINT) console.log(JSON.stringify(reported, null, 1));
    expect(reported).toEqual(EXPECTED_FOREIGN);
    const notes = annotationsOf(stack);
    expect(notes).toContainEqual(
      expect.stringContaining('info foreign/legacy: [TS-SQS-2] suppressed: Legacy on-premises client'),
    );
    expect(notes).toContainEqual(
      expect.stringContaining('error foreign/sloppy: [TS-SQS-2] a suppression on foreign/sloppy is ignored'),
    );
  });
});

/** What the foreign stack must produce: `level rule address field`, in report order. */
const EXPECTED_FOREIGN = [
  'error TS-SQS-1 aws_sqs_queue.late-aspect sqs_managed_sse_enabled', // an Aspect added after the checks
  'warn TS-TEST-THROWS aws_sqs_queue.late-aspect -', // a rule that throws: a finding naming rule and resource
  'error TS-LAMBDA-1 aws_lambda_function.team_untraced_4DA345D6 tracing_config.mode', // an Aspect on a child scope
  'error TS-SQS-1 aws_sqs_queue.overridden sqs_managed_sse_enabled', // addOverride on the resource
  'warn TS-TEST-THROWS aws_sqs_queue.overridden -',
  'error TS-SQS-1 aws_sqs_queue.stack-overridden sqs_managed_sse_enabled', // addOverride on the stack
  'warn TS-TEST-THROWS aws_sqs_queue.stack-overridden -',
  'error TS-IAM-1 aws_iam_policy.uppercase-service policy.Statement[0].Action', // S3:*
  'error TS-IAM-1 aws_iam_policy.wildcard-in-action policy.Statement[0].Action', // iam:*Role*
  'error TS-IAM-2 aws_iam_policy.wildcard-in-action policy.Statement[0].Resource',
  'error TS-IAM-5 aws_iam_policy.wildcard-in-action policy.Statement[0].Resource',
  'error TS-IAM-2 aws_iam_policy.wildcard-arn policy.Statement[0].Resource', // arn:aws:sqs:*:*:*
  'error TS-IAM-2 aws_iam_policy.not-resource policy.Statement[0].Resource', // NotResource
  'error TS-IAM-1 aws_iam_policy.not-action policy.Statement[0].NotAction', // NotAction
  'error TS-IAM-1 aws_iam_policy.sensitive-reads policy.Statement[1].Action', // ssm:GetParameter*
  'error TS-IAM-4 aws_iam_policy.sensitive-reads policy.Statement[0].Resource', // GetSecretValue, GetObject, Decrypt
  'error TS-IAM-4 aws_iam_policy.sensitive-reads policy.Statement[1].Resource',
  'error TS-IAM-5 aws_iam_policy.passrole policy.Statement[0].Resource', // iam:PassRole on *
  'error TS-IAM-1 aws_iam_policy.jsonencode policy.Statement[0].Action', // Fn.jsonencode
  'error TS-IAM-1 aws_iam_role_policy.merged-policy policy.Statement[2].Action', // override_policy_documents
  'error TS-IAM-2 aws_iam_role_policy.merged-policy policy.Statement[0].Resource', // source_policy_documents
  'error TS-IAM-1 aws_iam_role.inline-role inline_policy[0].policy.Statement[0].Action', // inline_policy
  'error TS-IAM-2 aws_iam_role.inline-role inline_policy[0].policy.Statement[0].Resource',
  'error TS-IAM-3 aws_iam_role.inline-role managed_policy_arns[0]', // managed_policy_arns
  'error TS-IAM-1 aws_iam_user_policy.user-policy policy.Statement[0].Action', // user policy
  'error TS-IAM-2 aws_iam_user_policy.user-policy policy.Statement[0].Resource',
  'error TS-IAM-3 aws_iam_user_policy_attachment.user-amplify policy_arn', // AdministratorAccess*
  'error TS-IAM-1 aws_iam_group_policy.group-policy policy.Statement[0].Action', // group policy
  'error TS-IAM-2 aws_iam_group_policy.group-policy policy.Statement[0].Resource',
  'error TS-IAM-4 aws_iam_group_policy.group-policy policy.Statement[0].Resource',
  'error TS-IAM-3 aws_iam_group_policy_attachment.group-lambda policy_arn', // *_FullAccess
  'error TS-IAM-3 aws_iam_role_policy_attachment.role-sqs policy_arn', // *FullAccess
  'error TS-IAM-6 aws_iam_role.anyone-role assume_role_policy.Statement[0].Principal', // AWS: *
  'error TS-IAM-6 aws_iam_role.partner-role assume_role_policy.Statement[0].Principal', // cross-account, no condition
  'error TS-LAMBDA-6 aws_lambda_permission.public-invoke principal',
  'error TS-LAMBDA-7 aws_lambda_function_url.public-url authorization_type',
  'error TS-APIGW-6 aws_apigatewayv2_route.open-route authorization_type',
  'error TS-APIGW-7 aws_api_gateway_rest_api.openapi body.paths["/orders"].get.security',
  'warn TS-TEST-THROWS aws_sqs_queue.public-queue -',
  'error TS-SQS-6 aws_sqs_queue_policy.public-queue-send policy.Statement[0].Principal',
  'error TS-SNS-1 aws_sns_topic_policy.public-topic policy.Statement[0].Principal',
  'error TS-S3-1 aws_s3_bucket_policy.public-bucket policy.Statement[0].Principal',
  'error TS-SG-2 aws_vpc_security_group_ingress_rule.low-half cidr_ipv4', // split CIDRs
  'error TS-SG-2 aws_vpc_security_group_ingress_rule.high-half cidr_ipv4',
  'error TS-SG-2 aws_security_group.dynamic-sg ingress[1].cidr_blocks', // a dynamic block
  'error TS-SG-2 aws_security_group.iterator-sg ingress[1].cidr_blocks', // TerraformIterator.dynamic()
  'error TS-SG-2 aws_security_group.variable-sg ingress[0].cidr_blocks', // a variable whose default is open
  'error TS-EC2-3 aws_instance.public-instance associate_public_ip_address',
  'error TS-ECS-5 aws_ecs_task_definition.task container_definitions[app].linuxParameters.capabilities.add',
  'error TS-ECS-6 aws_ecs_task_definition.task pid_mode',
  'error TS-ECS-6 aws_ecs_task_definition.task ipc_mode',
  'error TS-ECS-7 aws_ecs_task_definition.task container_definitions[app].logConfiguration.options.awslogs-create-group',
  'error TS-SECRET-1 aws_lambda_function.leaky environment.variables.DB_PASSWORD',
  'error TS-SECRET-1 aws_ssm_parameter.api-token value',
  'warn TS-TEST-THROWS aws_sqs_queue.legacy -',
  'error TS-SQS-2 aws_sqs_queue.sloppy policy', // a hand-recorded suppression without a reason does not count
  'warn TS-TEST-THROWS aws_sqs_queue.sloppy -',
  'info module module.vendor-queue source', // a TerraformHclModule
  'info TS-LAMBDA-1 aws_lambda_function.configurable tracing_config.mode', // a variable without a default
  'info TS-LAMBDA-4 aws_lambda_function.layered layers', // var.listValue layers: not a crash
];

describe('the reference app', () => {
  it('has zero findings, nothing unchecked and no suppressions in every stack', () => {
    const { stacks, manifest } = referenceApp();
    expect(Object.keys(stacks).sort()).toEqual(['account-us-west-2', 'dev', 'prod']);
    for (const json of Object.values(stacks)) {
      const report = evaluate(new StackView(json));
      expect(report.findings.map((f) => `${f.rule.id} ${f.resource.address} ${f.field}: ${f.detail}`)).toEqual([]);
      expect(report.notChecked).toEqual([]);
      expect(json.output.policy_suppressions).toBeUndefined();
    }
    const notes = Object.values(manifest.stacks as Record<string, { annotations: { message: string }[] }>).flatMap(
      (s) => s.annotations.map((a) => a.message),
    );
    expect(notes.filter((m) => m.includes('[TS-') || m.includes('PolicyChecks'))).toEqual([]);
  });
});
