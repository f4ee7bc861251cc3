import { AssetType, Aspects, Fn, Lazy, TerraformAsset, TerraformLocal, Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { AwsContext } from '../core/aws-context';
import { forEachItem, onlyIf, sibling } from '../core/each';
import { eq, hcl, isSet, known, when, type Bool } from '../core/expr';
import { Role, XRAY_WRITE_ACTIONS, inlinePolicy, managedPolicyArn, type Statement } from '../core/iam';
import { LAMBDA_VPC_ACCESS_ACTIONS } from '../core/lambda-vpc-access';
import { ValidationError, Validator, describeConstruct } from '../core/validation';
import { aboveInAMinute } from '../core/alarms';
import { claimName, type NameScope } from '../core/names';
import { lambdaHandler } from './bundle';
import { requestPackage, type FunctionPackage } from './code';
import { ImportedFunction, type ITracedFunction, type TracedFunctionAttributes } from './imported';
import {
  ENVIRONMENT_KEY_RULES,
  ENVIRONMENT_MAX_BYTES,
  LOG_ALARM,
  TRACED_FUNCTION_INPUTS,
  environmentBytes,
  resolveEntry,
} from './inputs';
import { adotLayer, partitionOf, plannedAdotLayer, type AdotLayer, type Architecture } from './layers';
import type { LogAlarm, TracedFunctionProps } from './props';

/** The namespace of the metrics that log alarms count. */
const LOG_ALARM_NAMESPACE = 'TracedFunction/Logs';

/** The Application Signals layer's policy on the role. */
const APPLICATION_SIGNALS_POLICY = 'CloudWatchLambdaApplicationSignalsExecutionRolePolicy';

/**
 * A Node.js Lambda function traced end to end: the handler bundled by esbuild at synth (the AWS
 * SDK left to the runtime, so the ADOT layer instruments it), active X-Ray tracing, the ADOT
 * layer and exec wrapper for its region and architecture, its own log group with retention, and a
 * role that may only write traces and its own logs until a grant says more.
 */
export class TracedFunction extends Construct implements ITracedFunction {
  /**
   * A function defined elsewhere, to wire to these constructs: grants add an inline policy to its role
   * (`TracedQueue` consumers and producers, `TracedRestApi` routes, `ChatAgent.grantInvoke`).
   */
  public static fromFunctionAttributes(
    scope: Construct,
    id: string,
    attributes: TracedFunctionAttributes,
  ): ITracedFunction {
    return new ImportedFunction(scope, id, attributes);
  }

  /** The function's name. */
  public readonly functionName: string;
  /** The function's ARN. */
  public readonly functionArn: string;
  /** The ARN API Gateway integrations call. */
  public readonly invokeArn: string;
  /** The execution role: grants add statements to its inline policy. */
  public readonly role: Role;
  /** The function's log group, `/aws/lambda/<functionName>`. */
  public readonly logGroupName: string;
  /** The timeout in seconds. */
  public readonly timeoutSeconds: number;
  /** The reserved concurrency, or undefined when unreserved. */
  public readonly reservedConcurrency?: number;
  /** The ADOT layer in use (known at synth), or undefined with `adot: 'none'` or when a plan picks it. */
  public readonly adotLayer?: AdotLayer;
  /** The ADOT layer's ARN: known, a Terraform expression (null without a layer) when a plan picks it, or undefined. */
  public readonly adotLayerArn?: string;
  /** Escape hatch: the underlying `aws_lambda_function`. */
  public readonly resource: LambdaFunction;

  /** Environment variables added after construction (grants), by key. */
  private readonly added: Record<string, string> = {};
  /** Every key known at synth, with its value: what `addEnvironment` must not overwrite. */
  private readonly knownEnvironment: Record<string, string>;
  private readonly code: () => FunctionPackage;

  /** Base64 SHA-256 of the deployment zip (`source_code_hash`). Reading it builds the zip now. */
  public get codeSha256(): string {
    return this.code().sha256;
  }

  /** Path of the deployment zip (in the build cache, or `zipPath`). Reading it builds the zip now. */
  public get bundlePath(): string {
    return this.code().file;
  }

  constructor(scope: Construct, id: string, props: TracedFunctionProps) {
    super(scope, id);
    // Validation first, before any resource exists; the defaults applied.
    const p = TRACED_FUNCTION_INPUTS.resolve(this, props);
    const architecture = p.architecture as Architecture;
    const regionKnown = known(p.region);
    const partition = regionKnown ? partitionOf(p.region) : AwsContext.of(this).partition;

    // Names two constructs of the app would both create: a synth error naming both, not a failed apply.
    const claim = (resource: string, name: string, within?: NameScope) =>
      claimName(this, { kind: 'TracedFunction', field: 'functionName', resource, name, within });
    claim('a Lambda function', p.functionName);
    claim('a log group', `/aws/lambda/${p.functionName}`);
    claim('an IAM role', `${p.functionName}-role`, 'account');
    claim('a CloudWatch alarm', `${p.functionName}-errors`);
    claim('a CloudWatch alarm', `${p.functionName}-throttles`);
    if (p.vpc) claim('a security group', `${p.functionName}-lambda`, { vpc: p.vpc.vpcId });
    for (const alarm of known(p.logAlarms) ? (p.logAlarms ?? []) : [])
      claim('a CloudWatch alarm', `${p.functionName}-${alarm.name}`);

    this.functionName = p.functionName;
    this.timeoutSeconds = p.timeoutSeconds;
    const reserved = p.reservedConcurrency;
    this.reservedConcurrency = !known(reserved)
      ? Token.asNumber(hcl`${reserved} == -1 ? null : ${reserved}`)
      : reserved === 'unreserved'
        ? undefined
        : reserved;

    // The ADOT layer: from the table at synth, or the same table as Terraform expressions at plan.
    let execWrapper: unknown;
    let signalsPolicy: Bool = false;
    let precondition: { condition: string; errorMessage: string } | undefined;
    if (known(p.region, p.architecture, p.adot)) {
      if (p.adot !== 'none') {
        const found = adotLayer(p.region, architecture, p.adot);
        if (typeof found === 'string') throw new Error(found); // the inputs' check refused it already
        this.adotLayer = found;
        this.adotLayerArn = found.arn;
        execWrapper = { AWS_LAMBDA_EXEC_WRAPPER: found.execWrapper };
        signalsPolicy = found.managedPolicies.includes(APPLICATION_SIGNALS_POLICY);
      }
    } else {
      const planned = plannedAdotLayer(p.region, p.architecture, p.adot, partition);
      if (planned.arn !== null && !known(planned.arn)) {
        const layer = new TerraformLocal(this, 'adot-layer', planned.arn);
        this.adotLayerArn = layer.asString;
        precondition = {
          condition: Token.asString(hcl`${p.adot} == "none" || ${layer.asString} != null`),
          errorMessage:
            'No ADOT layer of the chosen kind is published in this region: pick another adot mode or region (the module never makes an ARN up).',
        };
      } else if (planned.arn !== null) this.adotLayerArn = planned.arn;
      const wrapper = planned.execWrapper;
      execWrapper =
        wrapper === null
          ? {}
          : known(wrapper)
            ? { AWS_LAMBDA_EXEC_WRAPPER: wrapper }
            : hcl`${wrapper} == null ? {} : { AWS_LAMBDA_EXEC_WRAPPER = ${wrapper} }`;
      signalsPolicy = planned.applicationSignals;
    }

    // The code: the handler bundled at synth (with every other handler of the app), or a zip given.
    let filename: string;
    let sourceCodeHash: string;
    if (p.entry !== undefined) {
      const target = p.runtime === 'nodejs24.x' ? 'node24' : 'node22';
      const code = requestPackage(this, { entry: resolveEntry(p.entry), handlerExport: p.handlerExport, target });
      this.code = code;
      let asset: TerraformAsset | undefined;
      const codeAsset = () =>
        (asset ??= new TerraformAsset(this, 'code', {
          path: code().file,
          type: AssetType.FILE,
          assetHash: code().hex.slice(0, 32),
        }));
      Aspects.of(this).add({ visit: (node) => void (node === this && codeAsset()) });
      filename = Lazy.stringValue({ produce: () => codeAsset().path });
      sourceCodeHash = Lazy.stringValue({ produce: () => code().sha256 });
    } else {
      const zip = p.zipPath as string;
      filename = zip;
      sourceCodeHash = Fn.filebase64sha256(zip);
      this.code = () => ({ file: zip, sha256: sourceCodeHash, hex: '' });
    }

    const logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${p.functionName}`,
      retentionInDays: p.logRetentionDays,
    });
    this.logGroupName = logGroup.name;

    this.role = new Role(this, 'role', {
      name: `${p.functionName}-role`,
      description: `Execution role of the ${p.functionName} Lambda function`,
      assumedBy: 'lambda.amazonaws.com',
    });
    this.role.addToPolicy({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${logGroup.arn}:log-stream:*`],
    });
    this.role.addToPolicy({ sid: 'WriteTraces', actions: XRAY_WRITE_ACTIONS, resources: ['*'] });
    const signalsMeta = onlyIf(signalsPolicy);
    if (signalsMeta)
      this.role.attachManagedPolicy(
        managedPolicyArn(APPLICATION_SIGNALS_POLICY, partition),
        `policy-${APPLICATION_SIGNALS_POLICY}`,
        signalsMeta,
      );

    const base = { NODE_OPTIONS: '--enable-source-maps' };
    this.knownEnvironment = {
      ...base,
      ...(this.adotLayer ? { AWS_LAMBDA_EXEC_WRAPPER: this.adotLayer.execWrapper } : {}),
      ...(known(p.environment) ? p.environment : {}),
    };
    const environmentParts = [base, execWrapper ?? {}, p.environment];
    this.checkEnvironmentSize();

    // In a VPC: a security group with HTTPS out only, and the ENI permissions Lambda needs.
    const vpcMeta = onlyIf(isSet(p.vpc));
    let vpcConfig: LambdaFunction['vpcConfigInput'];
    let vpcDynamic: Record<string, unknown> | undefined;
    const vpcDependables: ITerraformDependable[] = [];
    if (vpcMeta && p.vpc) {
      const sg = new SecurityGroup(this, 'security-group', {
        ...vpcMeta,
        name: `${p.functionName}-lambda`,
        description: `Lambda function ${p.functionName}: no inbound, HTTPS out`,
        vpcId: p.vpc.vpcId,
        revokeRulesOnDelete: true,
      });
      new VpcSecurityGroupEgressRule(this, 'https-out', {
        ...vpcMeta,
        securityGroupId: sibling(sg, 'id'),
        description: 'HTTPS to AWS service endpoints (through the NAT gateway or VPC endpoints)',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: '0.0.0.0/0',
      });
      const statements: Statement[] = [
        { sid: 'ManageVpcNetworkInterfaces', actions: [...LAMBDA_VPC_ACCESS_ACTIONS], resources: ['*'] },
      ];
      vpcDependables.push(
        inlinePolicy(
          new Construct(this, 'vpc-access'),
          this.role.resource.id,
          `${p.functionName}-vpc-access`,
          statements,
          vpcMeta,
        ),
      );
      if (vpcMeta.count === undefined) vpcConfig = { subnetIds: p.vpc.subnetIds, securityGroupIds: [sg.id] };
      // At plan: one vpc_config block while the VPC is given, none without.
      else
        vpcDynamic = {
          for_each: Token.asList(hcl`${isSet(p.vpc)} ? [1] : []`),
          content: { subnet_ids: p.vpc.subnetIds, security_group_ids: [`\${${sg.fqn}[0].id}`] },
        };
    }

    this.resource = new LambdaFunction(this, 'function', {
      functionName: p.functionName,
      description: p.description,
      role: this.role.arn,
      filename,
      sourceCodeHash,
      handler: lambdaHandler(p.handlerExport),
      runtime: p.runtime,
      architectures: [p.architecture],
      memorySize: p.memorySize,
      timeout: p.timeoutSeconds,
      // -1: unreserved, as the Lambda API and the provider (whose default it is) mean it.
      reservedConcurrentExecutions: reserved === 'unreserved' ? -1 : (reserved as number),
      tracingConfig: { mode: 'Active' },
      layers: this.layers(p.adot),
      environment: {
        variables: Lazy.anyValue({
          produce: () => mergeMaps([...environmentParts, { ...this.added }]),
        }) as unknown as Record<string, string>,
      },
      vpcConfig,
      lifecycle: precondition ? { precondition: [precondition] } : undefined,
      // The log group must exist (with its retention) before Lambda creates one without.
      dependsOn: [logGroup, ...this.role.dependables, ...vpcDependables],
    });
    if (vpcDynamic) this.resource.addOverride('dynamic.vpc_config', vpcDynamic);
    this.functionArn = this.resource.arn;
    this.invokeArn = this.resource.invokeArn;

    // Alarms that reach someone (alarmActions): invocations that failed, and ones Lambda refused.
    const metricAlarm = (id: string, what: string, metricName: string, description: string) =>
      new CloudwatchMetricAlarm(this, id, {
        alarmName: `${p.functionName}-${what}`,
        alarmDescription: description,
        namespace: 'AWS/Lambda',
        metricName,
        dimensions: { FunctionName: this.resource.functionName },
        ...aboveInAMinute('Sum', 0, p.alarmActions),
      });
    metricAlarm(
      'errors-alarm',
      'errors',
      'Errors',
      `${p.functionName} failed invocations (Errors > 0 in a minute): read its log group ${this.logGroupName} and the traces.`,
    );
    metricAlarm(
      'throttles-alarm',
      'throttles',
      'Throttles',
      `${p.functionName} was throttled (Throttles > 0 in a minute): its reserved concurrency or the account's pool is exhausted.`,
    );
    if (p.logAlarms)
      forEachItem(
        p.logAlarms,
        {
          shape: LOG_ALARM,
          key: (a: LogAlarm) => a.name,
          id: (a: LogAlarm) => a.name,
        },
        (each) => {
          const alarm = each.item as LogAlarm;
          const metricName = `${p.functionName}-${alarm.name}`;
          const filter = new CloudwatchLogMetricFilter(this, each.id('log-filter'), {
            ...each.meta,
            name: metricName,
            logGroupName: logGroup.name,
            pattern: alarm.pattern,
            metricTransformation: { namespace: LOG_ALARM_NAMESPACE, name: metricName, value: '1', defaultValue: '0' },
          });
          new CloudwatchMetricAlarm(this, each.id('log-alarm'), {
            ...each.meta,
            alarmName: metricName,
            alarmDescription: alarm.description,
            namespace: LOG_ALARM_NAMESPACE,
            metricName,
            dependsOn: [filter],
            ...aboveInAMinute('Sum', 0, p.alarmActions),
          });
        },
      );
  }

  /** Lambda's 4 KB on keys and values together, over every variable known at synth. */
  private checkEnvironmentSize(): void {
    const bytes = environmentBytes({ ...this.knownEnvironment, ...this.added });
    if (bytes > ENVIRONMENT_MAX_BYTES)
      throw new ValidationError(describeConstruct('TracedFunction', this), [
        `environment must be at most ${ENVIRONMENT_MAX_BYTES} bytes of keys and values in all (Lambda's 4 KB, with what the construct and grants set), got ${bytes} bytes`,
      ]);
  }

  /** The layers argument: none, the known layer, or at plan none with `none` and the looked-up one else. */
  private layers(adot: string): string[] | undefined {
    const arn = this.adotLayerArn;
    if (arn === undefined) return undefined;
    if (known(arn)) return [arn];
    return when(eq(adot, 'none'), undefined, Token.asList(hcl`${arn} == null ? [] : [${arn}]`));
  }

  /** Adds an environment variable (grants use this to pass a queue URL or an agent id). */
  public addEnvironment(key: string, value: string): void {
    const v = new Validator('TracedFunction', this);
    for (const rule of ENVIRONMENT_KEY_RULES) if (rule.test(key) === false) v.fail('environment key', rule.rule, key);
    const current = this.added[key] ?? this.knownEnvironment[key];
    v.check(current === undefined || current === value, `environment key ${key} is already set to a different value`);
    v.throwIfInvalid();
    this.added[key] = value;
    this.checkEnvironmentSize();
  }

  /** Adds a statement to the function role's policy: every grant ends here. */
  public addToRolePolicy(statement: Statement): void {
    this.role.addToPolicy(statement);
  }

  /** What a resource that relies on the function's permissions depends on: its role and policies. */
  public get permissionsDependables(): ITerraformDependable[] {
    return this.role.dependables;
  }
}

/** Maps merged left to right: one object when all are known, `merge(...)` when one is a plan's. */
function mergeMaps(parts: readonly unknown[]): unknown {
  const given = parts.filter((m) => !(known(m) && Object.keys(m as object).length === 0));
  if (given.every((m) => known(m))) return Object.assign({}, ...given);
  return hcl`merge(${given}...)`;
}
