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
import { defaultName } from '../core/names';
import { Validator, checkLogRetention, isUnresolved } from '../core/validation';
import { addFlowLogs } from './flow-logs';
import { MAX_AZ_COUNT, MAX_VPC_PREFIX, VPC_PREFIX_RANGE, parseCidr, subnetLayout, type ParsedCidr } from './cidr';
import { NAT_GATEWAY_MODES, NETWORK_DEFAULTS, type NatGatewayMode, type NetworkProps } from './props';

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
    const cidrBlock = props.cidrBlock ?? NETWORK_DEFAULTS.cidrBlock;
    const azCount = props.azCount ?? NETWORK_DEFAULTS.azCount;
    const natGateways: NatGatewayMode = props.natGateways ?? NETWORK_DEFAULTS.natGateways;
    const retention = props.flowLogRetentionDays ?? NETWORK_DEFAULTS.flowLogRetentionDays;
    this.name = props.name ?? defaultName(this);
    const vpcCidr = validate(this, {
      name: this.name,
      cidrBlock,
      azCount,
      natGateways,
      flowLogRetentionDays: retention,
    });
    const layout = subnetLayout(vpcCidr, azCount);
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
            condition: `\${length(${zones.fqn}.names) >= ${azCount}}`,
            errorMessage: `Network "${this.node.path}": azCount is ${azCount}, but the region has fewer available availability zones; lower azCount.`,
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

    const publicSubnets: Subnet[] = [];
    const privateSubnets: Subnet[] = [];
    for (let i = 0; i < azCount; i++) {
      const az = Token.asString(Fn.element(zoneNames, i));
      const pub = new Subnet(this, `public-${i}`, {
        vpcId: this.vpc.id,
        cidrBlock: layout.publicCidrs[i],
        availabilityZone: az,
        // Nothing gets a public IP without asking for it, even in a public subnet.
        mapPublicIpOnLaunch: false,
        tags: { ...tags(`public-${i}`), Tier: 'public' },
      });
      new RouteTableAssociation(this, `public-${i}-routes`, { subnetId: pub.id, routeTableId: publicRoutes.id });
      publicSubnets.push(pub);
      privateSubnets.push(
        new Subnet(this, `private-${i}`, {
          vpcId: this.vpc.id,
          cidrBlock: layout.privateCidrs[i],
          availabilityZone: az,
          mapPublicIpOnLaunch: false,
          tags: { ...tags(`private-${i}`), Tier: 'private' },
        }),
      );
    }

    const natCount = natGateways === 'none' ? 0 : natGateways === 'single' ? 1 : azCount;
    const nats: NatGateway[] = [];
    for (let i = 0; i < natCount; i++) {
      const eip = new Eip(this, `nat-${i}-ip`, { domain: 'vpc', tags: tags(`nat-${i}`) });
      nats.push(
        new NatGateway(this, `nat-${i}`, {
          allocationId: eip.allocationId,
          subnetId: publicSubnets[i].id,
          tags: tags(`nat-${i}`),
          dependsOn: [igw],
        }),
      );
    }
    this.natGatewayIds = nats.map((n) => n.id);

    // One route table per private subnet whatever the NAT mode, so 'single' -> 'per-az' only
    // changes routes, never replaces tables.
    privateSubnets.forEach((subnet, i) => {
      const table = new RouteTable(this, `private-${i}-routes`, { vpcId: this.vpc.id, tags: tags(`private-${i}`) });
      new RouteTableAssociation(this, `private-${i}-routes-association`, {
        subnetId: subnet.id,
        routeTableId: table.id,
      });
      if (nats.length > 0) {
        new Route(this, `private-${i}-default-route`, {
          routeTableId: table.id,
          destinationCidrBlock: '0.0.0.0/0',
          natGatewayId: nats[Math.min(i, nats.length - 1)].id,
        });
      }
    });
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);

    const flowLogGroup = addFlowLogs(this, {
      name: this.name,
      vpcId: this.vpc.id,
      retentionDays: retention,
      kmsKeyArn: props.flowLogKmsKeyArn,
      tags,
    });
    this.flowLogGroupName = flowLogGroup.name;
  }
}

/** Checks every prop before any resource exists; returns the parsed CIDR. */
function validate(scope: Construct, props: Required<Omit<NetworkProps, 'flowLogKmsKeyArn'>>) {
  const v = new Validator('Network', scope);
  v.matches(
    'name',
    props.name,
    /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
    '1..40 lower-case letters, digits and hyphens, not starting or ending with a hyphen',
  );
  v.intRange('azCount', props.azCount, 1, MAX_AZ_COUNT);
  v.oneOf('natGateways', props.natGateways, NAT_GATEWAY_MODES);
  checkLogRetention(v, 'flowLogRetentionDays', props.flowLogRetentionDays);
  let parsed: ParsedCidr | undefined;
  if (isUnresolved(props.cidrBlock)) {
    v.fail('cidrBlock', 'known at synth time (the subnet layout is derived from it)', props.cidrBlock);
  } else {
    const result = parseCidr(props.cidrBlock);
    if (typeof result === 'string') {
      v.fail('cidrBlock', result, props.cidrBlock);
    } else if (result.prefix < VPC_PREFIX_RANGE.min || result.prefix > MAX_VPC_PREFIX) {
      v.fail(
        'cidrBlock',
        `a /${VPC_PREFIX_RANGE.min} to /${MAX_VPC_PREFIX} block (AWS VPCs are /16 at most, and the 16 subnet slots must be at least /28)`,
        props.cidrBlock,
      );
    } else {
      parsed = result;
    }
  }
  v.throwIfInvalid();
  return parsed as ParsedCidr; // set whenever the cidrBlock check passed
}
