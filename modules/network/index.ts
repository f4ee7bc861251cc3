export { Network } from './network';
export { NAT_GATEWAY_MODES, NETWORK_INPUTS } from './inputs';
export type { NatGatewayMode, NetworkProps } from './props';
export { cidrSubnet, parseCidr, subnetLayout, type ParsedCidr, type SubnetLayout } from './cidr';
