import { Network, type NetworkProps } from '../modules';
import { resolve } from 'cdktf/lib/_tokens';
import { errorOf, resources, synth } from './helpers';

const build = (props?: NetworkProps) => synth((stack) => new Network(stack, 'network', props));

describe('Network defaults', () => {
  const s = build();

  it('creates a VPC with DNS support and the default CIDR', () => {
    expect(resources(s, 'aws_vpc').network_vpc).toMatchObject({
      cidr_block: '10.0.0.0/16',
      enable_dns_support: true,
      enable_dns_hostnames: true,
      tags: { Name: 'test-network-vpc' },
    });
  });

  it('refuses at plan time a region with fewer zones than azCount', () => {
    const vpc = resources(s, 'aws_vpc').network_vpc as { lifecycle: { precondition: { condition: string }[] } };
    expect(vpc.lifecycle.precondition[0].condition).toBe(
      '${length(data.aws_availability_zones.network_zones.names) >= 2}',
    );
  });

  it('spans two AZs from the available, non-opt-in zones', () => {
    expect(s.data.aws_availability_zones.network_zones).toMatchObject({
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    });
    const subnets = resources(s, 'aws_subnet');
    expect(Object.keys(subnets).sort()).toEqual([
      'network_private-0',
      'network_private-1',
      'network_public-0',
      'network_public-1',
    ]);
    expect(subnets['network_public-0']).toMatchObject({
      cidr_block: '10.0.0.0/20',
      availability_zone: '${element(data.aws_availability_zones.network_zones.names, 0)}',
      map_public_ip_on_launch: false,
    });
    expect(subnets['network_private-1']).toMatchObject({
      cidr_block: '10.0.144.0/20',
      availability_zone: '${element(data.aws_availability_zones.network_zones.names, 1)}',
      map_public_ip_on_launch: false,
    });
  });

  it('has one NAT gateway with an EIP, used by every private route table', () => {
    expect(Object.keys(resources(s, 'aws_nat_gateway'))).toEqual(['network_nat-0']);
    expect(resources(s, 'aws_eip')['network_nat-0-ip']).toMatchObject({ domain: 'vpc' });
    const routes = resources(s, 'aws_route');
    expect(routes['network_private-0-default-route'].nat_gateway_id).toBe('${aws_nat_gateway.network_nat-0.id}');
    expect(routes['network_private-1-default-route'].nat_gateway_id).toBe('${aws_nat_gateway.network_nat-0.id}');
    expect(routes['network_public-default-route']).toMatchObject({
      destination_cidr_block: '0.0.0.0/0',
      gateway_id: '${aws_internet_gateway.network_internet-gateway.id}',
    });
  });

  it('associates every subnet with a route table', () => {
    const assoc = Object.values(resources(s, 'aws_route_table_association')).map((a) => a.subnet_id);
    expect(assoc.sort()).toEqual([
      '${aws_subnet.network_private-0.id}',
      '${aws_subnet.network_private-1.id}',
      '${aws_subnet.network_public-0.id}',
      '${aws_subnet.network_public-1.id}',
    ]);
  });

  it('adopts the default security group with no rules', () => {
    const sg = resources(s, 'aws_default_security_group')['network_default-security-group'];
    expect(sg.vpc_id).toBe('${aws_vpc.network_vpc.id}');
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });

  it('logs ALL traffic to a log group with 30-day retention', () => {
    expect(resources(s, 'aws_cloudwatch_log_group')['network_flow-logs']).toMatchObject({
      name: '/aws/vpc-flow-logs/test-network',
      retention_in_days: 30,
    });
    expect(resources(s, 'aws_flow_log')['network_flow-log']).toMatchObject({
      traffic_type: 'ALL',
      log_destination_type: 'cloud-watch-logs',
      log_destination: '${aws_cloudwatch_log_group.network_flow-logs.arn}',
      iam_role_arn: '${aws_iam_role.network_flow-logs-role.arn}',
      vpc_id: '${aws_vpc.network_vpc.id}',
    });
  });

  it('scopes the flow log role to its own log group and to VPC Flow Logs of this account', () => {
    const policy = s.data.aws_iam_policy_document['network_flow-logs-role_permissions'] as {
      statement: { actions: string[]; resources: string[] }[];
    };
    expect(policy.statement[0].resources).toEqual([
      '${aws_cloudwatch_log_group.network_flow-logs.arn}',
      '${aws_cloudwatch_log_group.network_flow-logs.arn}:log-stream:*',
    ]);
    for (const st of policy.statement) expect(st.resources).not.toContain('*');
    const trust = s.data.aws_iam_policy_document['network_flow-logs-role_trust'] as {
      statement: { principals: unknown; condition: { variable: string }[] }[];
    };
    expect(trust.statement[0].principals).toEqual([{ type: 'Service', identifiers: ['vpc-flow-logs.amazonaws.com'] }]);
    expect(trust.statement[0].condition.map((c) => c.variable)).toEqual(['aws:SourceAccount', 'aws:SourceArn']);
  });
});

