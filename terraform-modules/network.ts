import { NETWORK_INPUTS, Network } from '../modules/network';
import { constructModule } from './framework';

/**
 * Network as a module: the construct, with `count` and `cidrsubnet()` where az_count, the CIDR block and
 * the NAT mode are variables (the construct's own code path for values known only at plan).
 */
export const networkModule = constructModule({
  name: 'network',
  title: 'Network: VPC, subnets per AZ, NAT, flow logs',
  description:
    'A VPC with one public and one private subnet per availability zone (the VPC cut into 16 slots: public 0..5, private 8..13, so adding an AZ never renumbers a subnet), NAT gateways as chosen, VPC flow logs to CloudWatch Logs, and the default security group adopted with no rules. No subnet maps public IPs.',
  inputs: NETWORK_INPUTS,
  construct: (scope, props) => new Network(scope, 'network', props),
  outputs: (network) => ({
    vpc_id: { value: network.vpcId, description: 'The VPC id' },
    vpc_cidr_block: { value: network.vpc.cidrBlock, description: 'The VPC CIDR block' },
    public_subnet_ids: { value: network.publicSubnetIds, description: 'Public subnet ids, one per AZ, in AZ order' },
    private_subnet_ids: { value: network.privateSubnetIds, description: 'Private subnet ids, one per AZ, in AZ order' },
    nat_gateway_ids: { value: network.natGatewayIds, description: 'NAT gateway ids: none, one, or one per AZ' },
    flow_log_group_name: { value: network.flowLogGroupName, description: 'The flow log group' },
  }),
  example: {
    name: '"dev-network"',
    cidr_block: '"10.0.0.0/16"',
    az_count: '2',
    nat_gateways: '"single"',
  },
});
