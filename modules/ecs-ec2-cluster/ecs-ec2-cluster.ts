import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { EcsCapacityProvider } from '@cdktf/provider-aws/lib/ecs-capacity-provider';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { AwsContext } from '../core/aws-context';
import { Role, managedPolicyArn } from '../core/iam';
import { when } from '../core/expr';
import { instanceCapacity, type InstanceCapacity } from './instance-types';
import { ECS_EC2_CLUSTER_INPUTS } from './inputs';
import type { EcsEc2ClusterProps } from './props';
import { ecsUserData } from './user-data';

/** The public SSM parameter naming the recommended ECS-optimized Amazon Linux 2023 AMI (x86_64). */
export const ECS_AMI_PARAMETER = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';

/** The only managed policies the instances get: the ECS agent's, and Session Manager's. */
export const INSTANCE_MANAGED_POLICIES = [
  'service-role/AmazonEC2ContainerServiceforEC2Role',
  'AmazonSSMManagedInstanceCore',
];

/**
 * How instances are replaced: launch the new one first and keep the whole desired capacity in service
 * (100..200% of it), for an instance refresh and for any other replacement (an unhealthy instance).
 */
export const REPLACEMENT_HEALTHY_PERCENTAGE = { min: 100, max: 200 } as const;

/**
 * An ECS cluster on EC2: Container Insights, a launch template on the ECS-optimized Amazon Linux 2023
 * AMI (IMDSv2 only, encrypted gp3 root, no public IP), an auto scaling group in private subnets, and a
 * capacity provider with managed scaling and termination protection as the cluster's default.
 *
 * A new launch template version (a new recommended AMI, another user data or instance type) rolls
 * the instances: the group runs the template's latest version by number, so the plan shows the
 * change, and an instance refresh replaces the instances one at a time, each replacement launched and
 * warmed up before the old instance is drained by ECS (managed draining) and terminated.
 */
export class EcsEc2Cluster extends Construct {
  /** The cluster's name. */
  public readonly clusterName: string;
  /** The cluster's ARN. */
  public readonly clusterArn: string;
  /** The instances' EC2 type. */
  public readonly instanceType: string;
  /** What one instance offers tasks; undefined when the instance type is only known at plan time. */
  public readonly capacity?: InstanceCapacity;
  /** The capacity provider: the cluster's default strategy. */
  public readonly capacityProviderName: string;
  /** The instances' security group (no inbound rule; HTTPS out). */
  public readonly securityGroupId: string;
  /** The auto scaling group's name. */
  public readonly autoScalingGroupName: string;
  /** The instances' role (the ECS agent's and Session Manager's managed policies only). */
  public readonly instanceRoleArn: string;
  /**
   * Services on this cluster depend on this: on destroy they go first, before the capacity
   * provider is detached and the instances are terminated.
   */
  public readonly capacityProviders: EcsClusterCapacityProviders;
  /** Escape hatch: the `aws_ecs_cluster`. */
  public readonly cluster: EcsCluster;
  /** Escape hatch: the `aws_autoscaling_group`. */
  public readonly autoScalingGroup: AutoscalingGroup;
  /** Escape hatch: the `aws_launch_template`. */
  public readonly launchTemplate: LaunchTemplate;