describe('Network options', () => {
  it("'per-az' gives each private subnet its own NAT gateway", () => {
    const s = build({ natGateways: 'per-az', azCount: 3 });
    expect(Object.keys(resources(s, 'aws_nat_gateway')).sort()).toEqual([
      'network_nat-0',
      'network_nat-1',
      'network_nat-2',
    ]);
    const routes = resources(s, 'aws_route');
    expect(routes['network_private-2-default-route'].nat_gateway_id).toBe('${aws_nat_gateway.network_nat-2.id}');
    expect(resources(s, 'aws_nat_gateway')['network_nat-2'].subnet_id).toBe('${aws_subnet.network_public-2.id}');
  });

  it("'none' leaves private subnets without an internet route", () => {
    const s = build({ natGateways: 'none' });
    expect(resources(s, 'aws_nat_gateway')).toEqual({});
    expect(resources(s, 'aws_eip')).toEqual({});
    expect(Object.keys(resources(s, 'aws_route'))).toEqual(['network_public-default-route']);
  });

  it('takes a name, a CIDR, a retention and a KMS key', () => {
    const s = build({
      name: 'core',
      cidrBlock: '172.20.0.0/20',
      azCount: 1,
      flowLogRetentionDays: 365,
      flowLogKmsKeyArn: 'arn:aws:kms:us-west-2:111122223333:key/abc',
    });
    expect(resources(s, 'aws_subnet')['network_private-0'].cidr_block).toBe('172.20.8.0/24');
    expect(resources(s, 'aws_cloudwatch_log_group')['network_flow-logs']).toMatchObject({
      name: '/aws/vpc-flow-logs/core',
      retention_in_days: 365,
      kms_key_id: 'arn:aws:kms:us-west-2:111122223333:key/abc',
    });
  });

  it('exposes ids as Terraform references', () => {
    synth((stack) => {
      const n = new Network(stack, 'network', { azCount: 3 });
      expect(resolve(stack, n.vpcId)).toBe('${aws_vpc.network_vpc.id}');
      expect(resolve(stack, n.privateSubnetIds)).toEqual([
        '${aws_subnet.network_private-0.id}',
        '${aws_subnet.network_private-1.id}',
        '${aws_subnet.network_private-2.id}',
      ]);
      expect(resolve(stack, n.publicSubnetIds)).toHaveLength(3);
    });
  });
});

describe('Network validation', () => {
  const fails = (props: NetworkProps) => errorOf((stack) => new Network(stack, 'network', props));

  it.each<[NetworkProps, string]>([
    [
      { cidrBlock: 'banana' },
      'Network "test/network": cidrBlock must be an IPv4 CIDR block like "10.0.0.0/16", got "banana"',
    ],
    [
      { cidrBlock: '10.0.0.1/16' },
      'Network "test/network": cidrBlock must be a network address with no host bits set (did you mean "10.0.0.0/16"?), got "10.0.0.1/16"',
    ],
    [
      { cidrBlock: '10.0.0.0/8' },
      'Network "test/network": cidrBlock must be a /16 to /24 block (AWS VPCs are /16 at most, and the 16 subnet slots must be at least /28), got "10.0.0.0/8"',
    ],
    [
      { cidrBlock: '10.0.0.0/25' },
      'Network "test/network": cidrBlock must be a /16 to /24 block (AWS VPCs are /16 at most, and the 16 subnet slots must be at least /28), got "10.0.0.0/25"',
    ],
    [{ azCount: 0 }, 'Network "test/network": azCount must be a whole number in 1..6, got 0'],
    [{ azCount: 7 }, 'Network "test/network": azCount must be a whole number in 1..6, got 7'],
    [{ azCount: 1.5 }, 'Network "test/network": azCount must be a whole number in 1..6, got 1.5'],
    [
      { natGateways: 'two' as never },
      'Network "test/network": natGateways must be one of "none", "single", "per-az", got "two"',
    ],
    [
      { flowLogRetentionDays: 31 },
      'Network "test/network": flowLogRetentionDays must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), got 31',
    ],
    [
      { name: 'Bad_Name' },
      'Network "test/network": name must be 1..40 lower-case letters, digits and hyphens, not starting or ending with a hyphen, got "Bad_Name"',
    ],
  ])('%j', (props, message) => {
    expect(fails(props)).toBe(message);
  });

  it('reports every problem at once, before creating anything', () => {
    expect(fails({ azCount: 9, natGateways: 'many' as never, flowLogRetentionDays: 2 }).split('\n')).toEqual([
      'Network "test/network": azCount must be a whole number in 1..6, got 9',
      'Network "test/network": natGateways must be one of "none", "single", "per-az", got "many"',
      expect.stringContaining(
        'Network "test/network": flowLogRetentionDays must be a retention CloudWatch Logs accepts',
      ),
    ]);
  });
});
