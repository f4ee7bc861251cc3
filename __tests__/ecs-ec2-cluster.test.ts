import { EcsEc2Cluster, instanceCapacity, type EcsEc2ClusterProps } from '../modules';
import { taskFitProblem } from '../modules/ecs-ec2-cluster/instance-types';
import { ecsUserData } from '../modules/ecs-ec2-cluster/user-data';
import { errorOf, resources, synth } from './helpers';

const base: EcsEc2ClusterProps = { clusterName: 'obs', vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'] };

describe('instance capacity', () => {
  it('registers 1024 CPU units per vCPU and memory less overhead and the reserve', () => {
    expect(instanceCapacity('t2.medium')).toEqual({
      vcpus: 2,
      memoryMiB: 4096,
      registrableCpu: 2048,
      registrableMemoryMiB: 3676,
    });
    expect(instanceCapacity('c6i.large')?.registrableMemoryMiB).toBe(3676);
    expect(instanceCapacity('m5.large')?.registrableMemoryMiB).toBe(7608);
    expect(instanceCapacity('x1.huge')).toBeUndefined();
  });

  it("fits the tutorial's 1 vCPU / 2 GB collector on a t2.medium, not on a t3.small", () => {
    expect(taskFitProblem('t2.medium', 1024, 2048)).toBeNull();
    expect(taskFitProblem('t3.small', 1024, 2048)).toBe(
      'memory 2048 MiB exceeds the about 1710 MiB a t3.small registers',
    );
    expect(taskFitProblem('t2.micro', 2048, 512)).toBe('cpu 2048 units exceeds the 1024 a t2.micro registers');
  });
});

describe('ecsUserData', () => {
  it('joins the cluster and reserves memory for the agent', () => {
    expect(ecsUserData('obs')).toContain('ECS_CLUSTER=obs\nECS_RESERVED_MEMORY=256\n');
  });
});

describe('EcsEc2Cluster', () => {
  const s = synth((stack) => new EcsEc2Cluster(stack, 'ecs', base));

  it('has Container Insights', () => {
    expect(resources(s, 'aws_ecs_cluster').ecs_cluster).toMatchObject({
      name: 'obs',
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
  });

  it('launches the ECS-optimized AL2023 AMI with IMDSv2, an encrypted gp3 root and no public IP', () => {
    expect(s.data.aws_ssm_parameter.ecs_ami).toMatchObject({
      name: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
    });
    const lt = resources(s, 'aws_launch_template')['ecs_launch-template'];
    expect(lt).toMatchObject({
      image_id: '${data.aws_ssm_parameter.ecs_ami.insecure_value}',
      instance_type: 't2.medium',
      metadata_options: { http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 1 },
      network_interfaces: [
        { associate_public_ip_address: 'false', security_groups: ['${aws_security_group.ecs_security-group.id}'] },
      ],
      block_device_mappings: [
        { device_name: '/dev/xvda', ebs: { volume_size: 30, volume_type: 'gp3', encrypted: 'true' } },
      ],
    });
    expect(lt.user_data).toContain('ECS_CLUSTER=obs');
  });

  it('gives instances only the ECS agent and Session Manager policies', () => {
    const attached = Object.values(resources(s, 'aws_iam_role_policy_attachment')).map((a) => a.policy_arn);
    expect(attached).toEqual([
      'arn:${data.aws_partition.aws-context_partition.partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role',
      'arn:${data.aws_partition.aws-context_partition.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore',
    ]);
    expect(resources(s, 'aws_iam_role_policy')).toEqual({});
  });

  it('allows no inbound traffic, and HTTPS out with a description', () => {
    expect(resources(s, 'aws_vpc_security_group_ingress_rule')).toEqual({});
    expect(resources(s, 'aws_vpc_security_group_egress_rule')['ecs_https-out']).toMatchObject({
      from_port: 443,
      to_port: 443,
      description: expect.stringContaining('HTTPS'),
    });
  });

  it('scales in the private subnets, protected from scale-in and tagged for ECS', () => {
    expect(resources(s, 'aws_autoscaling_group').ecs_instances).toMatchObject({
      vpc_zone_identifier: ['subnet-a', 'subnet-b'],
      min_size: 1,
      max_size: 2,
      desired_capacity: 1,
      protect_from_scale_in: true,
      force_delete: true,
      lifecycle: { ignore_changes: ['desired_capacity'] },
      tag: expect.arrayContaining([{ key: 'AmazonECSManaged', value: 'true', propagate_at_launch: true }]),
    });
    // The instances keep their role's policies until they are gone.
    expect(resources(s, 'aws_autoscaling_group').ecs_instances.depends_on).toEqual([
      'aws_iam_role.ecs_instance-role',
      'aws_iam_role_policy_attachment.ecs_instance-role_policy-AmazonEC2ContainerServiceforEC2Role',
      'aws_iam_role_policy_attachment.ecs_instance-role_policy-AmazonSSMManagedInstanceCore',
    ]);
  });

  it('rolls the instances onto every new launch template version, launching each replacement first', () => {
    const asg = resources(s, 'aws_autoscaling_group').ecs_instances;
    // The version by number: a new AMI or user data is a new version, a change of the group in the plan,
    // and a change of the launch template is what starts an instance refresh.
    expect(asg.launch_template).toEqual({
      id: '${aws_launch_template.ecs_launch-template.id}',
      version: '${aws_launch_template.ecs_launch-template.latest_version}',
    });
    expect(asg.instance_refresh).toEqual({
      strategy: 'Rolling',
      preferences: {
        min_healthy_percentage: 100,
        max_healthy_percentage: 200,
        scale_in_protected_instances: 'Refresh',
        standby_instances: 'Terminate',
        skip_matching: true,
      },
    });
    expect(asg.instance_maintenance_policy).toEqual({ min_healthy_percentage: 100, max_healthy_percentage: 200 });
    expect(asg.default_instance_warmup).toBe(180);
    // ECS drains an instance before the group terminates it (its lifecycle hook): the daemon moves over.
    expect(
      resources(s, 'aws_ecs_capacity_provider')['ecs_capacity-provider'].auto_scaling_group_provider,
    ).toMatchObject({ managed_draining: 'ENABLED', managed_termination_protection: 'ENABLED' });
  });

  it('uses a managed capacity provider as the default strategy', () => {
    expect(resources(s, 'aws_ecs_capacity_provider')['ecs_capacity-provider']).toMatchObject({
      name: 'capacity-obs',
      auto_scaling_group_provider: {
        auto_scaling_group_arn: '${aws_autoscaling_group.ecs_instances.arn}',
        managed_termination_protection: 'ENABLED',
        managed_scaling: { status: 'ENABLED', target_capacity: 100 },
      },
    });
    expect(resources(s, 'aws_ecs_cluster_capacity_providers')['ecs_capacity-providers']).toMatchObject({
      cluster_name: '${aws_ecs_cluster.ecs_cluster.name}',
      capacity_providers: ['${aws_ecs_capacity_provider.ecs_capacity-provider.name}'],
      default_capacity_provider_strategy: [
        { capacity_provider: '${aws_ecs_capacity_provider.ecs_capacity-provider.name}', weight: 1, base: 0 },
      ],
    });
  });
});

describe('EcsEc2Cluster validation', () => {
  it.each<[Partial<EcsEc2ClusterProps>, string]>([
    [{ subnetIds: [] }, 'subnetIds must be a non-empty list, got []'],
    [
      { instanceType: 'x1.huge' },
      'instanceType must be a type whose capacity the cluster knows (sizes of t2, t3, t3a, m5, m6i, c5, c6i), got "x1.huge"',
    ],
    [{ minSize: 2, desiredCapacity: 1 }, 'desiredCapacity must be within minSize..maxSize (2..2), got 1'],
    [{ desiredCapacity: 3 }, 'desiredCapacity must be within minSize..maxSize (1..2), got 3'],
    [{ minSize: -1 }, 'minSize must be a whole number in 0..1000, got -1'],
    [{ rootVolumeGiB: 20 }, 'rootVolumeGiB must be a whole number in 30..16384, got 20'],
    [
      { clusterName: 'x'.repeat(56) },
      `clusterName must be 1..55 letters, digits, hyphens and underscores, got "${'x'.repeat(56)}"`,
    ],
  ])('%j', (props, message) => {
    expect(errorOf((stack) => new EcsEc2Cluster(stack, 'ecs', { ...base, ...props })).split('\n')[0]).toBe(
      `EcsEc2Cluster "test/ecs": ${message}`,
    );
  });
});
