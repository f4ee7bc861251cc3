export { Network } from './network';
export { NAT_GATEWAY_MODES, NETWORK_DEFAULTS, type NatGatewayMode, type NetworkProps } from './props';
export { cidrSubnet, parseCidr, subnetLayout, type ParsedCidr, type SubnetLayout } from './cidr';
