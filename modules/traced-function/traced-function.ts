import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssetType, Aspects, Lazy, TerraformAsset, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { AwsContext } from '../core/aws-context';
import { Role, XRAY_WRITE_ACTIONS, managedPolicyArn, type Statement } from '../core/iam';
import { projectRoot } from '../core/project';
import { Validator, checkLogRetention, isUnresolved } from '../core/validation';
import { lambdaHandler } from './bundle';
import { requestPackage, type FunctionPackage } from './code';
import { ADOT_MODES, adotLayer, partitionOf, type AdotLayer } from './layers';
import { ImportedFunction, type ITracedFunction, type TracedFunctionAttributes } from './imported';
import { FUNCTION_DEFAULTS, NODE_RUNTIMES, type TracedFunctionProps } from './props';

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

  public readonly functionName: string;
  public readonly functionArn: string;
  /** The ARN API Gateway integrations call. */
  public readonly invokeArn: string;
  public readonly role: Role;
  public readonly logGroupName: string;
  public readonly timeoutSeconds: number;
  /** The reserved concurrency, or undefined when unreserved. */
  public readonly reservedConcurrency?: number;
  /** The ADOT layer in use, or undefined with `adot: false`. */
  public readonly adotLayer?: AdotLayer;
  /** Escape hatch: the underlying `aws_lambda_function`. */
  public readonly resource: LambdaFunction;

  private readonly environment: Record<string, string>;
  private readonly code: () => FunctionPackage;

  /** Base64 SHA-256 of the deployment zip (`source_code_hash`). Reading it builds the zip now. */
  public get codeSha256(): string {
    return this.code().sha256;
  }

  /** Path of the deployment zip in the build cache (what the asset copies). Reading it builds the zip now. */
  public get bundlePath(): string {
    return this.code().file;
  }

  constructor(scope: Construct, id: string, props: TracedFunctionProps) {
    super(scope, id);
    const runtime = props.runtime ?? FUNCTION_DEFAULTS.runtime;
    const architecture = props.architecture ?? FUNCTION_DEFAULTS.architecture;
    const memorySize = props.memorySize ?? FUNCTION_DEFAULTS.memorySize;
    const timeout = props.timeoutSeconds ?? FUNCTION_DEFAULTS.timeoutSeconds;
    const reserved = props.reservedConcurrency ?? FUNCTION_DEFAULTS.reservedConcurrency;
    const adot = props.adot ?? FUNCTION_DEFAULTS.adot;
    const retention = props.logRetentionDays ?? FUNCTION_DEFAULTS.logRetentionDays;
    const handlerExport = props.handlerExport ?? FUNCTION_DEFAULTS.handlerExport;
    const root = projectRoot();
    const entry = path.resolve(root, props.entry);

    // Validation first, before any resource exists.
    const v = new Validator('TracedFunction', this);
    v.matches(
      'functionName',
      props.functionName,
      /^[A-Za-z0-9_-]{1,64}$/,
      '1..64 letters, digits, hyphens and underscores',
    );
    if (!isUnresolved(props.functionName) && props.functionName.length > 59) {
      // The role is named <functionName>-role and IAM role names stop at 64 characters.
      v.fail(
        'functionName',
        'at most 59 characters (the role is named <functionName>-role, 64 at most)',
        props.functionName,
      );
    }
    v.check(
      fs.existsSync(entry) && fs.statSync(entry).isFile(),
      path.isAbsolute(props.entry)
        ? `entry must be an existing file, got ${JSON.stringify(props.entry)}`
        : `entry must be an existing file, got ${JSON.stringify(props.entry)} (resolved against the project root ${root} to ${entry})`,
    );
    v.matches('handlerExport', handlerExport, /^[A-Za-z_$][A-Za-z0-9_$]*$/, 'a JavaScript identifier');
    v.oneOf('runtime', runtime, NODE_RUNTIMES);
    v.oneOf('architecture', architecture, ['x86_64', 'arm64']);
    v.intRange('memorySize', memorySize, 128, 10240);
    v.intRange('timeoutSeconds', timeout, 1, 900);
    if (reserved !== 'unreserved') v.intRange('reservedConcurrency', reserved, 1, 100000);
    v.oneOf('adot', adot, ADOT_MODES);
    checkLogRetention(v, 'logRetentionDays', retention);
    for (const key of Object.keys(props.environment ?? {})) {
      v.matches(
        `environment key`,
        key,
        /^[A-Za-z][A-Za-z0-9_]*$/,
        'letters, digits and underscores, starting with a letter',
      );
    }
    if (props.vpc) v.nonEmpty('vpc.subnetIds', props.vpc.subnetIds);
    let layer: AdotLayer | undefined;
    if (adot !== false && ADOT_MODES.includes(adot)) {
      if (isUnresolved(props.region)) {
        v.fail('region', 'known at synth time (it picks the ADOT layer ARN)', props.region);
      } else {
        const found = adotLayer(props.region, architecture, adot);
        if (typeof found === 'string') v.fail('region', `a region with an ADOT layer: ${found}`, props.region);
        else layer = found;
      }
    }
    v.throwIfInvalid();

    this.functionName = props.functionName;
    this.timeoutSeconds = timeout;
    this.reservedConcurrency = reserved === 'unreserved' ? undefined : reserved;
    this.adotLayer = layer;
    const target = runtime === 'nodejs24.x' ? 'node24' : 'node22';
    // The zip is built at synth, with every other handler of the app (./code.ts); its asset then.
    this.code = requestPackage(this, { entry, handlerExport, target });
    let asset: TerraformAsset | undefined;
    const codeAsset = () =>
      (asset ??= new TerraformAsset(this, 'code', {
        path: this.code().file,
        type: AssetType.FILE,
        assetHash: this.code().hex.slice(0, 32),
      }));
    Aspects.of(this).add({ visit: (node) => void (node === this && codeAsset()) });

    const logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: retention,
    });
    this.logGroupName = logGroup.name;

    const aws = AwsContext.of(this);
    this.role = new Role(this, 'role', {
      name: `${props.functionName}-role`,
      description: `Execution role of the ${props.functionName} Lambda function`,
      assumedBy: 'lambda.amazonaws.com',
    });
    this.role.addToPolicy({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`${logGroup.arn}:log-stream:*`],
    });
    this.role.addToPolicy({ sid: 'WriteTraces', actions: XRAY_WRITE_ACTIONS, resources: ['*'] });
    for (const policy of layer?.managedPolicies ?? []) {
      this.role.attachManagedPolicy(managedPolicyArn(policy, partitionOf(props.region)), `policy-${policy}`);
    }

    this.environment = {
      NODE_OPTIONS: '--enable-source-maps',
      ...(layer ? { AWS_LAMBDA_EXEC_WRAPPER: layer.execWrapper } : {}),
      ...(props.environment ?? {}),
    };

    let vpcConfig: LambdaFunction['vpcConfigInput'];
    if (props.vpc) {
      const sg = new SecurityGroup(this, 'security-group', {
        name: `${props.functionName}-lambda`,
        description: `Lambda function ${props.functionName}: no inbound, HTTPS out`,
        vpcId: props.vpc.vpcId,
        revokeRulesOnDelete: true,
      });
      new VpcSecurityGroupEgressRule(this, 'https-out', {
        securityGroupId: sg.id,
        description: 'HTTPS to AWS service endpoints (through the NAT gateway or VPC endpoints)',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: '0.0.0.0/0',
      });
      vpcConfig = { subnetIds: props.vpc.subnetIds, securityGroupIds: [sg.id] };
      this.role.addToPolicy({
        sid: 'ManageVpcNetworkInterfaces',
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: [
          aws.arn('ec2', 'network-interface/*'),
          aws.arn('ec2', `security-group/${sg.id}`),
          ...props.vpc.subnetIds.map((s) => aws.arn('ec2', `subnet/${s}`)),
        ],
      });
      // Describe calls take no resource ARN.
      this.role.addToPolicy({
        sid: 'DescribeVpcNetworkInterfaces',
        actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
        resources: ['*'],
      });
    }

    this.resource = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      filename: Lazy.stringValue({ produce: () => codeAsset().path }),
      sourceCodeHash: Lazy.stringValue({ produce: () => this.code().sha256 }),
      handler: lambdaHandler(handlerExport),
      runtime,
      architectures: [architecture],
      memorySize,
      timeout,
      reservedConcurrentExecutions: reserved === 'unreserved' ? undefined : reserved,
      tracingConfig: { mode: 'Active' },
      layers: layer ? [layer.arn] : undefined,
      environment: {
        variables: Lazy.anyValue({ produce: () => ({ ...this.environment }) }) as unknown as Record<string, string>,
      },
      vpcConfig,
      // The log group must exist (with its retention) before Lambda creates one without.
      dependsOn: [logGroup, ...this.role.dependables],
    });
    this.functionArn = this.resource.arn;
    this.invokeArn = this.resource.invokeArn;
  }

  /** Adds an environment variable (grants use this to pass a queue URL or an agent id). */
  public addEnvironment(key: string, value: string): void {
    const v = new Validator('TracedFunction', this);
    v.matches(
      'environment key',
      key,
      /^[A-Za-z][A-Za-z0-9_]*$/,
      'letters, digits and underscores, starting with a letter',
    );
    v.check(
      !(key in this.environment) || this.environment[key] === value,
      `environment key ${key} is already set to a different value`,
    );
    v.throwIfInvalid();
    this.environment[key] = value;
  }

  /** Adds a statement to the function role's policy: every grant ends here. */
  public addToRolePolicy(statement: Statement): void {
    this.role.addToPolicy(statement);
  }

  public get permissionsDependables(): ITerraformDependable[] {
    return this.role.dependables;
  }
}