  constructor(scope: Construct, id: string, props: EcsEc2ClusterProps) {
    super(scope, id);
    const p = ECS_EC2_CLUSTER_INPUTS.resolve(this, props);
    const { instanceType, minSize, maxSize, desiredCapacity: desired, rootVolumeGiB: rootGiB } = p;
    const insights = p.containerInsights;

    this.clusterName = p.clusterName;
    this.instanceType = instanceType;
    this.capacity = instanceCapacity(instanceType);
    const name = p.clusterName;

    this.cluster = new EcsCluster(this, 'cluster', {
      name,
      setting: [
        {
          name: 'containerInsights',
          value: when(insights, 'enabled', 'disabled'),
        },
      ],
    });
    this.clusterArn = this.cluster.arn;

    const role = new Role(this, 'instance-role', {
      name: `${name}-instance`,
      description: `ECS container instances of cluster ${name}: the ECS agent and Session Manager`,
      assumedBy: 'ec2.amazonaws.com',
    });
    const partition = AwsContext.of(this).partition;
    for (const policy of INSTANCE_MANAGED_POLICIES) {
      role.attachManagedPolicy(managedPolicyArn(policy, partition), `policy-${policy.split('/').pop()}`);
    }
    this.instanceRoleArn = role.arn;
    const profile = new IamInstanceProfile(this, 'instance-profile', { name: `${name}-instance`, role: role.name });

    const sg = new SecurityGroup(this, 'security-group', {
      name: `${name}-instances`,
      description: `ECS container instances of ${name}: no inbound from outside the VPC`,
      vpcId: p.vpcId,
      revokeRulesOnDelete: true,
    });
    new VpcSecurityGroupEgressRule(this, 'https-out', {
      securityGroupId: sg.id,
      description: 'HTTPS to the ECS, ECR, SSM, CloudWatch and X-Ray endpoints (through NAT or VPC endpoints)',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
    });
    this.securityGroupId = sg.id;

    const ami = new DataAwsSsmParameter(this, 'ami', { name: ECS_AMI_PARAMETER });
    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: `${name}-instances`,
      description: `ECS-optimized Amazon Linux 2023 instances for ${name}`,
      // The plan shows the AMI id, and a new recommended AMI as a reviewed change.
      imageId: ami.insecureValue,
      instanceType,
      iamInstanceProfile: { arn: profile.arn },
      userData: Fn.base64encode(ecsUserData(name)),
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        // 1 hop: containers in bridge mode cannot reach the instance's credentials; tasks use their own roles.
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'disabled',
      },
      networkInterfaces: [{ associatePublicIpAddress: 'false', deleteOnTermination: 'true', securityGroups: [sg.id] }],
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: rootGiB,
            volumeType: 'gp3',
            encrypted: 'true',
            kmsKeyId: p.ebsKmsKeyArn,
            deleteOnTermination: 'true',
          },
        },
      ],
      tagSpecifications: [
        { resourceType: 'instance', tags: { Name: `${name}-instance` } },
        { resourceType: 'volume', tags: { Name: `${name}-instance` } },
      ],
    });

    this.autoScalingGroup = new AutoscalingGroup(this, 'instances', {
      name: `${name}-instances`,
      vpcZoneIdentifier: p.subnetIds,
      minSize,
      maxSize,
      desiredCapacity: desired,
      // The version by number, not `$Latest`: a new template version changes the group in the plan, and
      // a change of the launch template is what starts an instance refresh.
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      healthCheckType: 'EC2',
      defaultInstanceWarmup: p.instanceWarmupSeconds,
      // Launch before terminate, in a refresh and in every other replacement: the collector daemon of a
      // new instance runs before the old instance's stops.
      instanceMaintenancePolicy: {
        minHealthyPercentage: REPLACEMENT_HEALTHY_PERCENTAGE.min,
        maxHealthyPercentage: REPLACEMENT_HEALTHY_PERCENTAGE.max,
      },
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: {
          minHealthyPercentage: REPLACEMENT_HEALTHY_PERCENTAGE.min,
          maxHealthyPercentage: REPLACEMENT_HEALTHY_PERCENTAGE.max,
          // Every instance is protected from scale in (ECS managed termination protection lifts it from
          // empty ones): without this the refresh would wait an hour on them and fail.
          scaleInProtectedInstances: 'Refresh',
          standbyInstances: 'Terminate',
          // Instances already on the latest version are left alone when a refresh starts again.
          skipMatching: true,
        },
      },
      // Managed termination protection needs it; ECS lifts it from instances it empties.
      protectFromScaleIn: true,
      // Destroy: terminate protected instances instead of waiting for them forever.
      forceDelete: true,
      tag: [
        { key: 'AmazonECSManaged', value: 'true', propagateAtLaunch: true },
        { key: 'Name', value: `${name}-instance`, propagateAtLaunch: true },
      ],
      // Managed scaling owns the desired capacity after creation.
      lifecycle: { ignoreChanges: ['desired_capacity'] },
      // The instances need their role's policies for as long as they run.
      dependsOn: role.dependables,
    });
    this.autoScalingGroupName = this.autoScalingGroup.name;

    const provider = new EcsCapacityProvider(this, 'capacity-provider', {
      name: `capacity-${name}`,
      autoScalingGroupProvider: {
        autoScalingGroupArn: this.autoScalingGroup.arn,
        managedTerminationProtection: 'ENABLED',
        managedDraining: 'ENABLED',
        managedScaling: {
          status: 'ENABLED',
          targetCapacity: 100,
          minimumScalingStepSize: 1,
          maximumScalingStepSize: 2,
        },
      },
    });
    this.capacityProviderName = provider.name;
    this.capacityProviders = new EcsClusterCapacityProviders(this, 'capacity-providers', {
      clusterName: this.cluster.name,
      capacityProviders: [provider.name],
      defaultCapacityProviderStrategy: [{ capacityProvider: provider.name, weight: 1, base: 0 }],
    });
  }
}
