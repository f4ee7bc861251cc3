import { TerraformCount, TerraformLocal, Token } from 'cdktf';
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
import { LOG_RETENTION_DAYS } from '../modules/core/validation';
// The construct's own layout constants: the module lays subnets out exactly as the construct does.
import {
  MAX_AZ_COUNT,
  MAX_VPC_PREFIX,
  PRIVATE_SLOT_OFFSET,
  SUBNET_NEW_BITS,
  VPC_PREFIX_RANGE,
} from '../modules/network/cidr';
import { addFlowLogs } from '../modules/network/flow-logs';
import { NAT_GATEWAY_MODES, NETWORK_DEFAULTS } from '../modules/network/props';
import { oneOf, wholeIn, type ModuleSpec } from './framework';

/**
 * Network as a module. The construct lays subnets out at synth from literal values; here the same
 * layout is written with Terraform `count` and `cidrsubnet()`, so az_count and the CIDR are variables.
 */
export const networkModule: ModuleSpec = {
  name: 'network',
  title: 'Network: VPC, subnets per AZ, NAT, flow logs',
  description:
    'A VPC with one public and one private subnet per availability zone (the VPC cut into 16 slots: public 0..5, private 8..13, so adding an AZ never renumbers a subnet), NAT gateways as chosen, VPC flow logs to CloudWatch Logs, and the default security group adopted with no rules. No subnet maps public IPs.',
  variables: [
    {
      name: 'name',
      type: 'string',
      description: 'A name prefix for the resources: 1..40 lower-case letters, digits and hyphens.',
      validation: [
        {
          condition: 'can(regex("^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$", var.name))',
          errorMessage:
            'name must be 1..40 lower-case letters, digits and hyphens, not starting or ending with a hyphen.',
        },
      ],
    },
    {
      name: 'cidr_block',
      type: 'string',
      description: `The VPC CIDR block: a network address, /${VPC_PREFIX_RANGE.min} to /${MAX_VPC_PREFIX}.`,
      default: NETWORK_DEFAULTS.cidrBlock,
      validation: [
        {
          condition: 'can(cidrhost(var.cidr_block, 0)) && can(regex("^[0-9.]+/[0-9]+$", var.cidr_block))',
          errorMessage: 'cidr_block must be an IPv4 CIDR block like "10.0.0.0/16".',
        },
        {
          condition: `can(cidrhost(var.cidr_block, 0)) && try(tonumber(split("/", var.cidr_block)[1]) >= ${VPC_PREFIX_RANGE.min} && tonumber(split("/", var.cidr_block)[1]) <= ${MAX_VPC_PREFIX}, false)`,
          errorMessage: `cidr_block must be a /${VPC_PREFIX_RANGE.min} to /${MAX_VPC_PREFIX} block (AWS VPCs are /16 at most, and the 16 subnet slots must be at least /28).`,
        },
        {
          condition: 'try(cidrhost(var.cidr_block, 0) == split("/", var.cidr_block)[0], false)',
          errorMessage: 'cidr_block must be a network address with no host bits set.',
        },
      ],
    },
    {
      name: 'az_count',
      type: 'number',
      description: `Availability zones to span, 1..${MAX_AZ_COUNT}.`,
      default: NETWORK_DEFAULTS.azCount,
      validation: [wholeIn('az_count', 1, MAX_AZ_COUNT)],
    },
    {
      name: 'nat_gateways',
      type: 'string',
      description: 'NAT gateways: "none", "single" (one, in the first AZ) or "per-az".',
      default: NETWORK_DEFAULTS.natGateways,
      validation: [oneOf('nat_gateways', NAT_GATEWAY_MODES)],
    },
    {
      name: 'flow_log_retention_days',
      type: 'number',
      description: 'Days to keep flow logs: a value CloudWatch Logs accepts.',
      default: NETWORK_DEFAULTS.flowLogRetentionDays,
      validation: [oneOf('flow_log_retention_days', LOG_RETENTION_DAYS)],
    },
    {
      name: 'flow_log_kms_key_arn',
      type: 'string',
      description: "A KMS key for the flow log group; null uses CloudWatch Logs' own encryption.",
      default: null,
    },
  ],
  build(scope, v) {
    const name = v.name.stringValue;
    const azCount = v.az_count.numberValue;
    const natCount = new TerraformLocal(
      scope,
      'nat_count',
      `\${var.nat_gateways == "none" ? 0 : (var.nat_gateways == "single" ? 1 : var.az_count)}`,
    );
    const zones = new DataAwsAvailabilityZones(scope, 'zones', {
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    });
    const vpc = new Vpc(scope, 'vpc', {
      cidrBlock: v.cidr_block.stringValue,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: `${name}-vpc` },
      lifecycle: {
        precondition: [
          {
            condition: `\${length(${zones.fqn}.names) >= var.az_count}`,
            errorMessage:
              'az_count is larger than the number of available availability zones of the region; lower az_count.',
          },
        ],
      },
    });
    new DefaultSecurityGroup(scope, 'default-security-group', {
      vpcId: vpc.id,
      tags: { Name: `${name}-default-do-not-use` },
    });
    const igw = new InternetGateway(scope, 'internet-gateway', { vpcId: vpc.id, tags: { Name: `${name}-igw` } });
    const publicRoutes = new RouteTable(scope, 'public-routes', { vpcId: vpc.id, tags: { Name: `${name}-public` } });
    new Route(scope, 'public-default-route', {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: igw.id,
    });

    const perAz = () => TerraformCount.of(azCount);
    const publicCount = perAz();
    const pub = new Subnet(scope, 'public', {
      count: publicCount,
      vpcId: vpc.id,
      cidrBlock: `\${cidrsubnet(var.cidr_block, ${SUBNET_NEW_BITS}, count.index)}`,
      availabilityZone: `\${element(${zones.fqn}.names, count.index)}`,
      mapPublicIpOnLaunch: false,
      tags: { Name: `${name}-public-\${count.index}`, Tier: 'public' },
    });
    new RouteTableAssociation(scope, 'public-routes-association', {
      count: perAz(),
      subnetId: `\${${pub.fqn}[count.index].id}`,
      routeTableId: publicRoutes.id,
    });
    const priv = new Subnet(scope, 'private', {
      count: perAz(),
      vpcId: vpc.id,
      cidrBlock: `\${cidrsubnet(var.cidr_block, ${SUBNET_NEW_BITS}, ${PRIVATE_SLOT_OFFSET} + count.index)}`,
      availabilityZone: `\${element(${zones.fqn}.names, count.index)}`,
      mapPublicIpOnLaunch: false,
      tags: { Name: `${name}-private-\${count.index}`, Tier: 'private' },
    });
    const eip = new Eip(scope, 'nat-ip', {
      count: TerraformCount.of(natCount.asNumber),
      domain: 'vpc',
      tags: { Name: `${name}-nat-\${count.index}` },
    });
    const nat = new NatGateway(scope, 'nat', {
      count: TerraformCount.of(natCount.asNumber),
      allocationId: `\${${eip.fqn}[count.index].allocation_id}`,
      subnetId: `\${${pub.fqn}[count.index].id}`,
      tags: { Name: `${name}-nat-\${count.index}` },
      dependsOn: [igw],
    });
    const privateRoutes = new RouteTable(scope, 'private-routes', {
      count: perAz(),
      vpcId: vpc.id,
      tags: { Name: `${name}-private-\${count.index}` },
    });
    new RouteTableAssociation(scope, 'private-routes-association', {
      count: perAz(),
      subnetId: `\${${priv.fqn}[count.index].id}`,
      routeTableId: `\${${privateRoutes.fqn}[count.index].id}`,
    });
    new Route(scope, 'private-default-route', {
      count: TerraformCount.of(Token.asNumber(`\${${natCount.fqn} > 0 ? var.az_count : 0}`)),
      routeTableId: `\${${privateRoutes.fqn}[count.index].id}`,
      destinationCidrBlock: '0.0.0.0/0',
      natGatewayId: `\${${nat.fqn}[min(count.index, ${natCount.fqn} - 1)].id}`,
    });

    const logs = addFlowLogs(scope, {
      name,
      vpcId: vpc.id,
      retentionDays: v.flow_log_retention_days.numberValue,
      kmsKeyArn: v.flow_log_kms_key_arn.stringValue,
    });
    return {
      vpc_id: { value: vpc.id, description: 'The VPC id' },
      vpc_cidr_block: { value: vpc.cidrBlock, description: 'The VPC CIDR block' },
      public_subnet_ids: { value: `\${${pub.fqn}[*].id}`, description: 'Public subnet ids, one per AZ, in AZ order' },
      private_subnet_ids: {
        value: `\${${priv.fqn}[*].id}`,
        description: 'Private subnet ids, one per AZ, in AZ order',
      },
      nat_gateway_ids: { value: `\${${nat.fqn}[*].id}`, description: 'NAT gateway ids: none, one, or one per AZ' },
      flow_log_group_name: { value: logs.name, description: 'The flow log group' },
    };
  },
  example: {
    name: '"dev-network"',
    cidr_block: '"10.0.0.0/16"',
    az_count: '2',
    nat_gateways: '"single"',
  },
};
