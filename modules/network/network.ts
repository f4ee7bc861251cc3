import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { repeat } from '../core/each';
import { add, eq, gt, hcl, known, min, when } from '../core/expr';
import { defaultName } from '../core/names';
import { PRIVATE_SLOT_OFFSET, subnetCidr } from './cidr';
import { addFlowLogs } from './flow-logs';
import { NETWORK_INPUTS } from './inputs';
import type { NetworkProps } from './props';

/**
 * A VPC with one public and one private subnet per availability zone, NAT gateways as chosen,
 * VPC flow logs to CloudWatch Logs, and a default security group stripped of every rule.
 */
export class Network extends Construct {
  /** The VPC's id. */
  public readonly vpcId: string;
  /** Public subnet ids, one per AZ, in AZ order. They hold NAT gateways and internet-facing load balancers. */
  public readonly publicSubnetIds: string[];
  /** Private subnet ids, one per AZ, in AZ order: where workloads run. */
  public readonly privateSubnetIds: string[];
  /** The name prefix of this network's resources. */
  public readonly name: string;
  /** The VPC's CIDR block. */
  public readonly cidrBlock: string;
  /** The flow log group's name. */
  public readonly flowLogGroupName: string;
  /** Escape hatch: the underlying `aws_vpc`. */
  public readonly vpc: Vpc;
  /** NAT gateway ids: none, one, or one per AZ. */
  public readonly natGatewayIds: string[];

  constructor(scope: Construct, id: string, props: NetworkProps = {}) {
    super(scope, id);
    const p = NETWORK_INPUTS.resolve(this, props);
    const { cidrBlock, azCount, natGateways } = p;
    this.name = p.name ?? defaultName(this);
    // The name is checked too when it is derived from the stack and construct path.
    if (props.name === undefined) NETWORK_INPUTS.resolve(this, { ...props, name: this.name });
    const tags = (suffix: string) => ({ Name: `${this.name}-${suffix}` });

    const zones = new DataAwsAvailabilityZones(this, 'zones', {
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    });
    const zoneNames = zones.names;

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: tags('vpc'),
      lifecycle: {
        precondition: [
          {
            condition: Token.asString(hcl`length(${zones.fqn}.names) >= ${azCount}`),
            errorMessage: known(azCount)
              ? `Network "${this.node.path}": azCount is ${azCount}, but the region has fewer available availability zones; lower azCount.`
              : 'az_count is larger than the number of available availability zones of the region; lower az_count.',
          },
        ],
      },
    });
    this.vpcId = this.vpc.id;
    this.cidrBlock = cidrBlock;

    // Adopt the default security group and strip every rule, so nothing can use it by accident.
    new DefaultSecurityGroup(this, 'default-security-group', { vpcId: this.vpc.id, tags: tags('default-do-not-use') });

    const igw = new InternetGateway(this, 'internet-gateway', { vpcId: this.vpc.id, tags: tags('igw') });
    const publicRoutes = new RouteTable(this, 'public-routes', { vpcId: this.vpc.id, tags: tags('public') });
    new Route(this, 'public-default-route', {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: igw.id,
    });

    // One public and one private subnet per AZ: a resource each when azCount is known, `count` when not.
    const publicSubnets = repeat(
      azCount,
      ({ index, label, id, meta }) =>
        new Subnet(this, id('public'), {
          ...meta,
          vpcId: this.vpc.id,
          cidrBlock: subnetCidr(cidrBlock, index),
          availabilityZone: Token.asString(Fn.element(zoneNames, index)),
          // Nothing gets a public IP without asking for it, even in a public subnet.
          mapPublicIpOnLaunch: false,
          tags: { ...tags(`public-${label}`), Tier: 'public' },
        }),
    );
    repeat(
      azCount,
      ({ index, id, meta }) =>
        new RouteTableAssociation(this, id('public', 'routes', 'public-routes-association'), {
          ...meta,
          subnetId: publicSubnets.attr(index, 'id'),
          routeTableId: publicRoutes.id,
        }),
    );
    const privateSubnets = repeat(
      azCount,
      ({ index, label, id, meta }) =>
        new Subnet(this, id('private'), {
          ...meta,
          vpcId: this.vpc.id,
          cidrBlock: subnetCidr(cidrBlock, add(PRIVATE_SLOT_OFFSET, index)),
          availabilityZone: Token.asString(Fn.element(zoneNames, index)),
          mapPublicIpOnLaunch: false,
          tags: { ...tags(`private-${label}`), Tier: 'private' },
        }),
    );

    const natCount = when(eq(natGateways, 'none'), 0, when(eq(natGateways, 'single'), 1, azCount));
    const natIps = repeat(
      natCount,
      ({ label, id, meta }) => new Eip(this, id('nat', 'ip'), { ...meta, domain: 'vpc', tags: tags(`nat-${label}`) }),
    );
    const nats = repeat(
      natCount,
      ({ index, label, id, meta }) =>
        new NatGateway(this, id('nat'), {
          ...meta,
          allocationId: natIps.attr(index, 'allocation_id'),
          subnetId: publicSubnets.attr(index, 'id'),
          tags: tags(`nat-${label}`),
          dependsOn: [igw],
        }),
    );
    this.natGatewayIds = nats.all('id');

    // One route table per private subnet whatever the NAT mode, so 'single' -> 'per-az' only
    // changes routes, never replaces tables.
    const privateRoutes = repeat(
      azCount,
      ({ label, id, meta }) =>
        new RouteTable(this, id('private', 'routes'), { ...meta, vpcId: this.vpc.id, tags: tags(`private-${label}`) }),
    );
    repeat(
      azCount,
      ({ index, id, meta }) =>
        new RouteTableAssociation(this, id('private', 'routes-association'), {
          ...meta,
          subnetId: privateSubnets.attr(index, 'id'),
          routeTableId: privateRoutes.attr(index, 'id'),
        }),
    );
    repeat(
      when(gt(natCount, 0), azCount, 0),
      ({ index, id, meta }) =>
        new Route(this, id('private', 'default-route'), {
          ...meta,
          routeTableId: privateRoutes.attr(index, 'id'),
          destinationCidrBlock: '0.0.0.0/0',
          natGatewayId: nats.attr(min(index, add(natCount, -1)), 'id'),
        }),
    );
    this.publicSubnetIds = publicSubnets.all('id');
    this.privateSubnetIds = privateSubnets.all('id');

    const flowLogGroup = addFlowLogs(this, {
      name: this.name,
      vpcId: this.vpc.id,
      retentionDays: p.flowLogRetentionDays,
      kmsKeyArn: p.flowLogKmsKeyArn,
      tags,
    });
    this.flowLogGroupName = flowLogGroup.name;
  }
}
